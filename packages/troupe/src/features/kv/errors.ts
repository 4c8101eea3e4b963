// The typed errors of `c.kv`.

import { ActorError } from "../../base/errors.ts";
import { defineErrorCodes } from "../../base/error-codes.ts";

export const kvErrors = {
  keyTooLarge: (size: number, limit: number) =>
    new ActorError("kv", "key_too_large", `The key is ${size} bytes; the limit is ${limit}.`, { metadata: { size, limit } }),
  valueTooLarge: (size: number, limit: number) =>
    new ActorError("kv", "value_too_large", `The value is ${size} bytes; the limit is ${limit}.`, { metadata: { size, limit } }),
};

/** The codes of these errors, with their HTTP status. */
export const KV_ERROR_CODES = defineErrorCodes({
  "kv.key_too_large": { status: 400, description: "A c.kv key is over maxKvKeySize (2 KiB by default)." },
  "kv.value_too_large": { status: 400, description: "A c.kv value is over maxKvValueSize (128 KiB by default)." },
});
