// Each actor's key-value namespace: the state under its own key, and each feature's keys under a
// prefix byte of the feature's own (declared by its plugin; no two features share one).

export const STATE_PREFIX = 0x01;
export const STATE_KEY = new Uint8Array([STATE_PREFIX]);

/** The prefix byte followed by `rest`. */
export function prefixed(prefix: number, rest: Uint8Array): Uint8Array {
  const out = new Uint8Array(rest.byteLength + 1);
  out[0] = prefix;
  out.set(rest, 1);
  return out;
}
