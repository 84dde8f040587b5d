import { Command } from "commander";
import { runIdOf } from "../run-ref.js";
import { withStore, type CommandContext, type CommandOutcome } from "../context.js";
import { formatTable, printJson } from "../output.js";
import { positiveInteger } from "./runs.js";

/** Options of `kaizen failures`. */
interface FailuresOptions {
  readonly db?: string;
  readonly json?: boolean;
  readonly project?: string;
  readonly run?: string;
  readonly limit?: number;
}

/** Runs `kaizen failures`. */
export async function runFailures(context: CommandContext, options: FailuresOptions): Promise<CommandOutcome> {
  const failures = await withStore(context, options, async (store) => {
    const runId = await runIdOf(store, options.run, options.project);
    return store.listFailures({ project: options.project, runId, limit: options.limit });
  });
  if (options.json === true) {
    printJson(context.output, {
      failures: failures.map((f) => ({
        id: f.id,
        ci_run_id: f.ciRunId,
        attempt: f.attempt,
        run_id: f.runId,
        test: f.test,
        test_attempt: f.testAttempt,
        type: f.type,
        message: f.message,
        cluster_id: f.clusterId,
        category: f.category,
        confidence: f.confidence,
        source: f.source,
      })),
    });
    return "ok";
  }
  if (failures.length === 0) {
    context.output.out("No failures stored for this selection.");
    return "ok";
  }
  for (const line of formatTable(
    ["id", "ci run", "test", "cluster", "category", "message"],
    failures.map((f) => [
      String(f.id),
      `${f.ciRunId} #${f.attempt}`,
      `${f.test.suite} › ${f.test.name}`,
      f.clusterId === null ? "-" : String(f.clusterId),
      f.category ?? "unclassified",
      (f.message.split("\n")[0] ?? "").slice(0, 100),
    ]),
  ))
    context.output.out(line);
  return "ok";
}

/** The `kaizen failures` command. */
export function failuresCommand(context: CommandContext, onDone: (outcome: CommandOutcome) => void): Command {
  return new Command("failures")
    .description("List stored failures with their run, test, cluster, category and confidence")
    .option("--run <id>", "only this run (Kaizen's run id or the CI run id)")
    .option("--project <key>", "only this project")
    .option("--limit <n>", "at most this many failures", positiveInteger)
    .option("--db <path>", "SQLite database file (default .kaizen/kaizen.db), or a postgres:// URL")
    .option("--json", "print as JSON")
    .action(async (options: FailuresOptions) => {
      onDone(await runFailures(context, options));
    });
}
