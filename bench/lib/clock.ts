// Wall-clock time in ms with sub-millisecond precision, comparable across processes on one machine
// (for event delivery lag, where the sender and the receiver are different processes).

export function wallClock(): number {
  return performance.timeOrigin + performance.now();
}
