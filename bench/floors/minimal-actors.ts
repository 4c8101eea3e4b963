// The in-process floor of an action: the least an actor runtime must do for a call — find the
// actor by id, run the action as an async call, and, for a durable action, commit the new state
// before the reply. No proxy, no hooks, no context, no validation.

import { encodeCbor } from "../../packages/troupe/src/base/cbor.ts";
import { GroupCommit } from "./group-commit.ts";
import { floorRow, SqliteFloor } from "./sqlite-floor.ts";

interface MinimalActor {
  state: { count: number };
}

export class MinimalActors {
  readonly #actors = new Map<string, MinimalActor>();
  readonly #floor: SqliteFloor;
  readonly #commits: GroupCommit<{ id: string; state: Uint8Array }>;

  constructor(path: string, ids: string[]) {
    this.#floor = new SqliteFloor(path);
    this.#floor.insert(ids.map((id) => ({ ...floorRow(id, 0), id })));
    for (const id of ids) this.#actors.set(id, { state: { count: 0 } });
    this.#commits = new GroupCommit((rows) => this.#floor.writeStates(rows));
  }

  /** Echoes `value` on actor `id`: a dispatch that writes nothing. */
  echo(id: string, value: unknown): Promise<unknown> {
    return this.#run(id, () => value);
  }

  /** Adds `by` to actor `id`'s count and replies once the new state is committed. */
  increment(id: string, by: number): Promise<number> {
    return this.#run(id, async (actor) => {
      actor.state.count += by;
      await this.#commits.write({ id, state: encodeCbor(actor.state) });
      return actor.state.count;
    });
  }

  close(): void {
    this.#floor.close();
  }

  async #run<T>(id: string, call: (actor: MinimalActor) => T | Promise<T>): Promise<T> {
    const actor = this.#actors.get(id);
    if (!actor) throw new Error(`no actor ${id}`);
    return call(actor);
  }
}
