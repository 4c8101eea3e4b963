// The WebSockets of a Node http.Server (`ws` in noServer mode): each upgrade request under the base
// path is answered by answerUpgrade and, when accepted, handed over as a ServerSocket. Used by
// `registry.serve()` on its own server and by `registry.attach(server)` on the user's.

import { type IncomingMessage, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import { CLOSE_CODES } from "../../protocol/wire.ts";
import type { SocketHandler } from "../extension.ts";
import { upgradeIsOurs } from "../upgrade-answer.ts";
import { startHeartbeat } from "./heartbeat.ts";
import { webRequest } from "./web-request.ts";
import { WsSocket } from "./ws-socket.ts";

export type Answer = (request: Request, clientAddress?: string) => Promise<Response | SocketHandler | undefined>;

export interface NodeWebSocketsOptions {
  basePath: string;
  maxIncomingMessageSize: number;
  logger: Logger;
  /**
   * Takes an upgrade before it is answered here, when another process serves it (a cluster node
   * joins the socket to the actor's node); otherwise calls `serveHere`.
   */
  forward?: (req: IncomingMessage, socket: Duplex, head: Buffer, request: Request, serveHere: () => void) => void;
  /** The server is ours: an upgrade nobody takes is refused (on a shared server it is left to others). */
  ownServer: boolean;
}

/** Frames this far over the soft limit are refused by ws itself, without being buffered. */
const HARD_LIMIT_FACTOR = 4;
const HEARTBEAT_MS = 15_000;

export class NodeWebSockets {
  readonly #answer: Answer;
  readonly #options: NodeWebSocketsOptions;
  readonly #wss: WebSocketServer;
  readonly #heartbeat;
  /** The subprotocol chosen for each upgrade being accepted. */
  readonly #chosen = new WeakMap<IncomingMessage, string>();

  constructor(answer: Answer, options: NodeWebSocketsOptions) {
    this.#answer = answer;
    this.#options = options;
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxIncomingMessageSize * HARD_LIMIT_FACTOR,
      handleProtocols: (_offered, req) => this.#chosen.get(req) ?? false,
    });
    this.#heartbeat = startHeartbeat(this.#wss, HEARTBEAT_MS);
  }

  /** The server's "upgrade" listener. */
  readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const request = webRequest(req);
    if (request === undefined) {
      if (this.#options.ownServer) refuseUpgrade(socket, 400);
      return;
    }
    // Decided at once, so that another listener of a shared server can take the request instead.
    if (!upgradeIsOurs(request.url, this.#options.basePath)) {
      if (this.#options.ownServer) refuseUpgrade(socket, 404);
      return;
    }
    const serveHere = () => this.#serve(req, socket, head, request);
    if (this.#options.forward) this.#options.forward(req, socket, head, request, serveHere);
    else serveHere();
  };

  #serve(req: IncomingMessage, socket: Duplex, head: Buffer, request: Request): void {
    this.#answer(request, req.socket.remoteAddress).then(
      async (answer) => {
        if (answer === undefined) return refuseUpgrade(socket, 404);
        if (answer instanceof Response) return void socket.end(await rawResponse(answer));
        if (answer.protocol !== undefined) this.#chosen.set(req, answer.protocol);
        this.#wss.handleUpgrade(req, socket, head, (ws) => {
          // ws reports protocol violations (e.g. a frame over maxPayload) here, then closes the socket.
          ws.on("error", (error) => this.#options.logger.debug({ err: error }, "websocket error"));
          this.#heartbeat.watch(ws);
          answer.open(new WsSocket(ws));
        });
      },
      (error: unknown) => {
        this.#options.logger.error({ err: error }, "websocket upgrade failed");
        refuseUpgrade(socket, 500);
      },
    );
  }

  /** Closes every socket (going away, so clients reconnect), ending those that do not answer within `waitMs`. */
  async close(waitMs: number): Promise<void> {
    const closed = [...this.#wss.clients].map(
      (ws) =>
        new Promise<void>((resolve) => {
          ws.once("close", () => resolve());
          ws.close(CLOSE_CODES.goingAway, "server shutting down");
        }),
    );
    await withDeadline(Promise.all(closed), waitMs, () => {
      for (const ws of this.#wss.clients) ws.terminate();
    });
    this.#heartbeat.stop();
  }
}

export function refuseUpgrade(socket: Duplex, status: number): void {
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`);
}

/** A web Response as the raw HTTP answer to an upgrade request that is refused. */
async function rawResponse(response: Response): Promise<Buffer> {
  const body = Buffer.from(await response.arrayBuffer());
  const head = [`HTTP/1.1 ${response.status} ${response.statusText || STATUS_CODES[response.status] || ""}`];
  response.headers.forEach((value, name) => {
    if (name !== "content-length" && name !== "connection") head.push(`${name}: ${value}`);
  });
  head.push(`content-length: ${body.byteLength}`, "connection: close", "", "");
  return Buffer.concat([Buffer.from(head.join("\r\n")), body]);
}

/** Waits for `work` at most `ms`; past that, runs `onLate` (which must make `work` settle, if anything). */
export async function withDeadline(work: Promise<unknown>, ms: number, onLate: () => void): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), ms);
  });
  const first = await Promise.race([work, late]);
  clearTimeout(timer);
  if (first === "late") onLate();
}
