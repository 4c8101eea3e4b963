// SQLite's result codes as the bindings without named codes report them (node:sqlite's `errcode`).

const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;

/** SQLITE_BUSY, SQLITE_LOCKED (a lock held inside this process) and their extended codes. */
export function isBusyCode(code: number): boolean {
  const primary = code & 0xff;
  return primary === SQLITE_BUSY || primary === SQLITE_LOCKED;
}

/** The same, for bindings that name the code (better-sqlite3, bun:sqlite): "SQLITE_BUSY_SNAPSHOT" and the like. */
export function isBusyName(code: string): boolean {
  return /^SQLITE_(BUSY|LOCKED)(_|$)/.test(code);
}
