// The WebSocket side of one server, whatever runtime accepts its sockets: answers upgrade requests
// (upgrade-answer.ts) and keeps what a graceful close needs, the actions in flight on its sockets.

import type { Logger } from "pino";
import type { ActorHost } from "../host/host.ts";
import type { ClientLimits } from "./client-limits.ts";
import type { ServerExtension, SocketHandler } from "./extension.ts";
import type { TransportOptions } from "./options.ts";
import { trafficOf } from "./traffic.ts";
import { answerUpgrade, type UpgradeContext } from "./upgrade-answer.ts";

export interface UpgradesOptions {
  /** Read on every upgrade, so sockets follow the registry across a runtime restart. */
  host: () => ActorHost;
  options: TransportOptions;
  logger: Logger;
  extensions: readonly ServerExtension[];
  /** The per-client limits the HTTP app applies: a connection by key that creates its actor counts too. */
  limits?: ClientLimits;
}

export class Upgrades {
  readonly #inflight = new Set<Promise<unknown>>();
  #closing = false;
  readonly #context: UpgradeContext;

  constructor({ host, options, logger, extensions, limits }: UpgradesOptions) {
    const inflight = this.#inflight;
    this.#context = {
      get host() {
        return host();
      },
      options,
      logger,
      extensions,
      limits,
      traffic: trafficOf(extensions),
      closing: () => this.#closing,
      track(work) {
        inflight.add(work);
        void work.finally(() => inflight.delete(work));
      },
    };
  }

  get options(): TransportOptions {
    return this.#context.options;
  }

  /** The host the sockets are served by (read on every call: it follows a runtime restart). */
  get host(): ActorHost {
    return this.#context.host;
  }

  /**
   * See answerUpgrade: undefined when the path is not under the base path. `clientAddress` is the
   * client's IP address when the runtime knows it (the default key of the per-client limits).
   */
  readonly answer = (request: Request, clientAddress?: string): Promise<Response | SocketHandler | undefined> =>
    answerUpgrade(request, this.#context, clientAddress);

  /** From now on new sockets are refused with 503. */
  stopAccepting(): void {
    this.#closing = true;
  }

  /** Settles when the actions in flight on the sockets have (their replies sent), or after `waitMs`. */
  async drain(waitMs: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    });
    await Promise.race([Promise.allSettled([...this.#inflight]), late]);
    clearTimeout(timer);
  }
}
