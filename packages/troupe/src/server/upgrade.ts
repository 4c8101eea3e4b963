// Reads a WebSocket upgrade request, as a web Request whatever the runtime: which actor route it
// targets, whether it may open, and the options that browsers can only send as subprotocols
// (version, encoding, params, token).

import { ActorError } from "../base/errors.ts";
import { isEncoding, malformed } from "../protocol/codec.ts";
import { actorSubpath, decodeParams, type Encoding, PROTOCOL_VERSION, SUBPROTOCOLS } from "../protocol/wire.ts";
import { type CorsOptions, originAllowed } from "./options.ts";

export interface UpgradeTarget {
  kind: "connect" | "websocket";
  name: string;
  /** Absent for a connection by key (`/actors/{name}/connect`): the query subprotocol names the actor. */
  actorId?: string;
}

export interface UpgradeOptions {
  encoding: Encoding;
  /** The `{ kind, key }` of a connection by key, unchecked (parseQuery checks it). */
  query: unknown;
  params: unknown;
  token: string | undefined;
  /** Subprotocols that are not the protocol's own: a raw socket's own protocols. */
  userProtocols: string[];
}

const ROUTE = /^\/actors\/([^/]+)\/([^/]+)\/(connect$|websocket(?:\/|$))/;
const BY_KEY_ROUTE = /^\/actors\/([^/]+)\/connect$/;

/** The actor route of an upgrade request, or the HTTP status that refuses it before the handshake. */
export function routeUpgrade(
  request: Request,
  cors: CorsOptions | false,
  closing: boolean,
): { target: UpgradeTarget } | { status: 403 | 404 | 503 } {
  if (closing) return { status: 503 };
  const target = upgradeTarget(request.url);
  if (!target) return { status: 404 };
  if (!originAllowed(cors, request.headers.get("origin") ?? undefined)) return { status: 403 };
  return { target };
}

function upgradeTarget(url: string): UpgradeTarget | undefined {
  const pathname = new URL(url).pathname;
  const byKey = BY_KEY_ROUTE.exec(pathname);
  const match = ROUTE.exec(pathname);
  try {
    if (byKey) return { kind: "connect", name: decodeURIComponent(byKey[1]!) };
    if (!match) return undefined;
    return {
      kind: match[3] === "connect" ? "connect" : "websocket",
      name: decodeURIComponent(match[1]!),
      actorId: decodeURIComponent(match[2]!),
    };
  } catch {
    return undefined;
  }
}

/** The subprotocols a client offered, in its order. */
export function requestedProtocols(headers: Headers): string[] {
  const header = headers.get("sec-websocket-protocol");
  return header
    ? header
        .split(",")
        .map((p) => p.trim())
        .filter((p) => p.length > 0)
    : [];
}

/**
 * The subprotocol to select in the handshake, from those offered: browsers fail the handshake
 * unless one of theirs is selected. A raw socket's own protocol wins; undefined selects none.
 */
export function selectProtocol(offered: Iterable<string>): string | undefined {
  let version = false;
  for (const protocol of offered) {
    if (!protocol.startsWith("troupe.")) return protocol;
    if (protocol === SUBPROTOCOLS.version) version = true;
  }
  return version ? SUBPROTOCOLS.version : undefined;
}

/** Options from the subprotocols; throws a typed error for anything malformed. */
export function upgradeOptions(protocols: string[]): UpgradeOptions {
  const options: UpgradeOptions = { encoding: "json", query: undefined, params: undefined, token: undefined, userProtocols: [] };
  for (const protocol of protocols) {
    if (protocol.startsWith(SUBPROTOCOLS.encoding)) {
      const encoding = protocol.slice(SUBPROTOCOLS.encoding.length);
      if (!isEncoding(encoding))
        throw new ActorError("protocol", "unsupported_encoding", `Unsupported encoding "${encoding}"; use json or cbor.`);
      options.encoding = encoding;
    } else if (protocol.startsWith(SUBPROTOCOLS.params)) {
      try {
        options.params = decodeParams(protocol.slice(SUBPROTOCOLS.params.length));
      } catch (error) {
        throw malformed("The params subprotocol is not base64url-encoded JSON.", error);
      }
    } else if (protocol.startsWith(SUBPROTOCOLS.query)) {
      try {
        options.query = decodeParams(protocol.slice(SUBPROTOCOLS.query.length));
      } catch (error) {
        throw malformed("The query subprotocol is not base64url-encoded JSON.", error);
      }
    } else if (protocol.startsWith(SUBPROTOCOLS.token)) {
      options.token = decodeToken(protocol.slice(SUBPROTOCOLS.token.length));
    } else if (/^troupe\.v\d+$/.test(protocol)) {
      if (protocol !== SUBPROTOCOLS.version) {
        throw new ActorError(
          "protocol",
          "unsupported_version",
          `This server speaks protocol version ${PROTOCOL_VERSION}, not ${protocol}.`,
        );
      }
    } else {
      options.userProtocols.push(protocol);
    }
  }
  return options;
}

/** The token subprotocol carries a JSON string, base64url-encoded like params. */
function decodeToken(text: string): string {
  let token: unknown;
  try {
    token = decodeParams(text);
  } catch (error) {
    throw malformed("The token subprotocol is not base64url-encoded JSON.", error);
  }
  if (typeof token !== "string") throw malformed("The token subprotocol must hold a JSON string.");
  return token;
}

/**
 * The upgrade as a web Request for `c.request`: a token sent as a subprotocol becomes the
 * Authorization header, so actor code reads it the same way for HTTP and WebSocket clients.
 */
export function upgradeRequest(request: Request, target: UpgradeTarget, token: string | undefined): Request {
  const url = new URL(request.url);
  if (target.kind === "websocket") url.pathname = actorSubpath(url.pathname, "websocket");
  const headers = new Headers(request.headers);
  headers.delete("sec-websocket-protocol");
  if (token !== undefined && !headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
  return new Request(url, { method: "GET", headers });
}
