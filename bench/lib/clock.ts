// Wall-clock time in ms with sub-millisecond precision, comparable across processes on one machine
// (for event delivery lag, where the sender and the receiver are different processes), and the CPU
// time of this process (less noisy than wall-clock time on a shared machine).

export function wallClock(): number {
  return performance.timeOrigin + performance.now();
}

/** CPU time this process has used so far, in ms (user + system). */
export function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
