// Resolve-and-call (`POST /actors` with an action): the body's action checked before anything is
// resolved, and the call on an actor that may have just been created, answered once it is durable.

import { ActorError } from "../base/errors.ts";

/**
 * Runs `call` on an actor whose creation (`created`) may not be durable yet, and answers once it
 * is. If another runtime's creation of the key won, the call on ours failed with its commit: it runs
 * again on the winner. A creation that failed fails the call with it.
 */
export async function callNewActor(
  actorId: string,
  created: Promise<string> | undefined,
  call: (actorId: string) => Promise<unknown>,
): Promise<{ id: string; output: unknown }> {
  if (created === undefined) return { id: actorId, output: await call(actorId) };
  let output: unknown;
  try {
    output = await call(actorId);
  } catch (error) {
    const winner = await created;
    if (winner === actorId) throw error;
    return { id: winner, output: await call(winner) };
  }
  const id = await created;
  return id === actorId ? { id, output } : { id, output: await call(id) };
}

export function parseArgs(args: unknown): unknown[] {
  if (args === undefined) return [];
  if (!Array.isArray(args)) throw new ActorError("message", "malformed", "`args` must be an array.");
  return args;
}

/** The action of a resolve-and-call (`{ query, action, args }`), checked before anything is resolved or created. */
export function parseResolveAction(body: Record<string, unknown>): { name: string; args: unknown[] } | undefined {
  if (body.action === undefined) {
    if (body.args !== undefined) throw new ActorError("message", "malformed", "`args` needs an `action`.");
    return undefined;
  }
  if (typeof body.action !== "string") throw new ActorError("message", "malformed", "`action` must be a string.");
  return { name: body.action, args: parseArgs(body.args) };
}
