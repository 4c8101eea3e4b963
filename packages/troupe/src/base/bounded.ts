// Runs `run` over many items with at most `limit` in flight: stopping a million actors at once
// holds a million stops' promises, timers and commit batches in memory together (it ran a 4 GB
// heap out); a window of them keeps group commits large and memory bounded.

export async function forEachBounded<T>(items: Iterable<T>, limit: number, run: (item: T) => Promise<unknown>): Promise<void> {
  const iterator = items[Symbol.iterator]();
  const worker = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) await run(next.value);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}
