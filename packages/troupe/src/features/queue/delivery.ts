// Which queue message goes to whom: the delivery state machine of one actor's queue. It knows what
// is in flight, what each owner has not completed and which receives wait, and decides; it touches
// no storage and no timers. The dispatcher (dispatcher.ts) applies its decisions.

import type { StoredMessage } from "./records.ts";

/** Who received a completable message: an action's context, a run loop's, a workflow's receive. */
export type Owner = object;

/** A completable message in the hands of its owner, until it is completed or the owner ends. */
export interface Delivery {
  readonly message: StoredMessage;
  readonly owner: Owner;
}

/** What one receive asks for. */
export interface Demand {
  readonly owner: Owner;
  /** Only messages of these queues; of every queue when undefined. */
  readonly names: ReadonlySet<string> | undefined;
  /** At most this many messages. */
  readonly count: number;
  /** A completable message stays queued, in flight, until completed; a plain one leaves as it is handed out. */
  readonly completable: boolean;
}

/** A message handed out: with its delivery when completable (one more attempt), without when it leaves the queue. */
export interface Handout {
  readonly message: StoredMessage;
  readonly delivery: Delivery | undefined;
}

/** The queued messages, ascending id (store.ts keeps them in a PendingMessages). */
export interface Queued extends Iterable<StoredMessage> {
  has(message: StoredMessage): boolean;
}

export interface Decision {
  /** Messages handed out, in FIFO order. */
  readonly handed: Handout[];
  /** Messages that had all their deliveries: they move to the dead letters. */
  readonly dead: StoredMessage[];
}

export interface DispatchDecision<W> {
  /** Waiting receives that got messages (they no longer wait), oldest first. */
  readonly served: Array<{ readonly receive: W; readonly handed: Handout[] }>;
  readonly dead: StoredMessage[];
}

export interface ReleaseDecision {
  /** Deliveries the owner gave back: their messages are no longer in flight. */
  readonly released: Delivery[];
  readonly dead: StoredMessage[];
}

export class DeliveryState<W extends Demand = Demand> {
  readonly #maxDeliveries: number;
  /** The delivery holding each message in flight, by message id. */
  readonly #inflight = new Map<number, Delivery>();
  /** Deliveries each owner holds and has not completed. */
  readonly #outstanding = new Map<Owner, Set<Delivery>>();
  /** Receives waiting for messages, oldest first. */
  readonly #waiting: W[] = [];

  /** A message delivered completably `maxDeliveries` times is not delivered again. */
  constructor(maxDeliveries: number) {
    this.#maxDeliveries = maxDeliveries;
  }

  /** Ids of the messages `owner` holds and has not completed (it may not receive before it does). */
  /** Whether message `id` is with a consumer, not yet completed nor given back. */
  isInFlight(id: number): boolean {
    return this.#inflight.has(id);
  }

  held(owner: Owner): number[] {
    return [...(this.#outstanding.get(owner) ?? [])].map((d) => d.message.id);
  }

  /** What `demand` gets now of `pending` (the queued messages, ascending id). */
  take(pending: Queued, demand: Demand): Decision {
    const dead: StoredMessage[] = [];
    return { handed: this.#take(pending, demand, new Set(), dead), dead };
  }

  /** `receive` waits for messages, after those already waiting. */
  wait(receive: W): void {
    this.#waiting.push(receive);
  }

  /** `receive` no longer waits (it timed out or was aborted). */
  cancel(receive: W): void {
    const at = this.#waiting.indexOf(receive);
    if (at >= 0) this.#waiting.splice(at, 1);
  }

  /** Hands what `pending` has to the waiting receives, oldest receive first. */
  dispatch(pending: Queued): DispatchDecision<W> {
    // Messages handed out plain or found dead stay in `pending` until the decision is applied.
    const gone = new Set<number>();
    const dead: StoredMessage[] = [];
    const served: Array<{ receive: W; handed: Handout[] }> = [];
    for (let i = 0; i < this.#waiting.length; ) {
      const receive = this.#waiting[i] as W;
      const handed = this.#take(pending, receive, gone, dead);
      if (handed.length === 0) {
        i++;
        continue;
      }
      this.#waiting.splice(i, 1);
      served.push({ receive, handed });
    }
    return { served, dead };
  }

  /** Message `id` left the queue completed; `by` is the delivery that completed it, if one did. */
  completed(id: number, by?: Delivery): void {
    if (by) {
      const set = this.#outstanding.get(by.owner);
      set?.delete(by);
      if (set?.size === 0) this.#outstanding.delete(by.owner);
    }
    this.#inflight.delete(id);
  }

  /**
   * `owner` ended (its action returned, its loop ended): what it did not complete is no longer in
   * flight, so the next receive gets it, unless it had all its deliveries.
   */
  release(owner: Owner, pending: Queued): ReleaseDecision {
    const held = this.#outstanding.get(owner);
    if (!held) return { released: [], dead: [] };
    this.#outstanding.delete(owner);
    const dead: StoredMessage[] = [];
    for (const delivery of held) {
      const { message } = delivery;
      // Unless it already left flight (completed by id, without its delivery), it is free again.
      if (this.#inflight.get(message.id) === delivery) this.#inflight.delete(message.id);
      if (pending.has(message) && message.attempts >= this.#maxDeliveries) dead.push(message);
    }
    return { released: [...held], dead };
  }

  #take(pending: Queued, demand: Demand, gone: Set<number>, dead: StoredMessage[]): Handout[] {
    const handed: Handout[] = [];
    for (const message of pending) {
      if (handed.length >= demand.count) break;
      if (gone.has(message.id) || this.#inflight.has(message.id) || (demand.names && !demand.names.has(message.name))) continue;
      if (message.attempts >= this.#maxDeliveries) {
        gone.add(message.id);
        dead.push(message);
      } else if (demand.completable) {
        const delivery: Delivery = { message, owner: demand.owner };
        this.#inflight.set(message.id, delivery);
        let set = this.#outstanding.get(demand.owner);
        if (!set) {
          set = new Set();
          this.#outstanding.set(demand.owner, set);
        }
        set.add(delivery);
        handed.push({ message, delivery });
      } else {
        gone.add(message.id);
        handed.push({ message, delivery: undefined });
      }
    }
    return handed;
  }
}
