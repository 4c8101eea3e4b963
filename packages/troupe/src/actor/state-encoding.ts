// Encoding a large state without encoding all of it at each commit. Once a state's encoding is
// large (LARGE_FROM), its large plain objects and arrays (containers) are written member by member,
// and where each member's bytes lie in the last encoding is kept, relative to its container: a
// commit copies a container that no write reached as one run of bytes, encodes again only the
// members that a write reached, and copies the others' bytes from the last encoding. An array
// written only from some element on (an append, a pop, a splice) copies the elements before it as
// one run, without a look at each. Changing one field of a 1 MB state, or appending to its largest
// array, copies nearly all of it in a few runs.
//
// Which members and containers a write makes stale: when a member is encoded, every object inside
// it is noted as held by it (an object in two places is held by both), and every member and
// container is noted as inside the container it was written in. A write through c.state to an object
// drops the kept bytes of the members holding it and of every container around them. The result
// decodes to the same value as one encoding of the whole state (some lengths are written shorter),
// so storage and reading are unchanged.
//
// A write that does not go through c.state (to an object the action also holds directly) is not
// seen; in a large state, it is saved once its member is next written through c.state.

import { encodeCbor } from "../base/cbor.ts";
import { Layout, SPAN } from "./state-layout.ts";

/** From this many encoded bytes on, a state is encoded by its members. */
export const LARGE_FROM = 64 * 1024;
/** A plain object or array whose encoding is larger than this is written member by member. */
const MEMBER_MAX = 4 * 1024;

/** CBOR major types of the headers written here. */
const ARRAY = 0x80;
const MAP = 0xa0;

/** The members (or containers) holding an object that is in more than one of them. */
class Holders {
  members: object[];
  constructor(members: object[]) {
    this.members = members;
  }
}

/** The container being written: its layout in the last encoding (and where that starts), and the new one. */
interface Frame {
  last: Layout | undefined;
  lastStart: number;
  next: Layout;
  start: number;
}

/** The state itself sits in a container of its own, with no bytes around it. */
const TOP = {};

export class StateEncoding {
  /** The last encoding. */
  #last = new Uint8Array(0);
  /** The encoding being written. */
  #out = new Uint8Array(0);
  #at = 0;
  /** Bytes of the last encoding waiting to be copied as one: where they start, and how many. */
  #runStart = 0;
  #runLength = 0;
  /** Members a write reached since the last encoding, and containers with such a member inside. */
  #stale = new Set<object>();
  #dirty = new Set<object>();
  /** Arrays written to directly: the first element a write changed. */
  #written = new Map<object, number>();
  /** For each object inside a member (not the member itself): the member (or members) holding it. */
  #holders = new WeakMap<object, object | Holders>();
  /** For each member and container: the container (or containers) it was last written in. */
  #parents = new WeakMap<object, object | Holders>();
  /** Objects and arrays written member by member, and the layout each had when last written. */
  readonly #split = new WeakSet<object>();
  readonly #layouts = new WeakMap<object, Layout>();
  /** Members and containers written (not copied) in this encoding. */
  #fresh = new Set<object>();

  /**
   * A write through c.state changed `key` of `target`: the members holding it, and the containers
   * around them, are encoded again; of an array written member by member, the elements from the
   * first one written on.
   */
  touched(target: object, key?: string | symbol): void {
    const from = Array.isArray(target) && this.#split.has(target) ? firstWritten(target, key) : undefined;
    if (from !== undefined) {
      this.#written.set(target, Math.min(this.#written.get(target) ?? from, from));
      this.#dirtyAround(target);
    } else {
      this.#reached(target);
    }
    const holder = this.#holders.get(target);
    if (holder === undefined) return;
    if (holder instanceof Holders) for (const member of holder.members) this.#reached(member);
    else this.#reached(holder);
  }

