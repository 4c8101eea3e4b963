// Small async helpers apps import from `troupe/utils` (RivetKit's `rivetkit/utils`). Browser-safe.

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A ticker for loops: each call resolves at the next multiple of `ms` since the ticker was made,
 * so the cadence does not drift with the time the loop body takes (a late call resolves at once).
 */
export function interval(ms: number): () => Promise<void> {
  const start = Date.now();
  let ticks = 0;
  return () => {
    ticks = Math.max(ticks + 1, Math.floor((Date.now() - start) / ms));
    return sleep(Math.max(0, start + ticks * ms - Date.now()));
  };
}

export interface PromiseWithResolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

/** `Promise.withResolvers()`, which Node 20 lacks. */
export function promiseWithResolvers<T>(): PromiseWithResolvers<T> {
  let resolve!: PromiseWithResolvers<T>["resolve"];
  let reject!: PromiseWithResolvers<T>["reject"];
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A one-line description of any thrown value, for logs. */
export function stringifyError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** Marks a branch the types say cannot be reached; throws if it is. */
export function assertUnreachable(value: never): never {
  throw new Error(`Unreachable case: ${stringifyError(value)}`);
}
