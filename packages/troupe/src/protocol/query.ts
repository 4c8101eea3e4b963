// What a caller asks of the actors, shared by every client and the server: which actor (a query)
// and the options and result of a queue send.

/** The queue that exists on every actor, reached by `handle.queue.send(body)`. */
export const DEFAULT_QUEUE = "default";

export type ActorQuery =
  | { kind: "get"; name: string; key: string[] }
  | { kind: "getOrCreate"; name: string; key: string[]; input?: unknown }
  | { kind: "create"; name: string; key: string[]; input?: unknown }
  | { kind: "id"; name: string; actorId: string };

/** Options of a queue send; see `ClientDriver.send`. */
export interface SendOptions {
  /** Wait until a consumer completes the message (or `timeout` passes). */
  wait?: boolean;
  /** With `wait`: give up after this many ms with `{ status: "timedOut" }`. Default 60 s. */
  timeout?: number;
  /** A send repeating a recent key (see the actor's `queueIdempotencyTtl`) enqueues nothing. */
  idempotencyKey?: string;
}

/**
 * What a send with `wait` resolves to: the consumer's `message.complete(response)` (`response`
 * is absent when it completed without one, or received the message without `completable`), or
 * `timedOut` when nobody completed it in time (the message stays queued).
 */
export type SendResult = { status: "completed"; response?: unknown } | { status: "timedOut" };
