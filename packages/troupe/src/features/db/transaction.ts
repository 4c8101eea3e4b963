// The `tx` handle of a running transaction: its statements run at once on the connection that
// the transaction holds, and it refuses all use once the transaction has ended.

import type { ActorDatabase, RunOptions, SqlRunner } from "./actor-database.ts";
import { dbErrors } from "./errors.ts";
import type { SqlArgs, SqlRow, SqlTransaction } from "./types.ts";

type Ending = "committed" | "rolled back" | "expired";

export class Transaction implements SqlTransaction, SqlRunner {
  readonly #database: ActorDatabase;
  readonly #timeout: number;
  readonly #parent: Transaction | undefined;
  readonly #depth: number;
  #ended: Ending | undefined;

  constructor(database: ActorDatabase, timeout: number, parent?: Transaction) {
    this.#database = database;
    this.#timeout = timeout;
    this.#parent = parent;
    this.#depth = parent ? parent.#depth + 1 : 0;
  }

  /** Still running: neither it nor an enclosing transaction has ended. */
  get active(): boolean {
    return this.#ended === undefined && (this.#parent?.active ?? true);
  }

  end(how: Ending): void {
    this.#ended ??= how;
  }

  execute<Row extends object = SqlRow>(sql: string, ...args: SqlArgs): Promise<Row[]> {
    return this.query(sql, args) as Promise<Row[]>;
  }

  async query(sql: string, args: readonly unknown[], options: RunOptions = {}): Promise<unknown[]> {
    this.#assertActive();
    return this.#database.run(sql, args, options);
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T> | T): Promise<T> {
    this.#assertActive();
    const savepoint = `troupe_savepoint_${this.#depth + 1}`;
    this.#database.run(`SAVEPOINT ${savepoint}`, [], {});
    const nested = new Transaction(this.#database, this.#timeout, this);
    try {
      const result = await fn(nested);
      this.#assertActive();
      this.#database.run(`RELEASE ${savepoint}`, [], {});
      nested.end("committed");
      return result;
    } catch (error) {
      if (this.active) {
        this.#database.run(`ROLLBACK TO ${savepoint}`, [], {});
        this.#database.run(`RELEASE ${savepoint}`, [], {});
      }
      nested.end("rolled back");
      throw error;
    }
  }

  #assertActive(): void {
    if (this.active) return;
    const how = this.#endingOf();
    throw how === "expired" ? dbErrors.expired(this.#timeout) : dbErrors.finished(how);
  }

  /** How this transaction, or the enclosing one that ended first, ended. */
  #endingOf(): Ending {
    return this.#parent && !this.#parent.active ? this.#parent.#endingOf() : (this.#ended ?? "committed");
  }
}