  /** The encoding of `state`, encoding again only the members that writes reached since the last one. */
  encode(state: unknown): Uint8Array {
    this.#out = new Uint8Array(this.#last.length + MEMBER_MAX);
    this.#at = 0;
    this.#runLength = 0;
    const top = { last: this.#layouts.get(TOP), lastStart: 0, next: new Layout(), start: 0 };
    this.#member(state, TOP, top);
    this.#flush();
    this.#last = this.#out.subarray(0, this.#at);
    // Members and containers no longer in the state are forgotten with the last layouts.
    this.#layouts.set(TOP, top.next);
    this.#fresh.clear();
    this.#stale.clear();
    this.#dirty.clear();
    this.#written.clear();
    this.#out = new Uint8Array(0);
    return this.#last;
  }

  /** Writes `value`, a member of `container` (written in `frame`; at `index` of an array). */
  #member(value: unknown, container: object, frame: Frame, index = -1): void {
    if (typeof value !== "object" || value === null) {
      this.#write(encodeCbor(value));
      return;
    }
    if (this.#split.has(value)) {
      this.#container(value, container, frame);
      return;
    }
    const kept = this.#stale.has(value) ? undefined : frame.last?.find(value, index, this.#linked(this.#parents, value, container));
    if (kept !== undefined) {
      const length = kept % SPAN;
      this.#place(value, frame, index, length);
      this.#copy(frame.lastStart + (kept - length) / SPAN, length);
      return;
    }
    const bytes = encodeCbor(value);
    if (bytes.length > MEMBER_MAX && splittable(value)) {
      this.#split.add(value);
      this.#container(value, container, frame);
      return;
    }
    // A large Map, Set or byte array is encoded whole each time, and nothing is kept of it.
    if (bytes.length > MEMBER_MAX) {
      this.#write(bytes);
      return;
    }
    this.#flush();
    this.#place(value, frame, index, bytes.length);
    this.#fresh.add(value);
    this.#link(this.#parents, value, container);
    this.#holdInside(value, value);
    this.#write(bytes);
  }

