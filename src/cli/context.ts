import { resolve } from "node:path";
import type { Readable } from "node:stream";
import { DEFAULT_SQLITE_PATH } from "../store/dialects/sqlite.js";
import type { KyselyStore } from "../store/kysely-store.js";
import type { StoreLocation } from "../store/open-store.js";
import type { Output } from "./output.js";

/** What every command runs with: injected by `main.ts`, so commands never touch `process`. */
export interface CommandContext {
  /** Where to print. */
  readonly output: Output;
  /** The environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The working directory. */
  readonly cwd: string;
  /** Opens the history store at a location. */
  readonly openStore: (location: StoreLocation) => Promise<KyselyStore>;
  /** Standard input, for commands that read `-`. */
  readonly stdin: () => Readable;
}

/** How a command ended, when it did not throw; `main.ts` maps it to an exit code. */
export type CommandOutcome = "ok" | "input-failed";

/** Options every store-reading command accepts. */
export interface StoreOptions {
  /** `--db PATH`: the SQLite file. */
  readonly db?: string;
}

/**
 * The store location for a command: `--db` (a SQLite file, or a `postgres://` URL) when given,
 * else `KAIZEN_DATABASE_URL`, else the embedded default file.
 */
export function storeLocation(context: CommandContext, options: StoreOptions): StoreLocation {
  if (options.db !== undefined) {
    return /^postgres(ql)?:\/\//i.test(options.db)
      ? { databaseUrl: options.db }
      : { sqlitePath: resolve(context.cwd, options.db) };
  }
  const url = context.env.KAIZEN_DATABASE_URL;
  return url !== undefined && url !== ""
    ? { databaseUrl: url }
    : { sqlitePath: resolve(context.cwd, DEFAULT_SQLITE_PATH) };
}

/** Opens the store, runs `work`, and always closes the store. */
export async function withStore<T>(
  context: CommandContext,
  options: StoreOptions,
  work: (store: KyselyStore) => Promise<T>,
): Promise<T> {
  const store = await context.openStore(storeLocation(context, options));
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
