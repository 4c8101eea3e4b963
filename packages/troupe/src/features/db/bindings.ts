// Turns `execute(sql, ...args)` arguments into what a SQLite connection binds: positional values,
// or one object of named values, with booleans, undefined and ArrayBuffers made bindable.

import type { SqliteParams, SqliteValue } from "../../storage/sqlite-connection.ts";
import { dbErrors } from "./errors.ts";

/** The parameters to pass to a statement. */
export function toBindings(args: readonly unknown[]): SqliteParams {
  if (args.length === 1 && isPlainObject(args[0])) {
    const named: Record<string, SqliteValue> = {};
    for (const [key, value] of Object.entries(args[0])) named[key.replace(/^[:@$]/, "")] = toSqlValue(value, key);
    return [named];
  }
  return args.map((value, i) => toSqlValue(value, i + 1));
}

function toSqlValue(value: unknown, where: string | number): SqliteValue {
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
  if (value === null || value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
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
