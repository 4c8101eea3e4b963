// Reconnect delays: exponential with full jitter, so that many clients dropped by one server
// restart do not all come back in the same instant.

export interface BackoffOptions {
  /** First delay in ms. Default 250. */
  initialDelay?: number;
  /** Largest delay in ms. Default 30 000. */
  maxDelay?: number;
}

export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const initial = options.initialDelay ?? 250;
  const max = options.maxDelay ?? 30_000;
  const ceiling = Math.min(max, initial * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}
