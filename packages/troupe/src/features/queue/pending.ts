// The messages of one actor's queue that wait to be completed, in FIFO (ascending id) order. Kept
// by id in insertion order, so that appending, finding and removing any message costs the same at
// any depth; a take walks from the oldest and stops as soon as it has what it asked for.

import type { StoredMessage } from "./records.ts";

export class PendingMessages implements Iterable<StoredMessage> {
  readonly #byId = new Map<number, StoredMessage>();

  get length(): number {
    return this.#byId.size;
  }

  /** Appends `message`, whose id is above every id already here. */
  push(message: StoredMessage): void {
    this.#byId.set(message.id, message);
  }

  get(id: number): StoredMessage | undefined {
    return this.#byId.get(id);
  }

  has(message: StoredMessage): boolean {
    return this.#byId.get(message.id) === message;
  }

  delete(message: StoredMessage): void {
    if (this.has(message)) this.#byId.delete(message.id);
  }

  [Symbol.iterator](): Iterator<StoredMessage> {
    return this.#byId.values();
  }
}
