// The marker that lets code see the plain object behind a state proxy.

export const RAW = Symbol("troupe.raw");

/** Returns the object behind a state proxy (or the value itself). */
export function unwrap<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    const raw = (value as { [RAW]?: T })[RAW];
    if (raw !== undefined) return raw;
  }
  return value;
}
