// HTTP requests of the remote client: encoded bodies in, typed ActorErrors out.

import { ActorError } from "../base/errors.ts";
import { decode, encode } from "../protocol/codec.ts";
import { CONTENT_TYPE, type Encoding, encodeParams, HEADERS, PROTOCOL_VERSION, type WireError } from "../protocol/wire.ts";

export interface HttpSettings {
  endpoint: string;
  encoding: Encoding;
  headers: () => Record<string, string>;
  token: string | undefined;
  fetch: typeof fetch;
}

/** Headers every request carries: protocol version, auth, the user's own, and params if any. */
export function baseHeaders(settings: HttpSettings, params: unknown): Headers {
  const headers = new Headers(settings.headers());
  headers.set(HEADERS.protocol, String(PROTOCOL_VERSION));
  if (settings.token !== undefined) headers.set("authorization", `Bearer ${settings.token}`);
  if (params !== undefined) headers.set(HEADERS.params, encodeParams(params));
  return headers;
}

/** Sends `fetch` and turns a network failure into `client.connection_failed`. */
export async function send(settings: HttpSettings, url: string, init: RequestInit): Promise<Response> {
  try {
    return await settings.fetch(url, init);
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new ActorError(
      "client",
      "connection_failed",
      `Could not reach ${url}: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** POSTs an encoded body to a protocol route and decodes the reply, or throws the error it carries. */
export async function postMessage(
  settings: HttpSettings,
  path: string,
  body: unknown,
  params: unknown,
  signal: AbortSignal | undefined,
): Promise<Record<string, unknown>> {
  const headers = baseHeaders(settings, params);
  headers.set(HEADERS.encoding, settings.encoding);
  headers.set("content-type", CONTENT_TYPE[settings.encoding]);
  const url = `${settings.endpoint}${path}`;
  const response = await send(settings, url, { method: "POST", headers, body: encode(body, settings.encoding) as BodyInit, signal });
  const bytes = new Uint8Array(await response.arrayBuffer());
  let value: unknown;
  try {
    value = decode(bytes, settings.encoding);
  } catch {
    throw new ActorError(
      "client",
      "malformed_response",
      `${url} answered ${response.status} with a body that is not ${settings.encoding}.`,
      {
        metadata: { status: response.status },
      },
    );
  }
  if (!response.ok) throw errorFromWire(value, response.status);
  return value as Record<string, unknown>;
}

/** Rebuilds the server's error; anything else becomes `client.malformed_response`. */
export function errorFromWire(value: unknown, status?: number): ActorError {
  const wire = value as Partial<WireError> | null;
  if (typeof wire?.group === "string" && typeof wire.code === "string") {
    return new ActorError(wire.group, wire.code, String(wire.message ?? ""), { metadata: wire.metadata });
  }
  return new ActorError("client", "malformed_response", `The server answered ${status ?? "with"} an error in an unknown shape.`, {
    metadata: { status },
  });
}
