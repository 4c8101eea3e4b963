// Reads a WebSocket upgrade request: which actor route it targets and the options that
// browsers can only send as subprotocols (version, encoding, params, token).

import type { IncomingMessage } from "node:http";
import { ActorError } from "../base/errors.ts";
import { isEncoding, malformed } from "../protocol/codec.ts";
import { actorSubpath, decodeParams, type Encoding, PROTOCOL_VERSION, SUBPROTOCOLS } from "../protocol/wire.ts";

export interface UpgradeTarget {
  kind: "connect" | "websocket";
  name: string;
  actorId: string;
}

export interface UpgradeOptions {
  encoding: Encoding;
  params: unknown;
  token: string | undefined;
  /** Subprotocols that are not the protocol's own: a raw socket's own protocols. */
  userProtocols: string[];
}

const ROUTE = /^\/actors\/([^/]+)\/([^/]+)\/(connect$|websocket(?:\/|$))/;

export function upgradeTarget(url: string | undefined): UpgradeTarget | undefined {
  const pathname = new URL(url ?? "/", "http://localhost").pathname;
  const match = ROUTE.exec(pathname);
  if (!match) return undefined;
  try {
    return {
      kind: match[3] === "connect" ? "connect" : "websocket",
      name: decodeURIComponent(match[1]!),
      actorId: decodeURIComponent(match[2]!),
    };
  } catch {
    return undefined;
  }
}

export function requestedProtocols(req: IncomingMessage): string[] {
  const header = req.headers["sec-websocket-protocol"];
  return header
    ? header
        .split(",")
        .map((p) => p.trim())
        .filter((p) => p.length > 0)
    : [];
}

/** Options from the subprotocols; throws a typed error for anything malformed. */
export function upgradeOptions(protocols: string[]): UpgradeOptions {
  const options: UpgradeOptions = { encoding: "json", params: undefined, token: undefined, userProtocols: [] };
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
    } else if (protocol.startsWith(SUBPROTOCOLS.token)) {
      options.token = String(decodeParams(protocol.slice(SUBPROTOCOLS.token.length)));
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

/**
 * The upgrade as a web Request for `c.request`: a token sent as a subprotocol becomes the
 * Authorization header, so actor code reads it the same way for HTTP and WebSocket clients.
 */
export function upgradeRequest(req: IncomingMessage, target: UpgradeTarget, token: string | undefined): Request {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  if (target.kind === "websocket") url.pathname = actorSubpath(url.pathname, "websocket");
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === "sec-websocket-protocol") continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  if (token !== undefined && !headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
  return new Request(url, { method: "GET", headers });
}
