// An actor's state: the plain value behind the change tracker, its initialisation on create, its
// encoding for a commit, and `onStateChange`, run at most once per turn after changes, and always
// before the commit that saves them: so before the replies and events that wait for that commit,
// whether the caller is across a network or in the same process.

import { decodeCbor, encodeCbor } from "../base/cbor.ts";
import { ActorError, errors } from "../base/errors.ts";
import { nextTurn } from "../base/timers.ts";
import type { ActorContext } from "./context.ts";
import type { AnyActorDefinition } from "./definition.ts";
import type { InstanceStatus } from "./feature.ts";
import type { Logger } from "pino";
import { toStorable } from "./serializable.ts";
import { LARGE_FROM, StateEncoding, splittable } from "./state-encoding.ts";
import { type StateHooks, StateTracker } from "./state-proxy.ts";

/** What the state needs from its instance. */
export interface StateOwner {
  readonly def: AnyActorDefinition;
  readonly status: InstanceStatus;
  readonly log: Logger;
  context(): ActorContext;
  /** The state changed: it goes out with the next commit. */
  stateWritten(): void;
  /** Whether an observer wants state diffs: then the state is copied before its first change. */
  readonly observesState: boolean;
}

/**
 * The encoded state of each instance from before its first change since its last commit, taken only
 * while an observer wants state diffs: kept aside so that an unobserved instance holds no slot for it.
 */
const snapshots = new WeakMap<ActorState, Uint8Array>();

export class ActorState implements StateHooks {
  readonly #owner: StateOwner;
  #raw: unknown;
  #tracker: StateTracker | undefined;
  #changeQueued = false;
  #inChange = false;
  /** While the state is large: its encoding by members, so that a commit encodes only what changed. */
  #encoding: StateEncoding | undefined;

  constructor(owner: StateOwner) {
    this.#owner = owner;
  }

  /** The initial state of a new actor (or of an old one whose definition gained state). */
  async init(ctx: ActorContext, input: unknown): Promise<void> {
    const { def } = this.#owner;
    // Initial state is stored without calling onStateChange: nothing changed yet.
    if (def.config.createState) this.#raw = toStorable(await def.config.createState(ctx as ActorContext<undefined>, input), "state");
    else if (def.hasState) this.#raw = toStorable(structuredCloneIfDefined(def.config.state), "state");
    // Even with no state, the record itself must be committed.
    this.#owner.stateWritten();
  }

  load(stored: Uint8Array): void {
    this.#raw = decodeCbor(stored);
    this.#encoding = undefined;
  }

  /** The state, encoded for a commit; undefined for an actor without state. */
  encode(): Uint8Array | undefined {
    this.#runStateChange();
    if (!this.#owner.def.hasState) return undefined;
    if (this.#encoding !== undefined) {
      const bytes = this.#encoding.encode(this.#raw);
      if (bytes.length < LARGE_FROM / 2) this.#encoding = undefined;
      return bytes;
    }
    const bytes = encodeCbor(this.#raw);
    if (bytes.length >= LARGE_FROM && typeof this.#raw === "object" && this.#raw !== null && splittable(this.#raw)) {
      this.#encoding = new StateEncoding();
    }
    return bytes;
  }

  /** The state as it was before the changes since the last call (if an observer asked for it); forgets it. */
  takeSnapshot(): Uint8Array | undefined {
    const snapshot = snapshots.get(this);
    if (snapshot !== undefined) snapshots.delete(this);
    return snapshot;
  }

  get value(): unknown {
    if (!this.#owner.def.hasState) {
      throw new ActorError("actor", "state_not_enabled", "This actor has no state: define `state` or `createState` to use c.state.", {
        public: false,
      });
    }
    this.#tracker ??= new StateTracker(this);
    return this.#tracker.root(this.#raw);
  }

  set value(value: unknown) {
    if (!this.#owner.def.hasState) void this.value; // throws the same error as reading
    this.#tracker ??= new StateTracker(this);
    this.#tracker.write("state", value, (storable) => {
      this.#raw = storable;
    });
  }

  /** Called by the state tracker before a write to c.state. */
  beforeStateWrite(): void {
    if (this.#inChange) {
      throw new ActorError("actor", "state_mutation_reentrant", "onStateChange must not write c.state; the write was rejected.", {
        public: false,
      });
    }
    if (this.#owner.status === "stopped") throw errors.stopping();
    if (this.#owner.observesState && !snapshots.has(this)) snapshots.set(this, encodeCbor(this.#raw));
  }

  /** Called by the state tracker after a write to c.state. */
  stateChanged(target?: object, key?: string | symbol): void {
    if (target !== undefined) this.#encoding?.touched(target, key);
    this.#owner.stateWritten();
    if (this.#owner.def.config.onStateChange && !this.#changeQueued) {
      this.#changeQueued = true;
      nextTurn(() => this.#runStateChange());
    }
  }

  /** Runs onStateChange if changes wait for it: on the next turn, or at the commit if that comes first. */
  #runStateChange(): void {
    if (!this.#changeQueued) return;
    this.#changeQueued = false;
    if (this.#owner.status === "stopped") return;
    this.#inChange = true;
    try {
      this.#owner.def.config.onStateChange?.(this.#owner.context(), this.value);
    } catch (error) {
      this.#owner.log.error({ err: error }, "onStateChange failed");
    } finally {
      this.#inChange = false;
    }
  }
}

export function structuredCloneIfDefined<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}
