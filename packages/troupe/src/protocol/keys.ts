// Actor keys: `"k"` and `["k"]` are the same key; matching is exact on the whole array.

import { ActorError } from "../base/errors.ts";

export type ActorKey = string | readonly string[];

export const MAX_KEY_PARTS = 32;
export const MAX_KEY_PART_BYTES = 128;
export const MAX_KEY_BYTES = 1024;
/** What each part costs beyond its bytes, so that many empty parts cannot make a long key. */
export const KEY_PART_OVERHEAD = 1;

const utf8 = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Normalizes a key to an array of strings and enforces the limits. A lone surrogate (half of a
 * UTF-16 pair) becomes U+FFFD, as UTF-8 encoders (CBOR's) make it: the same key names the same
 * actor over JSON, CBOR and in-process.
 */
export function normalizeKey(key: ActorKey | undefined): string[] {
  const given = key === undefined ? [] : typeof key === "string" ? [key] : key;
  if (!Array.isArray(given) || given.some((p) => typeof p !== "string")) {
    throw new ActorError("actor", "invalid_key", "An actor key must be a string or an array of strings.");
  }
  if (given.length > MAX_KEY_PARTS) {
    throw new ActorError("actor", "key_too_large", `Key has ${given.length} parts; the limit is ${MAX_KEY_PARTS}.`, {
      metadata: { parts: given.length, limit: MAX_KEY_PARTS },
    });
  }
  const parts = given.map((part: string) => part.replace(LONE_SURROGATE, "\uFFFD"));
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
    total += size + KEY_PART_OVERHEAD;
  }
  if (total > MAX_KEY_BYTES) {
    throw new ActorError(
      "actor",
      "key_too_large",
      `Key is ${total} bytes (each part counting ${KEY_PART_OVERHEAD} more); the limit is ${MAX_KEY_BYTES} bytes in all. Use a shorter key.`,
      { metadata: { keyBytes: total, limit: MAX_KEY_BYTES } },
    );
  }
  return parts;
}

/** A string that identifies name + key exactly (used for in-memory lookups). */
export function keyId(name: string, key: readonly string[]): string {
  return JSON.stringify([name, ...key]);
}
