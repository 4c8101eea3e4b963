// Reading and writing protocol bodies over HTTP: encoding negotiation, limits, errors.

import type { Logger } from "pino";
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

/** An encoded body response; over the outgoing limit it becomes `message.outgoing_too_long`. */
export function messageResponse(value: unknown, encoding: Encoding, limit: number, status = 200): Response {
  const body = encode(value, encoding);
  const size = byteLength(body);
  if (size > limit) {
    const error = new ActorError("message", "outgoing_too_long", `The response is ${size} bytes; the limit is ${limit} bytes.`, {
      metadata: { size, limit },
    });
    return messageResponse(wireError(error), encoding, limit, error.statusCode);
  }
  return new Response(body as BodyInit, { status, headers: { "content-type": CONTENT_TYPE[encoding] } });
}

/** The public form of any error; internal ones are logged here and reach the caller masked. */
export function publicWireError(error: unknown, logger: Logger): { error: ActorError; wire: WireError } {
  const visible = toPublicError(error);
  if (visible !== error) logger.error({ err: error }, "request failed");
  return { error: visible, wire: wireError(visible) };
}

export function wireError(error: ActorError): WireError {
  const wire: WireError = { group: error.group, code: error.code, message: error.message };
  if (error.metadata !== undefined) wire.metadata = error.metadata;
  return wire;
}

export function errorResponse(error: unknown, encoding: Encoding, logger: Logger): Response {
  const { error: visible, wire } = publicWireError(error, logger);
  return new Response(encode(wire, encoding) as BodyInit, {
    status: visible.statusCode,
    headers: { "content-type": CONTENT_TYPE[encoding] },
  });
}
