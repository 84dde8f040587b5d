import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { KaizenError } from "../../domain/errors.js";
import type { Database } from "../schema.js";

/** Prepared statements kept per connection; batch inserts repeat the same few statements. */
const STATEMENT_CACHE_SIZE = 64;

/**
 * Kysely prepares every query anew; for multi-row inserts of a thousand rows the preparing
 * costs as much as the inserting. Reusing prepared statements by SQL text removes that.
 */
function withStatementCache(connection: BetterSqlite3.Database): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = connection.prepare.bind(connection);
  return new Proxy(connection, {
    get(target, property, receiver) {
      if (property !== "prepare") return Reflect.get(target, property, receiver) as unknown;
      return (source: string) => {
        let statement = cache.get(source);
        if (statement === undefined) {
          statement = prepare(source);
          if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
          cache.set(source, statement);
        }
        return statement;
      };
    },
  });
}

/** The embedded default database file, relative to the working directory. */
export const DEFAULT_SQLITE_PATH = ".kaizen/kaizen.db";

/**
 * Opens (creating if needed) a SQLite history database in WAL mode, so that readers never
 * block the writer and a crash mid-ingest loses nothing that was committed.
 */
export function openSqlite(path: string): { db: Kysely<Database>; connection: BetterSqlite3.Database } {
  let connection: BetterSqlite3.Database;
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    connection = new BetterSqlite3(path, { timeout: 10_000 });
    // 16 KiB pages for a new database (an existing one keeps its own): ingest appends rows by
    // the million, and a commit of a million results wrote its pages in two thirds of the time
    // it took with the 4 KiB default. Set before anything else touches the file.
    connection.pragma("page_size = 16384");
    connection.pragma("journal_mode = WAL");
    connection.pragma("synchronous = NORMAL");
    connection.pragma("foreign_keys = ON");
    // Ingest inserts into several indexes with hash keys; a 2 MB default cache would thrash on them.
    connection.pragma("cache_size = -32768");
  } catch (cause) {
    throw new KaizenError("STORE_UNAVAILABLE", `cannot open the SQLite database: ${(cause as Error).message}`, {
      file: path,
      cause,
      httpStatus: 503,
    });
  }
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(connection) }) }),
    connection,
  };
}
