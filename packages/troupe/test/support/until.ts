// Waiting in a test for something that happens on its own (a message, a commit, an actor falling
// asleep): polls a condition and fails with what it waited for. It uses the real clock and timers,
// taken before any test fakes them, so it behaves the same under vi.useFakeTimers.

const realSetTimeout = globalThis.setTimeout;
const realSetImmediate = globalThis.setImmediate;
const realNow = performance.now.bind(performance);

// Most conditions hold within a few event-loop turns, so those are checked every turn; a longer
// wait (a child process starting) polls at an interval instead of keeping a core busy.
const EVERY_TURN_MS = 20;
const INTERVAL_MS = 5;

export interface UntilOptions {
  /** Real milliseconds before it fails. Default 5000. */
  timeout?: number;
  /** What to add to the failure message (the last value seen, the output so far). */
  detail?: () => string;
}

/** Resolves once `check` returns true; fails after `timeout` real milliseconds, naming `what`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, options: UntilOptions = {}): Promise<void> {
  const { timeout = 5_000, detail } = options;
  const start = realNow();
  for (;;) {
    if (await check()) return;
    const waited = realNow() - start;
    if (waited > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${what}${detail ? `; ${detail()}` : ""}`);
    await new Promise((resolve) => (waited < EVERY_TURN_MS ? realSetImmediate(resolve) : realSetTimeout(resolve, INTERVAL_MS)));
  }
}
