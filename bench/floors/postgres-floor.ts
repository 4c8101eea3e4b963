// The PostgreSQL floor: the bytes a group commit writes, as plain `pg` writes them in the least
// work PostgreSQL allows: one autocommitted statement per commit (UPDATE ... FROM unnest), in a
// table shaped like the SQLite floor's, on the server at DATABASE_URL.

import type { FloorRow } from "./sqlite-floor.ts";
import { BenchSchema } from "../lib/storage.ts";

export class PostgresFloor implements AsyncDisposable {
  readonly #schema: BenchSchema;
  readonly #table: string;

  private constructor(schema: BenchSchema) {
    this.#schema = schema;
    this.#table = `"${schema.name}".actors`;
  }

  static async open(): Promise<PostgresFloor> {
    const schema = new BenchSchema();
    await schema.pool.query(`CREATE SCHEMA "${schema.name}"`);
    const floor = new PostgresFloor(schema);
    await schema.pool.query(
      `CREATE TABLE ${floor.#table} (id text PRIMARY KEY, name text NOT NULL, key text NOT NULL, created_at bigint NOT NULL,
       epoch bigint NOT NULL, state bytea NOT NULL, UNIQUE (name, key))`,
    );
    return floor;
  }

  /** Inserts the rows in one committed statement. */
  async insert(rows: FloorRow[]): Promise<void> {
    await this.#schema.pool.query(
      `INSERT INTO ${this.#table} SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bytea[])`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.name),
        rows.map((r) => r.key),
        rows.map((r) => r.createdAt),
        rows.map((r) => r.epoch),
        rows.map((r) => r.state),
      ],
    );
  }

  /** Rewrites the state of these actors in one committed statement. */
  async writeStates(rows: Array<{ id: string; state: Uint8Array }>): Promise<void> {
    await this.#schema.pool.query({
      name: "floor_write_states",
      text: `UPDATE ${this.#table} AS a SET state = u.state FROM unnest($1::text[], $2::bytea[]) AS u(id, state) WHERE a.id = u.id`,
      values: [rows.map((r) => r.id), rows.map((r) => r.state)],
    });
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.#schema[Symbol.asyncDispose]();
  }
}
