// Timer helpers. Commits and coalescing use the real `setImmediate`, captured at load, so that
// tests using fake timers still see writes land; anything about elapsed time (sleep, timeouts,
// alarms) uses the global timers and `Date.now`, so a fake clock drives it.

const realSetImmediate = globalThis.setImmediate;

/**
 * The longest delay one timer takes: Node (and browsers) run a timer of more than 2^31 - 1 ms (about
 * 24.8 days) after 1 ms instead, so a longer wait is made of several timers in a row.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A pending timer. */
export interface Timer {
  /** It will not fire; cancelling one that fired or was cancelled does nothing. */
  cancel(): void;
}

/** Runs `fn` after the current I/O phase, even under fake timers. */
export function nextTurn(fn: () => void): void {
  realSetImmediate(fn);
}

/**
 * Runs `fn` after `ms` milliseconds, however long (past MAX_TIMER_MS it re-arms), without keeping
 * the process alive. Every wait in Troupe goes through here, so none can overflow.
 */
export function unrefTimeout(fn: () => void, ms: number): Timer {
  // Counted down in timer time, not against Date.now, so it keeps setTimeout's own clock.
  let left = Math.max(0, ms);
  let handle: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    const chunk = Math.min(left, MAX_TIMER_MS);
    left -= chunk;
    handle = setTimeout(left > 0 ? arm : fn, chunk);
    (handle as { unref?: () => void }).unref?.();
  };
  arm();
  return { cancel: () => clearTimeout(handle) };
}

/**
 * Timeouts of the same length begun in the same millisecond share one timer: a timer each costs
 * more than the work it guards when thousands begin at once (every actor stopping, every async
 * action). A group is joined only while both clocks read as when it began: the wall clock (which
 * fake timers move) and the monotonic one (which they do not), so none fires a millisecond early.
 */
class TimeoutGroup {
  readonly fires = new Set<() => void>();
  readonly date = Date.now();
  readonly began = performance.now();
  readonly timer: Timer;
  constructor(ms: number) {
    this.timer = unrefTimeout(() => {
      // A group that fired takes no one more (a timeout of 0 ms can fire within the millisecond).
      if (latestGroup.get(ms) === this) latestGroup.delete(ms);
      for (const fire of this.fires) fire();
      this.fires.clear();
    }, ms);
  }

  /** Whether a timeout begun now can join this group. */
  current(): boolean {
    return Date.now() === this.date && performance.now() - this.began < 1;
  }
}

const latestGroup = new Map<number, TimeoutGroup>();

/** Runs `fire` after `ms` milliseconds, on a timer shared with the timeouts of that length begun in the same millisecond. */
function sharedTimeout(ms: number, fire: () => void): Timer {
  let group = latestGroup.get(ms);
  if (group === undefined || !group.current()) {
    group = new TimeoutGroup(ms);
    latestGroup.set(ms, group);
  }
  const joined = group;
  joined.fires.add(fire);
  return {
    cancel() {
      if (!joined.fires.delete(fire) || joined.fires.size > 0) return;
      joined.timer.cancel();
      if (latestGroup.get(ms) === joined) latestGroup.delete(ms);
    },
  };
}

/** Rejects with `onTimeout()` if `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  if (!Number.isFinite(ms)) return promise;
  return new Promise<T>((resolve, reject) => {
    const timer = sharedTimeout(ms, () => reject(onTimeout()));
    promise.then(
      (value) => {
        timer.cancel();
        resolve(value);
      },
      (error: unknown) => {
        timer.cancel();
        reject(error);
      },
    );
  });
}

/** Resolves after `ms` milliseconds (see `unrefTimeout`). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => unrefTimeout(resolve, ms));
}

export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}
