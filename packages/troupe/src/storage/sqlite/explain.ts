// SQLite's "statement is read-only" flag for bindings that do not report it (node:sqlite), read
// from the statement's program as sqlite3_stmt_readonly decides it: a write transaction, VACUUM,
// a checkpoint or a journal mode change make it a writer.

/** Runs `EXPLAIN <sql>` and answers its program's rows. */
export type Explain = (sql: string) => Array<{ opcode: string; p2: number }>;

const WRITING_OPCODES = new Set(["Vacuum", "JournalMode", "Checkpoint"]);

export function statementWrites(explain: Explain, sql: string): boolean {
  return explain(`EXPLAIN ${sql}`).some((op) => (op.opcode === "Transaction" && op.p2 !== 0) || WRITING_OPCODES.has(op.opcode));
}
