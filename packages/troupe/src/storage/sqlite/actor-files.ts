// Where the SQLite storage keeps each actor's own database (`c.db`): a file per actor,
// `actors/<actorId>.db` beside the storage file.

/** Actor ids become file names: anything else than these characters is refused. */
const FILE_SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** The database file of actor `actorId` for the storage file `storagePath`. */
export function actorDatabaseFile(storagePath: string, actorId: string): string {
  if (!FILE_SAFE_ID.test(actorId)) throw new Error(`The actor id ${JSON.stringify(actorId)} cannot name a database file.`);
  const { dirname, join } = process.getBuiltinModule("node:path");
  return join(dirname(storagePath), "actors", `${actorId}.db`);
}
