// Reading what an inspector request sends: query parameters in range, and JSON bodies, each
// refused with `inspector.invalid_request` naming what is wrong.

import type { Context } from "hono";
import { readBody } from "../server/body.ts";
import { inspectorErrors } from "./errors.ts";

/** Largest request body the inspector reads (a whole state may be replaced with one). */
export const MAX_BODY = 8 * 1024 * 1024;

export function intParam(c: Context, name: string, min: number, max: number, fallback: number): number {
  const text = c.req.query(name);
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw inspectorErrors.invalidRequest(name, `\`${name}\` must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

export function oneOf<T extends string>(c: Context, name: string, allowed: readonly T[], fallback: T): T {
  const text = c.req.query(name);
  if (text === undefined || text === "") return fallback;
  if (!allowed.includes(text as T)) throw inspectorErrors.invalidRequest(name, `\`${name}\` must be one of ${allowed.join(", ")}.`);
  return text as T;
}

/** The body as JSON; an empty body is `undefined`. */
export async function jsonBody(c: Context): Promise<unknown> {
  const bytes = await readBody(c.req.raw, MAX_BODY);
  if (bytes.byteLength === 0) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw inspectorErrors.invalidRequest("body", "The body must be JSON.");
  }
}

/** The body as a JSON object (an empty body is `{}`). */
export async function objectBody(c: Context): Promise<Record<string, unknown>> {
  const body = (await jsonBody(c)) ?? {};
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw inspectorErrors.invalidRequest("body", "The body must be a JSON object.");
  return body as Record<string, unknown>;
}

/** `ids` (a non-empty array of message ids) or `all: true`: which items a bulk operation applies to. */
export function selection(body: Record<string, unknown>): number[] | undefined {
  if (body.all === true && body.ids === undefined) return undefined;
  const { ids } = body;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => Number.isSafeInteger(id))) {
    throw inspectorErrors.invalidRequest("ids", "Send `ids` (a non-empty array of message ids) or `all: true`.");
  }
  return ids as number[];
}
