import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { KaizenError } from "../../domain/errors.js";
import type { Database } from "../schema.js";

/** The embedded default database file, relative to the working directory. */
export const DEFAULT_SQLITE_PATH = ".kaizen/kaizen.db";

/**
 * Opens (creating if needed) a SQLite history database in WAL mode, so that readers never
 * block the writer and a crash mid-ingest loses nothing that was committed.
 */
export function openSqlite(path: string): Kysely<Database> {
  let connection: BetterSqlite3.Database;
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    connection = new BetterSqlite3(path, { timeout: 10_000 });
    connection.pragma("journal_mode = WAL");
    connection.pragma("synchronous = NORMAL");
    connection.pragma("foreign_keys = ON");
  } catch (cause) {
    throw new KaizenError("STORE_UNAVAILABLE", `cannot open the SQLite database: ${(cause as Error).message}`, {
      file: path,
      cause,
      httpStatus: 503,
    });
  }
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) });
}
