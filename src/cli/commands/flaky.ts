import { Command, InvalidArgumentError } from "commander";
import { scoreFlakiness } from "../../analysis/flakiness.js";
import { withStore, type CommandContext, type CommandOutcome } from "../context.js";
import { formatTable, printJson } from "../output.js";
import { positiveInteger } from "./runs.js";

/** Options of `kaizen flaky`. */
interface FlakyOptions {
  readonly db?: string;
  readonly json?: boolean;
  readonly project?: string;
  readonly branch?: string;
  readonly job?: string;
  readonly minScore?: number;
  readonly all?: boolean;
  readonly limit?: number;
}

function share(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError("expected a number from 0 to 1");
  return n;
}

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

/** Runs `kaizen flaky`: tests ranked by their Bayesian flake rate. */
export async function runFlaky(context: CommandContext, options: FlakyOptions): Promise<CommandOutcome> {
  const histories = await withStore(context, options, (store) =>
    store.listVerdicts({ project: options.project, branch: options.branch, job: options.job }),
  );
  const minScore = options.minScore ?? 0;
  const ranked = histories
    .map(({ test, verdicts }) => ({ ...test, ...scoreFlakiness(verdicts) }))
    .filter(
      (t) =>
        t.score >= minScore &&
        (options.all === true || t.flaky || t.evidence.retriedThenPassed + t.evidence.failedOnPassingCommit > 0),
    )
    .sort((a, b) => b.score - a.score || a.suite.localeCompare(b.suite) || a.name.localeCompare(b.name))
    .slice(0, options.limit ?? Infinity);
  if (options.json === true) {
    printJson(context.output, { branch: options.branch ?? null, job: options.job ?? null, tests: ranked });
    return "ok";
  }
  if (ranked.length === 0) {
    context.output.out("No flaky tests: no test failed and passed on the same code.");
    return "ok";
  }
  for (const line of formatTable(
    ["flaky", "score", "90% interval", "retried", "mixed", "failed", "runs", "trend", "suite", "name"],
    ranked.map((t) => [
      t.flaky ? "yes" : "no",
      percent(t.score),
      `${percent(t.interval[0])}–${percent(t.interval[1])}`,
      String(t.evidence.retriedThenPassed),
      String(t.evidence.failedOnPassingCommit),
      String(t.evidence.unexplainedFailures),
      String(t.evidence.verdicts),
      t.trend,
      t.suite,
      t.name,
    ]),
  ))
    context.output.out(line);
  return "ok";
}

/** The `kaizen flaky` command. */
export function flakyCommand(context: CommandContext, onDone: (outcome: CommandOutcome) => void): Command {
  return new Command("flaky")
    .description("Rank tests by flakiness: failures that the same code also passed (retries, mixed commits)")
    .option("--branch <name>", "only executions on this branch (e.g. main for the default branch's view)")
    .option("--job <name>", "only executions of this CI job")
    .option("--min-score <share>", "only tests whose flake rate is at least this (0 to 1)", share)
    .option("--all", "every test, also those with no flaky evidence")
    .option("--project <key>", "only this project")
    .option("--limit <n>", "at most this many tests", positiveInteger)
    .option("--db <path>", "SQLite database file (default .kaizen/kaizen.db), or a postgres:// URL")
    .option("--json", "print as JSON: suite, name, file, score, interval, evidence, flaky, trend")
    .addHelpText(
      "after",
      `
A test is flaky (the "flaky" decision) with at least two flaky executions and a posterior
flake rate of at least 1%; it is cleared below 0.5% or after 30 clean passes in a row.`,
    )
    .action(async (options: FlakyOptions) => {
      onDone(await runFlaky(context, options));
    });
}
