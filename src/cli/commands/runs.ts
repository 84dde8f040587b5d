import { Command, InvalidArgumentError } from "commander";
import { withStore, type CommandContext, type CommandOutcome } from "../context.js";
import { formatTable, palette, printJson } from "../output.js";

/** Options of `kaizen runs`. */
interface RunsOptions {
  readonly db?: string;
  readonly json?: boolean;
  readonly project?: string;
  readonly branch?: string;
  readonly limit?: number;
}

/** Parses a positive integer flag value. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

/** Runs `kaizen runs`. */
export async function runRuns(context: CommandContext, options: RunsOptions): Promise<CommandOutcome> {
  const runs = await withStore(context, options, (store) =>
    store.listRuns({ project: options.project, branch: options.branch, limit: options.limit ?? 50 }),
  );
  if (options.json === true) {
    printJson(context.output, { runs });
    return "ok";
  }
  if (runs.length === 0) {
    context.output.out("No runs stored yet: kaizen ingest <reports...>");
    return "ok";
  }
  const c = palette(context.output);
  const rows = runs.map((run) => [
    String(run.id),
    run.ciRunId,
    String(run.attempt),
    run.branch ?? "",
    run.commitSha?.slice(0, 10) ?? "",
    String(run.tests),
    run.failed + run.errors > 0 ? c.red(String(run.failed + run.errors)) : "0",
    String(run.flaky),
    run.createdAt.replace("T", " ").slice(0, 19),
  ]);
  for (const line of formatTable(
    ["id", "ci run", "attempt", "branch", "commit", "tests", "failed", "flaky", "stored at"],
    rows,
  )) {
    context.output.out(line);
  }
  return "ok";
}

/** The `kaizen runs` command. */
export function runsCommand(context: CommandContext, onDone: (outcome: CommandOutcome) => void): Command {
  return new Command("runs")
    .description("List stored runs, newest first")
    .option("--project <key>", "only this project")
    .option("--branch <name>", "only this branch")
    .option("--limit <n>", "at most this many runs (default 50)", positiveInteger)
    .option("--db <path>", "SQLite database file (default .kaizen/kaizen.db), or a postgres:// URL")
    .option("--json", "print as JSON")
    .action(async (options: RunsOptions) => {
      onDone(await runRuns(context, options));
    });
}
