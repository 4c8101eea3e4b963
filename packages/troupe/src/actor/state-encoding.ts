// Encoding a large state without encoding all of it at each commit. Once a state's encoding is
// large (LARGE_FROM), its large plain objects and arrays are written member by member, and where
// each member object's bytes lie in the last encoding is kept: a commit encodes again only the
// members that a write reached and copies the others' bytes from the last encoding. Changing one
// field of a 1 MB state encodes that record and copies the rest.
//
// Which members a write makes stale: when a member is encoded, every object inside it is noted as
// held by it (an object in two places is held by both), and a write through c.state to an object
// drops the kept bytes of the members holding it. The result decodes to the same value as one
// encoding of the whole state (some lengths are written shorter), so storage and reading are unchanged.
//
// A write that does not go through c.state (to an object the action also holds directly) is not
// seen; in a large state, it is saved once its member is next written through c.state.

import { encodeCbor } from "../base/cbor.ts";

/** From this many encoded bytes on, a state is encoded by its members. */
export const LARGE_FROM = 64 * 1024;
/** A plain object or array whose encoding is larger than this is written member by member. */
const MEMBER_MAX = 4 * 1024;
/** Where a member's bytes lie is kept as one number: start × SPAN + length. */
const SPAN = 8 * 1024;

/** CBOR major types of the headers written here. */
const ARRAY = 0x80;
const MAP = 0xa0;

/** The members holding an object that is in more than one of them. */
class Holders {
  members: object[];
  constructor(members: object[]) {
    this.members = members;
  }
}

export class StateEncoding {
  /**
   * The last encoding, and where each member's bytes lie in it. (Maps, not weak ones: each holds
   * only members of the state at its encoding, and filling one is the most frequent step.)
   */
  #last = new Uint8Array(0);
  #kept = new Map<object, number>();
  /** The encoding being written, and where each member's bytes lie in it. */
  #out = new Uint8Array(0);
  #at = 0;
  #placed = new Map<object, number>();
  /** Bytes of the last encoding waiting to be copied as one: where they start, and how many. */
  #runStart = 0;
  #runLength = 0;
  /** For each object inside a member (not the member itself): the member (or members) holding it. */
  #holders = new WeakMap<object, object | Holders>();
  /** Objects and arrays written member by member. */
  readonly #split = new WeakSet<object>();

  /** A write through c.state changed `target`: the members holding it are encoded again. */
  touched(target: object): void {
    this.#kept.delete(target);
    const holder = this.#holders.get(target);
    if (holder === undefined) return;
    if (holder instanceof Holders) for (const member of holder.members) this.#kept.delete(member);
    else this.#kept.delete(holder);
  }

  /** The encoding of `state`, encoding again only the members that writes reached since the last one. */
  encode(state: unknown): Uint8Array {
    this.#out = new Uint8Array(this.#last.length + MEMBER_MAX);
    this.#at = 0;
    this.#runLength = 0;
    this.#placed = new Map();
    this.#member(state);
    this.#flush();
    this.#last = this.#out.subarray(0, this.#at);
    // Members no longer in the state are forgotten with the last pass's map.
    this.#kept = this.#placed;
    this.#out = new Uint8Array(0);
    return this.#last;
  }

