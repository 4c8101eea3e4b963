// The answer to a WebSocket upgrade request, whatever runtime received it: refuse it with a
// Response, or accept it with a SocketHandler that serves the socket the runtime then opens.
// Each runtime adapter (node/, fetch-upgrade.ts, hono-web-socket.ts) only carries this out.

import { acceptSocket } from "./accept.ts";
import type { ClientLimits } from "./client-limits.ts";
import { pathWithin, requestWithin } from "./base-path.ts";
import type { SocketContext } from "./connection.ts";
import { extensionUpgrade, type ServerExtension, type SocketHandler } from "./extension.ts";
import { originAllowed } from "./options.ts";
import { requestedProtocols, routeUpgrade, selectProtocol } from "./upgrade.ts";

export type { SocketHandler };

export interface UpgradeContext extends SocketContext {
  extensions: readonly ServerExtension[];
  limits?: ClientLimits;
  /** True once the server is closing: new sockets are refused with 503. */
  closing(): boolean;
}

/**
 * What to do with an upgrade request: undefined when its path is not under the base path (another
 * handler of the same server may take it), a Response refusing it, or the handler of its socket.
 */
export async function answerUpgrade(
  request: Request,
  ctx: UpgradeContext,
  clientAddress?: string,
): Promise<Response | SocketHandler | undefined> {
  const within = requestWithin(request, ctx.options.basePath);
  if (within === undefined) return undefined;
  const route = routeUpgrade(within, ctx.options.cors, ctx.closing());
  if ("target" in route) {
    const { target } = route;
    const { limits } = ctx;
    const admitCreate = limits && (() => limits.admitCreate(ctx.options.limits.clientKey(request, clientAddress)));
    return {
      protocol: selectProtocol(requestedProtocols(within.headers)),
      open: (socket) => acceptSocket(socket, within, target, ctx, admitCreate),
    };
  }
  if (route.status !== 404) return refusal(route.status);
  if (!originAllowed(ctx.options.cors, within.headers.get("origin") ?? undefined)) return refusal(403);
  const answer = await extensionUpgrade(ctx.extensions, within, requestedProtocols(within.headers));
  return answer ?? refusal(404);
}

/** Whether `request` asks for a WebSocket. */
export function isUpgrade(request: Request): boolean {
  return request.headers.get("upgrade")?.toLowerCase() === "websocket";
}

/** Whether an upgrade to `url` is the registry's to answer (its path is under the base path). */
export function upgradeIsOurs(url: string, basePath: string): boolean {
  return pathWithin(new URL(url).pathname, basePath) !== undefined;
}

/** A refusal before the handshake: the status alone, as a WebSocket client sees nothing more. */
function refusal(status: 403 | 404 | 503): Response {
  return new Response(null, { status });
}
