// Byte-string helpers shared by the storage drivers. Keys order bytewise: unsigned bytes, and a key
// sorts before every longer key it is a prefix of, as SQLite's memcmp and PostgreSQL's bytea do.

export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = a[i]! - b[i]!;
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

/**
 * The smallest key greater than every key that starts with `prefix`, to use as an exclusive end;
 * undefined when no such key exists (an empty prefix, or one made only of 0xff bytes).
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i] !== 0xff) {
      const end = prefix.slice(0, i + 1);
      end[i] = prefix[i]! + 1;
      return end;
    }
  }
  return undefined;
}

/**
 * A fresh plain Uint8Array with the same bytes. `new Uint8Array(...)` rather than `.slice()`,
 * because a caller may hand us a Node Buffer, whose `slice` returns a view of the same memory.
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

/**
 * A Node Buffer read from a database client, as a plain Uint8Array. Without a copy when the Buffer
 * owns its whole memory (better-sqlite3 allocates one per value), so callers cannot reach other
 * data through `.buffer`; with one when it is a slice of a shared pool.
 */
export function ownedBytes(buffer: Uint8Array): Uint8Array {
  if (buffer.byteOffset === 0 && buffer.buffer.byteLength === buffer.byteLength) {
    return new Uint8Array(buffer.buffer, 0, buffer.byteLength);
  }
  return new Uint8Array(buffer);
}
