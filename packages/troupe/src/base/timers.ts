// Timer helpers. Commits and coalescing use the real `setImmediate`, captured at load, so that
// tests using fake timers still see writes land; anything about elapsed time (sleep, timeouts,
// alarms) uses the global timers and `Date.now`, so a fake clock drives it.

const realSetImmediate = globalThis.setImmediate;

/** Runs `fn` after the current I/O phase, even under fake timers. */
export function nextTurn(fn: () => void): void {
  realSetImmediate(fn);
}

/** A timer that does not keep the process alive. */
export function unrefTimeout(fn: () => void, ms: number): ReturnType<typeof setTimeout> {
  const timer = setTimeout(fn, ms);
  (timer as { unref?: () => void }).unref?.();
  return timer;
}

/** Rejects with `onTimeout()` if `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  if (!Number.isFinite(ms)) return promise;
  return new Promise<T>((resolve, reject) => {
    const timer = unrefTimeout(() => reject(onTimeout()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}
