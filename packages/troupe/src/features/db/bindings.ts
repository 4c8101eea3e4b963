// Turns `execute(sql, ...args)` arguments into what better-sqlite3 binds: positional values, or
// one object of named values, with booleans, undefined and byte arrays made bindable.

import { dbErrors } from "./errors.ts";

/** The arguments to pass to a better-sqlite3 statement. */
export function toBindings(args: readonly unknown[]): unknown[] {
  if (args.length === 1 && isPlainObject(args[0])) {
    const named: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(args[0])) named[key.replace(/^[:@$]/, "")] = toSqlValue(value, key);
    return [named];
  }
  return args.map((value, i) => toSqlValue(value, i + 1));
}

function toSqlValue(value: unknown, where: string | number): unknown {
  switch (typeof value) {
    case "string":
    case "number":
    case "bigint":
      return value;
    case "boolean":
      return value ? 1 : 0;
    case "undefined":
      return null;
  }
  if (value === null || Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  const name = typeof where === "number" ? `parameter ${where}` : `parameter "${where}"`;
  throw dbErrors.invalidBind(`SQL ${name} is ${describe(value)}; SQLite binds strings, numbers, bigints, booleans, null and byte arrays.`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  const name = typeof value === "object" && value !== null ? (value.constructor?.name ?? "object") : typeof value;
  return `${/^[aeiou]/i.test(name) ? "an" : "a"} ${name}`;
}