  /** Writes `value`, written member by member, inside `container`: copied whole if no write reached it. */
  #container(value: object, container: object, frame: Frame): void {
    const kept = frame.last?.containers.get(value);
    if (kept !== undefined && !this.#dirty.has(value) && !this.#written.has(value)) {
      frame.next.containers.set(value, { start: this.#offset(frame), layout: kept.layout });
      this.#copy(frame.lastStart + kept.start, kept.layout.length);
      return;
    }
    this.#flush();
    this.#fresh.add(value);
    this.#link(this.#parents, value, container);
    const inner = { last: kept?.layout, lastStart: frame.lastStart + (kept?.start ?? 0), next: new Layout(), start: this.#at };
    if (Array.isArray(value)) {
      this.#elements(value, inner);
    } else {
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      this.#header(MAP, keys.length);
      for (const key of keys) {
        this.#write(encodeCbor(key));
        this.#member(record[key], value, inner);
      }
    }
    this.#flush();
    inner.next.length = this.#at - inner.start;
    this.#layouts.set(value, inner.next);
    frame.next.containers.set(value, { start: inner.start - frame.start, layout: inner.next });
  }

  /**
   * Writes the elements of `array`. When the only writes to it were to its elements from some index
   * on (an append, a pop, a splice), the ones before are copied as one run without a look at each.
   */
  #elements(array: unknown[], frame: Frame): void {
    const { last, next } = frame;
    this.#header(ARRAY, array.length);
    next.body = this.#at - frame.start;
    let i = 0;
    if (last !== undefined && !this.#dirty.has(array)) {
      i = Math.min(this.#written.get(array) ?? 0, last.items.length, array.length);
      const end = last.starts[i] as number;
      this.#copy(frame.lastStart + last.body, end);
      // Appended to: nothing after the copied ones can be found in the last layout, which hands its
      // positions over. Else the elements after them may have moved, and are looked up there.
      if (i === last.items.length) ({ starts: next.starts, items: next.items } = last.takeElements());
      else [next.starts, next.items] = [last.starts.slice(0, i), last.items.slice(0, i)];
      for (const [inner, placed] of last.containers) {
        if (placed.start < last.body + end)
          next.containers.set(inner, { start: placed.start - last.body + next.body, layout: placed.layout });
      }
    }
    for (; i < array.length; i++) {
      next.starts.push(this.#offset(frame) - next.body);
      next.items.push(undefined);
      this.#member(array[i], array, frame, i);
    }
    next.starts.push(this.#offset(frame) - next.body);
  }

  /** Notes that `member`, `length` bytes, is written next in the container written in `frame` (at `index` of an array). */
  #place(member: object, frame: Frame, index: number, length: number): void {
    if (index >= 0) frame.next.items[index] = member;
    else frame.next.members.set(member, this.#offset(frame) * SPAN + length);
  }

  /** Where the next bytes go, relative to the start of the container written in `frame` (bytes waiting to be copied included). */
  #offset(frame: Frame): number {
    return this.#at + this.#runLength - frame.start;
  }

  /** A write reached `member` (or a container): it is encoded again, and so is every container around it. */
  #reached(member: object): void {
    this.#stale.add(member);
    if (this.#split.has(member)) this.#dirty.add(member);
    this.#dirtyAround(member);
  }

  #dirtyAround(value: object): void {
    const parent = this.#parents.get(value);
    if (parent === undefined) return;
    for (const container of parent instanceof Holders ? parent.members : [parent]) {
      if (this.#dirty.has(container)) continue;
      this.#dirty.add(container);
      this.#dirtyAround(container);
    }
  }

  /** Copies `length` bytes at `start` in the last encoding to the end of the one being written. */
  #copy(start: number, length: number): void {
    // What lay next to each other last time is copied together.
    if (this.#runLength > 0 && this.#runStart + this.#runLength === start) {
      this.#runLength += length;
      return;
    }
    this.#flush();
    this.#runStart = start;
    this.#runLength = length;
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

  /**
   * Notes `owner` among what `links` holds for `value`. An object in two places is linked to both;
   * a link to an owner no longer in the state is dropped when another is added.
   */
  #link(links: WeakMap<object, object | Holders>, value: object, owner: object): void {
    const linked = links.get(value);
    if (linked === undefined || linked === owner || (!(linked instanceof Holders) && !this.#inState(linked))) {
      links.set(value, owner);
    } else if (linked instanceof Holders) {
      const owners = linked.members.filter((other) => other !== owner && this.#inState(other));
      linked.members = [...owners, owner];
    } else {
      links.set(value, new Holders([linked, owner]));
    }
  }

  /** Whether `links` holds `owner` for `value`. */
  #linked(links: WeakMap<object, object | Holders>, value: object, owner: object): boolean {
    const linked = links.get(value);
    return linked === owner || (linked instanceof Holders && linked.members.includes(owner));
  }

  /** Notes `member` as holding every object inside `value` (a write to a member itself drops its bytes directly). */
  #holdInside(value: object, member: object): void {
    const hold = (item: unknown) => {
      if (typeof item !== "object" || item === null) return;
      this.#link(this.#holders, item, member);
      this.#holdInside(item, member);
    };
    if (value instanceof Map) {
      for (const [key, item] of value) {
        hold(key);
        hold(item);
      }
    } else if (value instanceof Set) {
      for (const item of value) hold(item);
    } else if (splittable(value)) {
      for (const item of Object.values(value)) hold(item);
    }
  }

  /**
   * Whether `owner` (a member or a container) may still be in the state: it was written in this
   * encoding, or it is in the last layout of a container that is itself still in the state.
   */
  #inState(owner: object): boolean {
    if (owner === TOP || this.#fresh.has(owner)) return true;
    const parent = this.#parents.get(owner);
    if (parent === undefined) return false;
    return (parent instanceof Holders ? parent.members : [parent]).some((container) => {
      const layout = this.#layouts.get(container);
      return layout?.holds(owner, Array.isArray(container)) === true && this.#inState(container);
    });
  }
}

/** Whether `value` is a plain object or an array: what a large state is written member by member. */
export function splittable(value: object): boolean {
  return Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype;
}

/** The first element of `array` that a write to `key` may have changed; undefined for a key that is not an index or the length. */
function firstWritten(array: unknown[], key: string | symbol | undefined): number | undefined {
  if (key === "length") return array.length;
  if (typeof key !== "string" || !/^(0|[1-9][0-9]*)$/.test(key)) return undefined;
  return Number(key);
}
