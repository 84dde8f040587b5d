import { Command } from "commander";
import { runIdOf } from "../run-ref.js";
import { withStore, type CommandContext, type CommandOutcome } from "../context.js";
import { formatTable, palette, printJson } from "../output.js";
import { positiveInteger } from "./runs.js";

/** Options of `kaizen tests`. */
interface TestsOptions {
  readonly db?: string;
  readonly json?: boolean;
  readonly project?: string;
  readonly run?: string;
  readonly failing?: boolean;
  readonly limit?: number;
}

/** Runs `kaizen tests`. */
export async function runTests(context: CommandContext, options: TestsOptions): Promise<CommandOutcome> {
  const tests = await withStore(context, options, async (store) => {
    const runId = await runIdOf(store, options.run, options.project);
    return store.listTests({
      project: options.project,
      runId,
      failing: options.failing === true,
      limit: options.limit,
    });
  });
  if (options.json === true) {
    printJson(context.output, { tests });
    return "ok";
  }
  if (tests.length === 0) {
    context.output.out(
      options.failing === true ? "No failing tests." : "No tests stored yet: kaizen ingest <reports...>",
    );
    return "ok";
  }
  const c = palette(context.output);
  const color = { passed: c.green, failed: c.red, error: c.red, skipped: c.dim, flaky: c.yellow };
  const rows = tests.map((test) => [
    color[test.lastOutcome](test.lastOutcome),
    test.suite,
    test.name,
    test.file ?? "",
    String(test.runs),
    String(test.failedRuns),
    String(test.flakyRuns),
  ]);
  for (const line of formatTable(["last", "suite", "name", "file", "runs", "failed", "flaky"], rows))
    context.output.out(line);
  return "ok";
}

/** The `kaizen tests` command. */
export function testsCommand(context: CommandContext, onDone: (outcome: CommandOutcome) => void): Command {
  return new Command("tests")
    .description("List tests with their latest outcome and history counts")
    .option("--run <id>", "only this run (Kaizen's run id or the CI run id)")
    .option("--failing", "only tests whose latest outcome (or outcome in --run) is failed or error")
    .option("--project <key>", "only this project")
    .option("--limit <n>", "at most this many tests", positiveInteger)
    .option("--db <path>", "SQLite database file (default .kaizen/kaizen.db), or a postgres:// URL")
    .option("--json", "print as JSON")
    .action(async (options: TestsOptions) => {
      onDone(await runTests(context, options));
    });
}
