// Time and randomness for workflow code that replay reproduces. Each scope (the main body, a
// loop iteration, a branch) keeps its own clock and random stream, because concurrent branches
// reach their entries in a different order on replay than they did live.

import { systemRandom } from "./sandbox.ts";

/** The workflow's time in one scope: the latest recorded time the scope's code has seen. */
export class ScopeClock {
  #now: number;

  constructor(start: number) {
    this.#now = start;
  }

  get now(): number {
    return this.#now;
  }

  /** An entry completed (live or replayed) at `at`. */
  observe(at: number | undefined): void {
    if (at !== undefined && at > this.#now) this.#now = at;
  }
}

/** A seeded random stream (mulberry32): the same seed and scope draw the same numbers. */
export class ScopeRandom {
  #state: number;

  constructor(seed: number, scope: string) {
    this.#state = hash(scope, seed);
  }

  /** A float in [0, 1), like Math.random(). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** FNV-1a over the string, starting from `seed`. */
function hash(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function newSeed(): number {
  return (systemRandom() * 4294967296) >>> 0;
}
