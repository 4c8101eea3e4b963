// Reading and writing protocol bodies over HTTP: encoding negotiation, limits, errors.

import type { Logger } from "pino";
import { attributedLog } from "../actor/attribution.ts";
import { normalizeKey } from "../protocol/keys.ts";
import type { ActorQuery } from "../protocol/query.ts";
import { ActorError, toPublicError } from "../base/errors.ts";
import { readBody } from "./body.ts";
import { byteLength, decode, encode, isEncoding, malformed } from "../protocol/codec.ts";
import { CONTENT_TYPE, decodeParams, type Encoding, HEADERS, PROTOCOL_VERSION, type WireError } from "../protocol/wire.ts";

/** The encoding a request asks for: the encoding header, else its content type, else JSON. */
export function requestEncoding(request: Request): Encoding {
  const named = request.headers.get(HEADERS.encoding);
  if (named !== null) {
    if (!isEncoding(named)) {
      throw new ActorError("protocol", "unsupported_encoding", `Unsupported encoding "${named}"; use json or cbor.`);
    }
    return named;
  }
  return request.headers.get("content-type")?.startsWith(CONTENT_TYPE.cbor) ? "cbor" : "json";
}

/** Rejects clients that speak another protocol version. */
export function checkVersion(request: Request): void {
  const version = request.headers.get(HEADERS.protocol);
  if (version !== null && version !== String(PROTOCOL_VERSION)) {
    throw new ActorError("protocol", "unsupported_version", `This server speaks protocol version ${PROTOCOL_VERSION}, not ${version}.`, {
      metadata: { supported: [PROTOCOL_VERSION], requested: version },
    });
  }
}

/** Reads and decodes a body object, refusing it unread when it is over the limit. */
export async function readMessage(request: Request, encoding: Encoding, limit: number): Promise<Record<string, unknown>> {
  const bytes = await readBody(request, limit);
  const value = decode(bytes, encoding);
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw malformed("The request body must be an object.");
  return value as Record<string, unknown>;
}

/** Connection params from the params header (base64url JSON); undefined when absent. */
export function requestParams(request: Request): unknown {
  const header = request.headers.get(HEADERS.params);
  if (header === null) return undefined;
  try {
    return decodeParams(header);
  } catch (error) {
    throw malformed(`The ${HEADERS.params} header is not base64url-encoded JSON.`, error);
  }
}

/** Checks an actor query from a client. */
export function parseQuery(value: unknown): ActorQuery {
  const q = value as Record<string, unknown> | null;
  if (typeof q !== "object" || q === null) throw malformed("`query` must be an object.");
  if (typeof q.name !== "string") throw malformed("`query.name` must be a string.");
  switch (q.kind) {
    case "id":
      if (typeof q.actorId !== "string") throw malformed("`query.actorId` must be a string.");
      return { kind: "id", name: q.name, actorId: q.actorId };
    case "get":
      return { kind: "get", name: q.name, key: normalizeKey(q.key as string[]) };
    case "getOrCreate":
    case "create": {
      const key = normalizeKey(q.key as string[]);
      return "input" in q ? { kind: q.kind, name: q.name, key, input: q.input } : { kind: q.kind, name: q.name, key };
    }
    default:
      throw malformed('`query.kind` must be "get", "getOrCreate", "create" or "id".');
  }
}

/**
 * An encoded body response. Over the outgoing limit it becomes `message.outgoing_too_long`; a value
 * the encoding cannot carry throws `message.unsupported_value` (answered by the app's error handler).
 */
export function messageResponse(value: unknown, encoding: Encoding, limit: number): Response {
  const body = encode(value, encoding);
  const size = byteLength(body);
  if (size > limit) return encodedErrorResponse(outgoingTooLong(`The response is ${size} bytes`, limit, { size }), encoding, limit);
  return new Response(body as BodyInit, {
    status: 200,
    headers: { "content-type": CONTENT_TYPE[encoding], "content-length": String(size) },
  });
}

export function outgoingTooLong(what: string, limit: number, metadata: Record<string, unknown> = {}): ActorError {
  return new ActorError("message", "outgoing_too_long", `${what}; the limit is ${limit} bytes.`, { metadata: { ...metadata, limit } });
}

/**
 * An error, encoded so that it always reaches its caller: metadata its encoding cannot carry (a
 * user's bigint, for JSON) is left out, and an error too long to send becomes a short
 * `message.outgoing_too_long`. `frame` wraps the error (as the WebSocket `error` message).
 */
export function encodeError(
  wire: WireError,
  encoding: Encoding,
  limit: number,
  frame: (wire: WireError) => unknown = (w) => w,
): string | Uint8Array {
  let data: string | Uint8Array;
  try {
    data = encode(frame(wire), encoding);
  } catch {
    const { metadata: _, ...bare } = wire;
    data = encode(frame(bare), encoding);
  }
  const size = byteLength(data);
  if (size <= limit) return data;
  return encode(frame(wireError(outgoingTooLong(`The error is ${size} bytes`, limit, { size }))), encoding);
}

/** The public form of any error; internal ones are logged here and reach the caller masked. */
export function publicWireError(error: unknown, logger: Logger): { error: ActorError; wire: WireError } {
  const visible = toPublicError(error);
  // Logged against its actor (name, key and id on the line) when the error is known to be one's.
  if (visible !== error) (attributedLog(error) ?? logger).error({ err: error }, "request failed");
  return { error: visible, wire: wireError(visible) };
}

export function wireError(error: ActorError): WireError {
  const wire: WireError = { group: error.group, code: error.code, message: error.message };
  if (error.metadata !== undefined) wire.metadata = error.metadata;
  return wire;
}

export function errorResponse(error: unknown, encoding: Encoding, logger: Logger, limit: number): Response {
  return encodedErrorResponse(publicWireError(error, logger).error, encoding, limit);
}

/** The response for an error already in its public form. */
export function encodedErrorResponse(error: ActorError, encoding: Encoding, limit: number): Response {
  const body = encodeError(wireError(error), encoding, limit);
  return new Response(body as BodyInit, {
    status: error.statusCode,
    headers: {
      "content-type": CONTENT_TYPE[encoding],
      "content-length": String(byteLength(body)),
      [HEADERS.error]: `${error.group}.${error.code}`,
    },
  });
}
