// Drivers for load: sequential timed calls, and a fixed number of calls in flight.

/** Runs `fn(i)` for i < count one after another; returns each call's duration in ms. */
export async function timeEach(count: number, fn: (i: number) => unknown): Promise<number[]> {
  const samples = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await fn(i);
    samples[i] = performance.now() - start;
  }
  return samples;
}

/**
 * Runs `fn(i)` for i < count with at most `concurrency` calls in flight; returns the wall time in
 * ms and, if `latencies` is given, each call's duration in it.
 */
export async function inFlight(
  count: number,
  concurrency: number,
  fn: (i: number) => Promise<unknown>,
  latencies?: number[],
): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const start = performance.now();
      await fn(i);
      if (latencies) latencies[i] = performance.now() - start;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return performance.now() - start;
}
