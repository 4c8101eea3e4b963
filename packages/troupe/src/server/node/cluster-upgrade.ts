// In a cluster, an upgrade for an actor that another node runs is joined to that node, byte for
// byte, before this node answers it. A connection by key names its actor in a subprotocol: when
// that actor is stored already, it goes where the actor runs; a new one is created where it arrives.

import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { ActorHost } from "../../host/host.ts";
import type { ActorQuery } from "../../protocol/query.ts";
import { requestWithin } from "../base-path.ts";
import { forwardedBy, forwardHeaders, MAX_HOPS } from "../forward.ts";
import { targetQuery } from "../accept.ts";
import { requestedProtocols, routeUpgrade, type UpgradeTarget, upgradeOptions } from "../upgrade.ts";
import type { Upgrades } from "../upgrades.ts";
import { forwardUpgrade } from "./forward-upgrade.ts";
import { refuseUpgrade } from "./web-sockets.ts";

export function clusterUpgrades(upgrades: Upgrades) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer, request: Request, serveHere: () => void): void => {
    const host = upgrades.host;
    const token = host.clusterToken;
    const within = token === undefined ? undefined : requestWithin(request, upgrades.options.basePath);
    const route = within && routeUpgrade(within, upgrades.options.cors, false);
    if (token === undefined || route === undefined || !("target" in route)) {
      serveHere();
      return;
    }
    const from = forwardedBy(request, token);
    storedActorId(host, route.target, request).then(
      async (actorId) => {
        if (actorId === undefined) return serveHere();
        const placement = await host.place(actorId, from !== undefined);
        if (placement.kind === "here") return serveHere();
        if ((from?.hops ?? 0) >= MAX_HOPS) return refuseUpgrade(socket, 503);
        forwardUpgrade(req, socket, head, placement.address, forwardHeaders(token, from, req.socket.remoteAddress), (status) => {
          host.placementFailed(actorId);
          refuseUpgrade(socket, status);
        });
      },
      // Refused the usual way, after the handshake, with the error's code as the reason.
      () => serveHere(),
    );
  };
}

/**
 * The actor an upgrade is for, when it is stored: by the id in its path, or by the key its query
 * names (no hook runs: the node that serves the connection runs them). Undefined for a new actor or
 * a malformed query: served here, which creates the actor or refuses the connection.
 */
async function storedActorId(host: ActorHost, target: UpgradeTarget, request: Request): Promise<string | undefined> {
  let query: ActorQuery;
  try {
    query = targetQuery(target, upgradeOptions(requestedProtocols(request.headers)).query);
  } catch {
    return undefined;
  }
  if (query.kind === "id") return query.actorId;
  return (await host.driver.getActorByKey(query.name, query.key))?.id;
}
