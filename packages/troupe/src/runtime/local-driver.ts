// The in-process client driver: calls go straight to the host, values are copied as the wire would.

import type { Conn } from "../actor/conn.ts";
import { copyArgs } from "../actor/copy.ts";
import type { ActorQuery, CallOptions, ClientDriver, ConnListener, DriverConn, SendOptions, SendResult } from "../client/driver.ts";
import { backoffDelay } from "../client/backoff.ts";
import { paramsFor } from "../client/params.ts";
import { delay } from "../base/timers.ts";
import { ActorError, isErrorCode } from "../base/errors.ts";
import { errorResponse } from "../server/http-messages.ts";
import type { ActorHost } from "../host/host.ts";

export class LocalDriver implements ClientDriver {
  readonly #host: () => ActorHost;

  /** `host` is read on every call, so a client survives a runtime restart in tests. */
  constructor(host: () => ActorHost) {
    this.#host = host;
  }

  async resolve(query: ActorQuery, options: CallOptions): Promise<string> {
    return this.#host().resolve(query, { params: await paramsFor(options) });
  }

  async action(query: ActorQuery, name: string, args: unknown[], options: CallOptions): Promise<unknown> {
    const host = this.#host();
    const params = await paramsFor(options);
    const actorId = await host.resolve(query, { params });
    return host.gateway.action({ actorId, params }, name, args);
  }

  async send(query: ActorQuery, name: string, body: unknown, options: SendOptions & CallOptions): Promise<SendResult | undefined> {
    const host = this.#host();
    const params = await paramsFor(options);
    const actorId = await host.resolve(query, { params });
    return host.gateway.send({ actorId, params }, name, body, options);
  }

  async fetch(query: ActorQuery, path: string, init: RequestInit | undefined, options: CallOptions): Promise<Response> {
    const host = this.#host();
    const params = await paramsFor(options);
    const actorId = await host.resolve(query, { params });
    // In-process requests have no server: the origin is a placeholder, the path is what the actor sees.
    const request = new Request(new URL(path, "http://actor.local"), init);
    try {
      return await host.gateway.request({ actorId, params, request });
    } catch (error) {
      // As the server answers: a refused or failed request is a response (403, 404, 500), except
      // a vanished actor, which a key-based handle follows to its key's new actor.
      if (isErrorCode(error, "actor", "not_found")) throw error;
      return errorResponse(error, "json", host.logger, Number.POSITIVE_INFINITY);
    }
  }

  async webSocket(): Promise<WebSocket> {
    throw new ActorError(
      "feature",
      "unsupported",
      "handle.webSocket() needs a server: serve the registry and use createClient from troupe/client.",
    );
  }

  gatewayUrl(): string {
    throw new ActorError("feature", "unsupported", "handle.getGatewayUrl() needs a server: serve the registry and use troupe/client.");
  }

  connect(query: ActorQuery, options: CallOptions, listener: ConnListener): DriverConn {
    let closed = false;
    const opened = (async () => {
      const host = this.#host();
      const params = await paramsWithRetry(options, listener, () => closed);
      const actorId = await host.resolve(query, { params });
      const conn = await host.gateway.connect(
        { actorId, params },
        {
          event: (name, args) => listener.event(name, copyArgs(args)),
          close: (reason) => {
            closed = true;
            listener.close(reason, false);
          },
        },
      );
      listener.open({ actorId, connId: conn.id });
      return { actorId, conn };
    })();
    opened.catch((error: unknown) => {
      closed = true;
      listener.error(error);
      listener.close("connection rejected", false);
    });
    const withConn = async <T>(fn: (actorId: string, conn: Conn) => Promise<T>): Promise<T> => {
      const { actorId, conn } = await opened;
      return fn(actorId, conn);
    };
    return {
      action: (name, args) => withConn((actorId, conn) => this.#host().gateway.action({ actorId, conn }, name, args)),
      send: (name, body, sendOptions) => withConn((actorId, conn) => this.#host().gateway.send({ actorId, conn }, name, body, sendOptions)),
      subscribe: (event, subscribed) => {
        // Applied in order once the connection is open; a refusal (canSubscribe) reaches onError.
        opened.then(
          ({ actorId, conn }) =>
            this.#host()
              .gateway.subscribe({ actorId, conn }, event, subscribed)
              .catch((error: unknown) => listener.error(error)),
          () => {},
        );
      },
      close: async () => {
        if (closed) return;
        closed = true;
        await withConn((actorId, conn) => this.#host().gateway.disconnect({ actorId, conn }, "disposed")).catch(() => {});
      },
    };
  }

  async dispose(): Promise<void> {}
}

/**
 * The params of an in-process connection. A failing `getParams` is reported to `onError` and
 * tried again with backoff, as the network client does; calls made meanwhile wait for it.
 */
async function paramsWithRetry(options: CallOptions, listener: ConnListener, closed: () => boolean): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await paramsFor(options);
    } catch (error) {
      if (closed() || !isErrorCode(error, "client", "get_params_failed")) throw error;
      listener.error(error);
      await delay(backoffDelay(attempt));
    }
  }
}
