// The actor's `c.kv` as stored, page by page, and one whole value; neither wakes it.

import type { Context, Hono } from "hono";
import { decodeValue, storageKey } from "../../features/kv/codec.ts";
import { type InspectorContext, locate } from "../actors.ts";
import { fromBase64, toBase64 } from "../base64.ts";
import { inspectorErrors } from "../errors.ts";
import { intParam } from "../params.ts";

/** Values in a listing are cut to this many bytes. */
export const KV_PREVIEW = 1024;

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

type KvBytes = { text: string } | { base64: string };

function keyView(key: Uint8Array): KvBytes {
  try {
    return { text: strictUtf8.decode(key) };
  } catch {
    return { base64: toBase64(key) };
  }
}

/** A stored value as the actor stored it (text or bytes), cut to `max` bytes (text on a character boundary). */
function valueView(stored: Uint8Array, max: number): { value: KvBytes; size: number; truncated: boolean } {
  const value = decodeValue(stored, undefined) as string | Uint8Array;
  const size = stored.byteLength - 1;
  const truncated = size > max;
  if (typeof value !== "string") return { value: { base64: toBase64(truncated ? value.subarray(0, max) : value) }, size, truncated };
  if (!truncated) return { value: { text: value }, size, truncated };
  // A streaming decode leaves out a character cut in half at the end.
  return { value: { text: new TextDecoder().decode(stored.subarray(1, max + 1), { stream: true }) }, size, truncated };
}

/** Bytes from a text parameter (`name`) or a base64url one (`nameBase64`); undefined when neither is given. */
function bytesParam(c: Context, name: string): Uint8Array | undefined {
  const text = c.req.query(name);
  const encoded = c.req.query(`${name}Base64`);
  if (text !== undefined && encoded !== undefined)
    throw inspectorErrors.invalidRequest(name, `Send \`${name}\` or \`${name}Base64\`, not both.`);
  if (text !== undefined) return utf8.encode(text);
  if (encoded === undefined) return undefined;
  const bytes = fromBase64(encoded);
  if (bytes === undefined) throw inspectorErrors.invalidRequest(`${name}Base64`, `\`${name}Base64\` must be base64url.`);
  return bytes;
}

export function kvRoutes(api: Hono, ctx: InspectorContext): void {
  api.get("/actors/:id/kv", async (c) => {
    const limit = intParam(c, "limit", 1, 1000, 100);
    const prefix = bytesParam(c, "prefix") ?? new Uint8Array(0);
    const cursor = c.req.query("cursor") || undefined;
    const after = cursor === undefined ? undefined : fromBase64(cursor);
    if (cursor !== undefined && after === undefined)
      throw inspectorErrors.invalidRequest("cursor", "`cursor` must be the `next` of a previous page.");
    const actor = await locate(ctx.host(), c.req.param("id"));
    // The key right after the cursor's: the cursor's own bytes followed by a zero byte.
    const start = after === undefined ? undefined : storageKey(new Uint8Array([...after, 0]));
    const rows = await ctx.host().driver.list(actor.id, { prefix: storageKey(prefix), start, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const entries = page.map(([key, stored]) => ({ key: keyView(key.subarray(1)), ...valueView(stored, KV_PREVIEW) }));
    const last = page[page.length - 1];
    return c.json({ entries, next: rows.length > limit && last !== undefined ? toBase64(last[0].subarray(1), true) : null });
  });

  api.get("/actors/:id/kv/value", async (c) => {
    const key = bytesParam(c, "key");
    if (key === undefined) throw inspectorErrors.invalidRequest("key", "Send `key` (text) or `keyBase64`.");
    const actor = await locate(ctx.host(), c.req.param("id"));
    const [stored] = await ctx.host().driver.get(actor.id, [storageKey(key)]);
    if (stored === undefined) throw inspectorErrors.notFound("KV key", c.req.query("key") ?? c.req.query("keyBase64") ?? "");
    const { value, size } = valueView(stored, Number.POSITIVE_INFINITY);
    return c.json({ key: keyView(key), value, size });
  });
}
