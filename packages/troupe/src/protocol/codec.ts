// Encodes and decodes protocol messages and HTTP bodies in JSON or CBOR. Browser-safe.
// JSON carries plain JSON values; CBOR keeps Map, Set, Date, bigint, bytes and undefined.

import { decodeCborCopying, encodeCbor } from "../base/cbor.ts";
import { ActorError } from "../base/errors.ts";
import { locate, unsupportedValue, type ValueProblem } from "../base/values.ts";
import { checkInbound, MAX_MESSAGE_DEPTH } from "./inbound.ts";
import { ENCODINGS, type Encoding, type ToServer, type WireSendOptions } from "./wire.ts";

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

export function isEncoding(value: unknown): value is Encoding {
  return ENCODINGS.includes(value as Encoding);
}

/**
 * JSON as text (a WebSocket text frame), CBOR as bytes. A value the encoding cannot carry (a bigint
 * in JSON, a cycle, nesting past the limit) is `message.unsupported_value`, for this message only.
 */
export function encode(value: unknown, encoding: Encoding): string | Uint8Array {
  try {
    return encoding === "json" ? JSON.stringify(value) : encodeCbor(value);
  } catch (error) {
    throw unencodable(value, encoding, error);
  }
}

/** Which rule for values `value` breaks, found after an encoder failed on it; else the encoder's own error. */
function unencodable(value: unknown, encoding: Encoding, error: unknown): unknown {
  const problems: ValueProblem[] = encoding === "json" ? ["bigint", "cyclic", "too_deep"] : ["cyclic", "too_deep"];
  for (const problem of problems) {
    // The envelope (`{ type, output }`) adds its own levels to the value's limit.
    if (locate(value, problem, MAX_MESSAGE_DEPTH) !== undefined || (problem === "too_deep" && error instanceof RangeError)) {
      return unsupportedValue(problem, value, "message", MAX_MESSAGE_DEPTH);
    }
  }
  return error;
}

/**
 * Decodes a frame or body; anything undecodable is `message.malformed`, a value that breaks the
 * rules for values `message.unsupported_value` (protocol/inbound.ts).
 */
export function decode(data: string | Uint8Array, encoding: Encoding): unknown {
  return checkInbound(decodeUnchecked(data, encoding), encoding, data);
}

/**
 * `decode` without the rules for values: for a caller that reads the request id first, to answer
 * with it. The value keeps nothing of `data`: it may be a view of a socket's buffer.
 */
export function decodeUnchecked(data: string | Uint8Array, encoding: Encoding): unknown {
  try {
    if (encoding === "json") return JSON.parse(typeof data === "string" ? data : utf8Decoder.decode(data));
    return decodeCborCopying(typeof data === "string" ? utf8.encode(data) : data);
  } catch (error) {
    throw malformed(`The message is not valid ${encoding.toUpperCase()}.`, error);
  }
}

/**
 * A broadcast hands the same `args` array to every connection in turn: encode it once per encoding
 * rather than once per connection (a one-entry cache for each encoding is enough for that loop).
 */
const lastEvents = new Map<Encoding, { name: string; args: unknown[]; data: string | Uint8Array }>();
export function encodeEvent(message: { type: "event"; name: string; args: unknown[] }, encoding: Encoding): string | Uint8Array {
  const last = lastEvents.get(encoding);
  if (last && last.args === message.args && last.name === message.name) return last.data;
  const data = encode(message, encoding);
  lastEvents.set(encoding, { name: message.name, args: message.args, data });
  return data;
}

export function byteLength(data: string | Uint8Array): number {
  return typeof data === "string" ? utf8.encode(data).byteLength : data.byteLength;
}

export function malformed(message: string, cause?: unknown): ActorError {
  return new ActorError("message", "malformed", message, { cause });
}

/** Checks the shape of a decoded client message. */
export function parseToServer(value: unknown): ToServer {
  const msg = value as Record<string, unknown> | null;
  if (typeof msg !== "object" || msg === null) throw malformed("A message must be an object.");
  if (msg.type === "action") {
    if (typeof msg.id !== "number" || !Number.isSafeInteger(msg.id)) throw malformed("action.id must be an integer.");
    if (typeof msg.name !== "string") throw malformed("action.name must be a string.");
    if (!Array.isArray(msg.args)) throw malformed("action.args must be an array.");
    return { type: "action", id: msg.id, name: msg.name, args: msg.args };
  }
  if (msg.type === "send") {
    if (typeof msg.id !== "number" || !Number.isSafeInteger(msg.id)) throw malformed("send.id must be an integer.");
    if (typeof msg.queue !== "string") throw malformed("send.queue must be a string.");
    return { type: "send", id: msg.id, queue: msg.queue, body: msg.body, options: parseSendOptions(msg.options) };
  }
  if (msg.type === "subscribe") {
    if (typeof msg.event !== "string") throw malformed("subscribe.event must be a string.");
    if (typeof msg.subscribe !== "boolean") throw malformed("subscribe.subscribe must be a boolean.");
    return { type: "subscribe", event: msg.event, subscribe: msg.subscribe };
  }
  throw malformed(`Unknown message type ${JSON.stringify(msg.type)}.`);
}

/** Checks queue send options from a client; absent means none. */
export function parseSendOptions(value: unknown): WireSendOptions {
  if (value === undefined || value === null) return {};
  const o = value as Record<string, unknown>;
  if (typeof o !== "object") throw malformed("Send options must be an object.");
  const options: WireSendOptions = {};
  if (o.wait !== undefined) {
    if (typeof o.wait !== "boolean") throw malformed("options.wait must be a boolean.");
    options.wait = o.wait;
  }
  if (o.timeout !== undefined) {
    if (typeof o.timeout !== "number" || !(o.timeout >= 0)) throw malformed("options.timeout must be a non-negative number.");
    options.timeout = o.timeout;
  }
  if (o.idempotencyKey !== undefined) {
    if (typeof o.idempotencyKey !== "string") throw malformed("options.idempotencyKey must be a string.");
    options.idempotencyKey = o.idempotencyKey;
  }
  return options;
}
