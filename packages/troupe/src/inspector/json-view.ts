// Actor data as JSON, both ways: what JSON cannot hold (Map, Set, Date, bigint, bytes, undefined,
// NaN, ...) becomes an object tagged with "$troupe", and tagged objects sent to the inspector become
// those values again, so that a value read and written back is unchanged (docs/inspector.md, Values).

import { fromBase64, toBase64 } from "./base64.ts";
import { inspectorErrors } from "./errors.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const TAG = "$troupe";

const TYPED_ARRAYS = {
  Int8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;

function tagged(tag: string, fields: Record<string, Json> = {}): Json {
  return { [TAG]: tag, ...fields };
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `value` as JSON. Cycles (possible in action results) show as `{ "$troupe": "circular" }`. */
export function toJsonView(value: unknown, path: Set<object> = new Set()): Json {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0)
        ? value
        : tagged("number", { value: Object.is(value, -0) ? "-0" : String(value) });
    case "bigint":
      return tagged("bigint", { value: value.toString() });
    case "undefined":
      return tagged("undefined");
    case "object":
      break;
    default:
      return tagged("unsupported", { type: typeof value });
  }
  if (value === null) return null;
  if (path.has(value)) return tagged("circular");
  if (value instanceof Date) return tagged("date", { iso: Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString() });
  if (value instanceof RegExp) return tagged("regexp", { source: value.source, flags: value.flags });
  if (value instanceof ArrayBuffer) return tagged("bytes", { base64: toBase64(new Uint8Array(value)) });
  if (ArrayBuffer.isView(value)) {
    const bytes = toBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    const type = value.constructor.name;
    return type in TYPED_ARRAYS ? tagged("bytes", { base64: bytes, type }) : tagged("bytes", { base64: bytes });
  }
  path.add(value);
  try {
    if (Array.isArray(value)) return Array.from(value, (item) => toJsonView(item, path));
    if (value instanceof Map) return tagged("map", { entries: [...value].map(([k, v]) => [toJsonView(k, path), toJsonView(v, path)]) });
    if (value instanceof Set) return tagged("set", { values: [...value].map((v) => toJsonView(v, path)) });
    if (!isPlainObject(value)) return tagged("unsupported", { type: value.constructor?.name ?? "object" });
    const out: Record<string, Json> = {};
    for (const key of Object.keys(value)) out[key] = toJsonView(value[key], path);
    return Object.hasOwn(value, TAG) ? tagged("object", { value: out }) : out;
  } finally {
    path.delete(value);
  }
}

/** The value a JSON form stands for; a malformed tagged object is `inspector.invalid_request` naming `param`. */
export function fromJsonView(json: unknown, param: string): unknown {
  if (typeof json !== "object" || json === null) return json;
  if (Array.isArray(json)) return json.map((item, i) => fromJsonView(item, `${param}[${i}]`));
  const record = json as Record<string, unknown>;
  if (!Object.hasOwn(record, TAG)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(record)) out[key] = fromJsonView(item, `${param}.${key}`);
    return out;
  }
  const bad = (what: string) => inspectorErrors.invalidRequest(param, `${param}: ${what}.`);
  const field = (name: string): unknown => {
    if (!Object.hasOwn(record, name)) throw bad(`a "${String(record[TAG])}" value needs "${name}"`);
    return record[name];
  };
  const text = (name: string): string => {
    const value = field(name);
    if (typeof value !== "string") throw bad(`"${name}" must be a string`);
    return value;
  };
  const list = (name: string): unknown[] => {
    const value = field(name);
    if (!Array.isArray(value)) throw bad(`"${name}" must be an array`);
    return value;
  };
  switch (record[TAG]) {
    case "undefined":
      return undefined;
    case "number": {
      const value = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, "-Infinity": Number.NEGATIVE_INFINITY, "-0": -0 }[text("value")];
      if (value === undefined) throw bad('"value" must be "NaN", "Infinity", "-Infinity" or "-0"');
      return value;
    }
    case "bigint":
      try {
        return BigInt(text("value"));
      } catch {
        throw bad('"value" must be a whole number');
      }
    case "date":
      return new Date(text("iso"));
    case "regexp":
      try {
        return new RegExp(text("source"), text("flags"));
      } catch {
        throw bad("not a valid regular expression");
      }
    case "bytes": {
      const bytes = fromBase64(text("base64"));
      if (bytes === undefined) throw bad('"base64" is not base64');
      if (!Object.hasOwn(record, "type")) return bytes;
      const Typed = TYPED_ARRAYS[text("type") as keyof typeof TYPED_ARRAYS];
      if (Typed === undefined) throw bad(`"type" must be one of ${Object.keys(TYPED_ARRAYS).join(", ")}`);
      if (bytes.byteLength % Typed.BYTES_PER_ELEMENT !== 0) throw bad(`its length is not a whole number of ${Typed.name} elements`);
      return new Typed(bytes.buffer as ArrayBuffer, 0, bytes.byteLength / Typed.BYTES_PER_ELEMENT);
    }
    case "map":
      return new Map(
        list("entries").map((entry, i) => {
          if (!Array.isArray(entry) || entry.length !== 2) throw bad(`entry ${i} must be a [key, value] pair`);
          return [fromJsonView(entry[0], `${param}<key ${i}>`), fromJsonView(entry[1], `${param}<value ${i}>`)];
        }),
      );
    case "set":
      return new Set(list("values").map((item, i) => fromJsonView(item, `${param}<member ${i}>`)));
    case "object": {
      const value = field("value");
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw bad('"value" must be an object');
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = fromJsonView(item, `${param}.${key}`);
      return out;
    }
    default:
      throw bad(`unknown "${TAG}" tag ${JSON.stringify(record[TAG])}`);
  }
}

/** Largest JSON (in characters) of one value in a stream event. */
export const MAX_EVENT_VALUE = 8 * 1024;
const PREVIEW = 256;

/** `value` as JSON for a stream event: over MAX_EVENT_VALUE characters, a truncated stand-in. */
export function boundedView(value: unknown): Json {
  const view = toJsonView(value);
  if (typeof view !== "object" || view === null)
    return typeof view === "string" && view.length > MAX_EVENT_VALUE ? cut(JSON.stringify(view)) : view;
  const text = JSON.stringify(view);
  return text.length > MAX_EVENT_VALUE ? cut(text) : view;
}

function cut(text: string): Json {
  return tagged("truncated", { size: text.length, preview: text.slice(0, PREVIEW) });
}
