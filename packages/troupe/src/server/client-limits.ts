// What one network client may do: create so many actors a minute, have so many HTTP calls in
// flight. A client is a key (its IP address by default, see LimitsConfig.clientKey); the counts
// live in memory, a minute's creations in one window that is dropped whole when the next begins.

import { ActorError } from "../base/errors.ts";
import type { ResolvedLimits } from "./options.ts";

const WINDOW_MS = 60_000;

export class ClientLimits {
  readonly #limits: ResolvedLimits;
  #window = -1;
  #created = new Map<string, number>();
  readonly #inFlight = new Map<string, number>();

  constructor(limits: ResolvedLimits) {
    this.#limits = limits;
  }

  /** Counts a creation for `client`; throws `actor.create_rate_limited` past the limit. */
  admitCreate(client: string): void {
    const limit = this.#limits.actorCreatesPerMinute;
    if (limit === Number.POSITIVE_INFINITY) return;
    const window = Math.floor(Date.now() / WINDOW_MS);
    if (window !== this.#window) {
      this.#window = window;
      this.#created = new Map();
    }
    const count = this.#created.get(client) ?? 0;
    if (count >= limit) {
      const retryAfterMs = (window + 1) * WINDOW_MS - Date.now();
      throw new ActorError("actor", "create_rate_limited", `Too many actors created; at most ${limit} a minute. Retry later.`, {
        metadata: { limit, retryAfterMs },
      });
    }
    this.#created.set(client, count + 1);
  }

  /** Runs `call` as one of `client`'s calls in flight; throws `request.too_many_in_flight` past the limit. */
  async inFlight<T>(client: string, call: () => Promise<T>): Promise<T> {
    const limit = this.#limits.inFlightPerClient;
    const count = this.#inFlight.get(client) ?? 0;
    if (count >= limit) {
      throw new ActorError(
        "request",
        "too_many_in_flight",
        `Too many calls in flight; at most ${limit} at once. Retry once some have returned.`,
        {
          metadata: { limit },
        },
      );
    }
    this.#inFlight.set(client, count + 1);
    try {
      return await call();
    } finally {
      const left = (this.#inFlight.get(client) ?? 1) - 1;
      if (left === 0) this.#inFlight.delete(client);
      else this.#inFlight.set(client, left);
    }
  }
}
