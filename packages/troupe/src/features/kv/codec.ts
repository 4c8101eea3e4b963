// How `c.kv` keys and values become bytes in the actor's namespace. Keys are stored as they are
// (UTF-8 for strings), so they sort by their bytes; values carry a one-byte tag so that `get`
// returns a string for a string and bytes for bytes.

import { prefixed } from "../../actor/storage-keys.ts";

/** The byte in front of every key of `c.kv`. */
export const KV_PREFIX = 0x02;

/** A key or value as the caller passes it: text (stored as UTF-8) or bytes. */
export type KvInput = string | Uint8Array | ArrayBuffer;
/** A key or value as `c.kv` returns it. */
export type KvValue = string | Uint8Array;
/** How to return a value (or key): as stored by default, or converted. */
export type KvValueType = "text" | "binary" | "arrayBuffer";

const TEXT = 0;
const BINARY = 1;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function inputBytes(input: KvInput): Uint8Array {
  if (typeof input === "string") return encoder.encode(input);
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  throw new TypeError(`c.kv takes strings, Uint8Arrays or ArrayBuffers, got ${describe(input)}.`);
}

/** The storage key of a user key: the KV prefix byte, then the key's bytes. */
export function storageKey(key: Uint8Array): Uint8Array {
  return prefixed(KV_PREFIX, key);
}

/** The user key of a storage key, as `type` says. */
export function userKey(stored: Uint8Array, type: "text" | "binary"): KvValue {
  const bytes = stored.subarray(1);
  return type === "text" ? decoder.decode(bytes) : bytes.slice();
}

export function encodeValue(value: KvInput): Uint8Array {
  const isText = typeof value === "string";
  const bytes = inputBytes(value);
  const out = new Uint8Array(bytes.byteLength + 1);
  out[0] = isText ? TEXT : BINARY;
  out.set(bytes, 1);
  return out;
}

export function decodeValue(stored: Uint8Array, type: KvValueType | undefined): KvValue | ArrayBuffer {
  const bytes = stored.subarray(1);
  const wanted = type ?? (stored[0] === TEXT ? "text" : "binary");
  if (wanted === "text") return decoder.decode(bytes);
  if (wanted === "arrayBuffer") return bytes.slice().buffer;
  return bytes.slice();
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}
