import { Command } from "commander";
import { describeLocation } from "../../store/open-store.js";
import { storeLocation, type CommandContext, type CommandOutcome } from "../context.js";
import { printJson } from "../output.js";

/** Options of `kaizen db migrate`. */
interface MigrateOptions {
  readonly db?: string;
  readonly json?: boolean;
}

/** Runs `kaizen db migrate`. */
export async function runMigrate(context: CommandContext, options: MigrateOptions): Promise<CommandOutcome> {
  const location = storeLocation(context, options);
  const store = await context.openStore({ ...location, migrate: false });
  try {
    const applied = await store.migrate();
    if (options.json === true)
      printJson(context.output, { database: describeLocation(location), dialect: store.dialect, applied });
    else if (applied.length === 0) context.output.out(`${describeLocation(location)}: schema is up to date`);
    else for (const m of applied) context.output.out(`${describeLocation(location)}: applied ${m.name}`);
    return "ok";
  } finally {
    await store.close();
  }
}

/** The `kaizen db` command group. */
export function dbCommand(context: CommandContext, onDone: (outcome: CommandOutcome) => void): Command {
  const db = new Command("db").description("Manage the history database");
  db.command("migrate")
    .description("Create or upgrade the database schema (ingest does this too)")
    .option("--db <path>", "SQLite database file (default .kaizen/kaizen.db), or a postgres:// URL")
    .option("--json", "print as JSON")
    .action(async (options: MigrateOptions) => {
      onDone(await runMigrate(context, options));
    });
  return db;
}
