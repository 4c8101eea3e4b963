// The messages of one actor's queue that wait to be completed, in FIFO (ascending id) order. Those
// stored by an earlier activation are read from storage a page at a time, oldest first, as takes
// reach them, so that waking with a deep backlog reads one page, not the whole queue. Kept by id in
// insertion order, so that appending, finding and removing any message costs the same at any depth.

import type { StoredMessage } from "./records.ts";

/** Reads the stored messages with `from <= id < to`, ascending, at most `limit` of them. */
export type PageReader = (from: number, to: number, limit: number) => Promise<StoredMessage[]>;

export const PAGE_SIZE = 512;

export class PendingMessages implements Iterable<StoredMessage> {
  readonly #read: PageReader;
  /** Stored messages read so far and still pending, ascending id. */
  readonly #stored = new Map<number, StoredMessage>();
  /** Messages added by this activation, ascending id: all after every stored one. */
  readonly #added = new Map<number, StoredMessage>();
  /** The first stored id not read yet; `#end` once every stored message is read. */
  #next: number;
  /** The first id given by this activation: stored messages are below it. */
  readonly #end: number;
  #count: number;
  #reading: Promise<void> | undefined;

  /** `count` messages are stored, with ids below `end`; none is read yet. */
  constructor(read: PageReader, count: number, end: number) {
    this.#read = read;
    this.#count = count;
    this.#next = count === 0 ? end : 0;
    this.#end = end;
  }

  /** Every pending message, read or not. */
  get length(): number {
    return this.#count;
  }

  /** Whether stored messages remain to be read (until then, iteration stops before this activation's messages). */
  get unread(): boolean {
    return this.#next < this.#end;
  }

  /** Appends `message`, whose id is above every id already here. */
  push(message: StoredMessage): void {
    this.#added.set(message.id, message);
    this.#count++;
  }

  /** Message `id`, if read and pending. */
  get(id: number): StoredMessage | undefined {
    return this.#stored.get(id) ?? this.#added.get(id);
  }

  /** Message `id`, if pending: reads the stored pages up to it first. */
  async find(id: number): Promise<StoredMessage | undefined> {
    while (id >= this.#next && this.unread) await this.readPage();
    return this.get(id);
  }

  has(message: StoredMessage): boolean {
    return this.get(message.id) === message;
  }

  delete(message: StoredMessage): void {
    if (!this.has(message)) return;
    if (!this.#stored.delete(message.id)) this.#added.delete(message.id);
    this.#count--;
  }

  /** Reads the next page of stored messages (one read at a time; callers share it). */
  readPage(): Promise<void> {
    this.#reading ??= this.#read(this.#next, this.#end, PAGE_SIZE)
      .then((page) => {
        for (const message of page) this.#stored.set(message.id, message);
        const last = page.at(-1);
        this.#next = page.length < PAGE_SIZE || last === undefined ? this.#end : last.id + 1;
      })
      .finally(() => {
        this.#reading = undefined;
      });
    return this.#reading;
  }

  /** Reads every stored message not read yet (the inspector lists them all). */
  async readAll(): Promise<void> {
    while (this.unread) await this.readPage();
  }

  /** The read messages in FIFO order; this activation's only once no stored one is left unread. */
  *[Symbol.iterator](): Iterator<StoredMessage> {
    yield* this.#stored.values();
    if (!this.unread) yield* this.#added.values();
  }
}
