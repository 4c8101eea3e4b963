// JSON Pointers (RFC 6901) into actor data: a segment names an object property, an array index, or
// the entry of a Map with that string key. Shared by JSON Patch and by state diffs.

export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) return undefined;
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"));
}

export function formatPointer(segments: readonly string[]): string {
  return segments.map((segment) => `/${segment.replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

/** Objects a pointer can go into: plain objects, arrays and Maps. */
export type Container = Record<string, unknown> | unknown[] | Map<unknown, unknown>;

export function isContainer(value: unknown): value is Container {
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value) || value instanceof Map) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** An array index as a pointer segment writes it: digits without leading zeros. */
export function arrayIndex(segment: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : undefined;
}

/** Whether `container` holds something at `segment`. */
export function has(container: Container, segment: string): boolean {
  if (Array.isArray(container)) {
    const index = arrayIndex(segment);
    return index !== undefined && index < container.length;
  }
  if (container instanceof Map) return container.has(segment);
  return Object.hasOwn(container, segment);
}

export function get(container: Container, segment: string): unknown {
  if (Array.isArray(container)) return container[arrayIndex(segment) ?? -1];
  if (container instanceof Map) return container.get(segment);
  return container[segment];
}
