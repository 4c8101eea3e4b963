// Reserved prefixes of each actor's key-value namespace: one byte per subsystem.

export const STATE_KEY = new Uint8Array([0x01]);
export const PREFIX = {
  state: 0x01,
  kv: 0x02,
  queue: 0x03,
  schedule: 0x04,
  workflow: 0x05,
  conns: 0x06,
} as const;

/** The prefix byte followed by `rest`. */
export function prefixed(prefix: number, rest: Uint8Array): Uint8Array {
  const out = new Uint8Array(rest.byteLength + 1);
  out[0] = prefix;
  out.set(rest, 1);
  return out;
}