  #member(value: unknown): void {
    if (typeof value !== "object" || value === null) {
      this.#write(encodeCbor(value));
      return;
    }
    if (this.#split.has(value)) {
      this.#members(value);
      return;
    }
    // The same object twice in the state: its bytes are in this encoding already.
    const placed = this.#placed.get(value);
    if (placed !== undefined) {
      this.#copy(this.#out, placed, value);
      return;
    }
    const kept = this.#kept.get(value);
    if (kept !== undefined) {
      this.#copy(this.#last, kept, value);
      return;
    }
    const bytes = encodeCbor(value);
    if (bytes.length > MEMBER_MAX && splittable(value)) {
      this.#split.add(value);
      this.#members(value);
      return;
    }
    // A large Map, Set or byte array is encoded whole each time, and nothing is kept of it.
    if (bytes.length > MEMBER_MAX) {
      this.#write(bytes);
      return;
    }
    this.#flush();
    this.#placed.set(value, this.#at * SPAN + bytes.length);
    this.#holdInside(value, value);
    this.#write(bytes);
  }

  #members(container: object): void {
    if (Array.isArray(container)) {
      this.#header(ARRAY, container.length);
      for (let i = 0; i < container.length; i++) this.#member(container[i]);
      return;
    }
    const record = container as Record<string, unknown>;
    const keys = Object.keys(record);
    this.#header(MAP, keys.length);
    for (const key of keys) {
      this.#write(encodeCbor(key));
      this.#member(record[key]);
    }
  }

  /** Copies `member`'s bytes, at `where` in `from`, to the end of the encoding being written. */
  #copy(from: Uint8Array, where: number, member: object): void {
    const length = where % SPAN;
    const start = (where - length) / SPAN;
    if (from === this.#last) {
      this.#placed.set(member, (this.#at + this.#runLength) * SPAN + length);
      // Members that were next to each other last time are copied together.
      if (this.#runLength > 0 && this.#runStart + this.#runLength === start) {
        this.#runLength += length;
      } else {
        this.#flush();
        this.#runStart = start;
        this.#runLength = length;
      }
      return;
    }
    this.#flush();
    this.#placed.set(member, this.#at * SPAN + length);
    this.#write(from.subarray(start, start + length));
  }

  /** Copies the bytes of the last encoding waiting to be copied. */
  #flush(): void {
    if (this.#runLength === 0) return;
    const run = this.#last.subarray(this.#runStart, this.#runStart + this.#runLength);
    this.#runLength = 0;
    this.#write(run);
  }

  #write(bytes: Uint8Array): void {
    this.#flush();
    if (this.#at + bytes.length > this.#out.length) {
      const grown = new Uint8Array(Math.max(this.#out.length * 2, this.#at + bytes.length));
      grown.set(this.#out.subarray(0, this.#at));
      this.#out = grown;
    }
    this.#out.set(bytes, this.#at);
    this.#at += bytes.length;
  }

  /** A CBOR header of major type `major` and `length`. */
  #header(major: number, length: number): void {
    if (length < 24) this.#write(Uint8Array.of(major | length));
    else if (length < 0x100) this.#write(Uint8Array.of(major | 24, length));
    else if (length < 0x10000) this.#write(Uint8Array.of(major | 25, length >> 8, length & 0xff));
    else this.#write(Uint8Array.of(major | 26, length >>> 24, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff));
  }

  /** Notes `member` as holding `value` and every object inside it. */
  #hold(value: object, member: object): void {
    const holder = this.#holders.get(value);
    if (holder === undefined || holder === member || (!(holder instanceof Holders) && !this.#current(holder))) {
      this.#holders.set(value, member);
    } else if (holder instanceof Holders) {
      const members = holder.members.filter((other) => other !== member && this.#current(other));
      holder.members = [...members, member];
    } else {
      this.#holders.set(value, new Holders([holder, member]));
    }
    this.#holdInside(value, member);
  }

  /** Notes `member` as holding every object inside `value` (a write to a member itself drops its bytes directly). */
  #holdInside(value: object, member: object): void {
    if (value instanceof Map) {
      for (const [key, item] of value) {
        if (typeof key === "object" && key !== null) this.#hold(key, member);
        if (typeof item === "object" && item !== null) this.#hold(item, member);
      }
    } else if (value instanceof Set) {
      for (const item of value) if (typeof item === "object" && item !== null) this.#hold(item, member);
    } else if (splittable(value)) {
      for (const item of Object.values(value)) if (typeof item === "object" && item !== null) this.#hold(item, member);
    }
  }

  /** Whether `member`'s bytes are kept from the last encoding or placed in this one. */
  #current(member: object): boolean {
    return this.#placed.has(member) || this.#kept.has(member);
  }
}

/** Whether `value` is a plain object or an array: what a large state is written member by member. */
export function splittable(value: object): boolean {
  return Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype;
}
