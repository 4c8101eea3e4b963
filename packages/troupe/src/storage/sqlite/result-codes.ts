// SQLite's result codes as the bindings report them: by number (node:sqlite's `errcode`) or by
// name (better-sqlite3's and bun:sqlite's `code`).

import { SqliteBusyError } from "../sqlite-connection.ts";

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

/** What a binding that names the code threw, as the contract's SqliteBusyError when a lock stopped it. */
export function busyErrorOfNamed(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && isBusyName(code)) return new SqliteBusyError((error as Error).message, { cause: error });
  return error;
}
