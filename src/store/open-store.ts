import { sql } from "kysely";
import { KaizenError } from "../domain/errors.js";
import { openPostgres, isPostgresUrl } from "./dialects/postgres.js";
import { DEFAULT_SQLITE_PATH, openSqlite } from "./dialects/sqlite.js";
import { KyselyStore } from "./kysely-store.js";

/** Where the history store lives. */
export interface StoreLocation {
  /** A `postgres://` URL (from `KAIZEN_DATABASE_URL`); wins over `sqlitePath`. */
  readonly databaseUrl?: string | undefined;
  /** The SQLite file (from `--db`); {@link DEFAULT_SQLITE_PATH} when neither is given. */
  readonly sqlitePath?: string | undefined;
  /** Apply pending migrations on open (the default). */
  readonly migrate?: boolean;
}

/** A printable name of the location, with any password masked. */
export function describeLocation(location: StoreLocation): string {
  if (location.databaseUrl !== undefined && location.databaseUrl !== "") {
    return location.databaseUrl.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
  }
  return location.sqlitePath ?? DEFAULT_SQLITE_PATH;
}

/**
 * Opens the history store: PostgreSQL when a database URL is given, the embedded SQLite file
 * otherwise. Checks the connection and migrates, so that a database that is down or
 * unreachable is a clear `STORE_UNAVAILABLE` error before any work starts.
 */
export async function openStore(location: StoreLocation): Promise<KyselyStore> {
  const url = location.databaseUrl;
  let store: KyselyStore;
  if (url !== undefined && url !== "") {
    if (!isPostgresUrl(url)) {
      throw new KaizenError(
        "CONFIG",
        `KAIZEN_DATABASE_URL must be a postgres:// URL, got "${describeLocation(location)}"`,
      );
    }
    store = new KyselyStore(openPostgres(url), "postgres");
  } else {
    const { db, connection } = openSqlite(location.sqlitePath ?? DEFAULT_SQLITE_PATH);
    store = new KyselyStore(db, "sqlite", connection);
  }
  try {
    await sql`select 1`.execute(store.db);
  } catch (cause) {
    await store.close().catch(() => undefined);
    throw new KaizenError(
      "STORE_UNAVAILABLE",
      `cannot reach the database at ${describeLocation(location)}: ${(cause as Error).message}`,
      { cause, httpStatus: 503 },
    );
  }
  if (location.migrate !== false) {
    try {
      await store.migrate();
    } catch (error) {
      await store.close().catch(() => undefined);
      throw error;
    }
  }
  return store;
}
