// Which useActor options name the same connection: the default hash, over the actor's name, key,
// connection params and noCreate, so that equal options in any property order share one.

import type { ActorKey } from "../protocol/keys.ts";

/** What useActor opens a connection with. All but `createWithInput` name the connection it shares: the actor exists once, whatever input a second caller would give it. */
export interface ActorRequest {
  name: string;
  key?: ActorKey;
  params?: unknown;
  createWithInput?: unknown;
  noCreate?: boolean;
}

export function hashActorOptions(request: ActorRequest): string {
  const key = typeof request.key === "string" ? [request.key] : (request.key ?? []);
  return JSON.stringify([request.name, key, request.params ?? null, request.noCreate === true], sortKeys);
}

/** Objects hash with their keys sorted: `{ a, b }` and `{ b, a }` are the same params. */
function sortKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const name of Object.keys(value).sort()) sorted[name] = (value as Record<string, unknown>)[name];
  return sorted;
}
