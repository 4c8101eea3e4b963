// Actor keys: `"k"` and `["k"]` are the same key; matching is exact on the whole array.

import { ActorError } from "../base/errors.ts";

export type ActorKey = string | readonly string[];

export const MAX_KEY_PART_BYTES = 128;
export const MAX_KEY_BYTES = 1024;

const utf8 = new TextEncoder();

/** Normalizes a key to an array of strings and enforces the size limits. */
export function normalizeKey(key: ActorKey | undefined): string[] {
  const parts = key === undefined ? [] : typeof key === "string" ? [key] : key;
  if (!Array.isArray(parts) || parts.some((p) => typeof p !== "string")) {
    throw new ActorError("actor", "invalid_key", "An actor key must be a string or an array of strings.");
  }
  let total = 0;
  for (const part of parts) {
    const size = utf8.encode(part).byteLength;
    if (size > MAX_KEY_PART_BYTES) {
      throw new ActorError(
        "actor",
        "key_too_large",
        `Key part is ${size} bytes; the limit is ${MAX_KEY_PART_BYTES} bytes per part. Use a shorter key (hash long values).`,
        { metadata: { partBytes: size, limit: MAX_KEY_PART_BYTES } },
      );
    }
    total += size;
  }
  if (total > MAX_KEY_BYTES) {
    throw new ActorError(
      "actor",
      "key_too_large",
      `Key is ${total} bytes; the limit is ${MAX_KEY_BYTES} bytes in all. Use a shorter key.`,
      { metadata: { keyBytes: total, limit: MAX_KEY_BYTES } },
    );
  }
  return [...parts];
}

/** A string that identifies name + key exactly (used for in-memory lookups). */
export function keyId(name: string, key: readonly string[]): string {
  return JSON.stringify([name, ...key]);
}
