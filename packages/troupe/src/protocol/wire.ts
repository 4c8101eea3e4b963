// The wire protocol (version 1): HTTP routes, headers, WebSocket subprotocols and messages.
// Shared by the server and the browser client, so nothing here may import a Node module.
// docs/protocol.md describes it for people writing other clients.

import { checkInbound } from "./inbound.ts";

export const PROTOCOL_VERSION = 1;

export type Encoding = "json" | "cbor";
export const ENCODINGS: readonly Encoding[] = ["json", "cbor"];

export const CONTENT_TYPE: Record<Encoding, string> = { json: "application/json", cbor: "application/cbor" };

export const HEADERS = {
  /** Protocol version the client speaks; absent means 1. */
  protocol: "x-troupe-protocol",
  /** Body encoding of the request and of its response; absent means json. */
  encoding: "x-troupe-encoding",
  /** Connection params: base64url of their UTF-8 JSON. */
  params: "x-troupe-conn-params",
} as const;

/** WebSocket subprotocols: browsers cannot set headers on a WebSocket, so options travel here. */
export const SUBPROTOCOLS = {
  version: `troupe.v${PROTOCOL_VERSION}`,
  encoding: "troupe.encoding.",
  params: "troupe.params.",
  token: "troupe.token.",
  /** The actor of a connection by key (`/actors/{name}/connect`): base64url JSON of `{ kind, key }`. */
  query: "troupe.query.",
} as const;

/** WebSocket close codes with a meaning in the protocol. */
export const CLOSE_CODES = {
  /** The actor closed the connection (conn.disconnect, destroy): do not reconnect. */
  normal: 1000,
  /** The server is shutting down or the actor is stopping: reconnect. */
  goingAway: 1001,
  /** The connection was refused or failed; the reason is `group.code`, an error frame came first. */
  error: 1008,
  /** A message was over the size limit. */
  tooBig: 1009,
} as const;

export const ROUTES = {
  health: "/health",
  /** POST `{ query }` → `{ actorId }`: find or create an actor. */
  actors: "/actors",
} as const;

/** Path of a connection to the actor a query by key designates: `/actors/{name}/connect`. */
export function connectByKeyPath(name: string): string {
  return `/actors/${encodeURIComponent(name)}/connect`;
}

/** Path of an actor-scoped route: `/actors/{name}/{id}/{rest}`. */
export function actorPath(name: string, actorId: string, rest: string): string {
  return `/actors/${encodeURIComponent(name)}/${encodeURIComponent(actorId)}/${rest}`;
}

/** The path after `/actors/{name}/{id}/{kind}` (for raw requests and sockets), always starting with "/". */
export function actorSubpath(pathname: string, kind: "request" | "websocket"): string {
  const segments = pathname.split("/");
  const at = segments.indexOf("actors");
  if (at < 0 || segments[at + 3] !== kind) return "/";
  return `/${segments.slice(at + 4).join("/")}`;
}

/** An error as it travels: the public fields of ActorError. */
export interface WireError {
  group: string;
  code: string;
  message: string;
  metadata?: unknown;
}

/** Options of a queue send, as they travel. */
export interface WireSendOptions {
  wait?: boolean;
  timeout?: number;
  idempotencyKey?: string;
}

/** Client → server messages on an actor connection. `id` pairs a request with its reply. */
export type ToServer =
  | { type: "action"; id: number; name: string; args: unknown[] }
  | { type: "send"; id: number; queue: string; body: unknown; options: WireSendOptions }
  | { type: "subscribe"; event: string; subscribe: boolean };

/** Server → client messages on an actor connection. */
export type ToClient =
  | { type: "init"; actorId: string; connId: string; protocol: number }
  | { type: "result"; id: number; output: unknown }
  | { type: "event"; name: string; args: unknown[] }
  | ({ type: "error"; id?: number } & WireError);

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

/** base64url of the UTF-8 JSON of `value`: safe in a header and in a subprotocol token. */
export function encodeParams(value: unknown): string {
  const bytes = utf8.encode(JSON.stringify(value ?? null));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

/** Inverse of encodeParams; throws on anything malformed, and on values that break the rules (inbound.ts). */
export function decodeParams(text: string): unknown {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  const json = utf8Decoder.decode(bytes);
  return checkInbound(JSON.parse(json), "json", json);
}
