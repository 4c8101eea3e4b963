// In a cluster, an upgrade for an actor that another node runs is joined to that node, byte for
// byte, before this node answers it. A connection by key names its actor only in its first
// message: it is served where it arrives.

import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { requestWithin } from "../base-path.ts";
import { forwardedBy, forwardHeaders, MAX_HOPS } from "../forward.ts";
import { routeUpgrade } from "../upgrade.ts";
import type { Upgrades } from "../upgrades.ts";
import { forwardUpgrade } from "./forward-upgrade.ts";
import { refuseUpgrade } from "./web-sockets.ts";

export function clusterUpgrades(upgrades: Upgrades) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer, request: Request, serveHere: () => void): void => {
    const host = upgrades.host;
    const token = host.clusterToken;
    const within = token === undefined ? undefined : requestWithin(request, upgrades.options.basePath);
    const route = within && routeUpgrade(within, upgrades.options.cors, false);
    const actorId = route && "target" in route ? route.target.actorId : undefined;
    if (token === undefined || actorId === undefined) {
      serveHere();
      return;
    }
    const from = forwardedBy(request, token);
    host.place(actorId, from !== undefined).then(
      (placement) => {
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
