// Prepared statements of one connection, by SQL text: preparing is most of the cost of a small
// query, and actors tend to run the same few statements over and over.

import type { SqliteConnection, SqliteStatement } from "../../storage/sqlite-connection.ts";

const MAX_STATEMENTS = 256;

export class StatementCache {
  readonly #connection: SqliteConnection;
  readonly #statements = new Map<string, SqliteStatement>();

  constructor(connection: SqliteConnection) {
    this.#connection = connection;
  }

  /** The statement for `sql`; throws what `prepare` throws (syntax errors, several statements). */
  get(sql: string): SqliteStatement {
    let statement = this.#statements.get(sql);
    if (statement !== undefined) {
      // Re-inserted so that the Map's insertion order is the order of last use.
      this.#statements.delete(sql);
    } else {
      statement = this.#connection.prepare(sql);
      if (this.#statements.size >= MAX_STATEMENTS) {
        const oldest = this.#statements.keys().next();
        if (!oldest.done) this.#statements.delete(oldest.value);
      }
    }
    this.#statements.set(sql, statement);
    return statement;
  }
}
