import { join, relative, resolve } from "node:path";
import { Command } from "commander";
import { KaizenError } from "../../domain/errors.js";
import { SIMULATION_DEFAULTS, type SimulationOptions } from "../../simulate/simulation-options.js";
import { SIMULATION_FILES, simulate, type SimulationResult } from "../../simulate/simulate.js";
import type { CommandContext, CommandOutcome } from "../context.js";
import { palette, printJson } from "../output.js";
import { createProgress } from "../progress.js";

/** Options of `kaizen simulate`, as commander hands them over (strings). */
interface SimulateCommandOptions {
  readonly out: string;
  readonly runs?: string;
  readonly tests?: string;
  readonly seed?: string;
  readonly flakyShare?: string;
  readonly regressions?: string;
  readonly testBugs?: string;
  readonly outages?: string;
  readonly environmentProblems?: string;
  readonly prShare?: string;
  readonly project?: string;
  readonly json?: boolean;
}

/** Each numeric option's flag and whether it takes a fraction. */
const NUMERIC_FLAGS = {
  runs: ["--runs", "integer"],
  tests: ["--tests", "integer"],
  seed: ["--seed", "integer"],
  flakyShare: ["--flaky-share", "share"],
  regressions: ["--regressions", "integer"],
  testBugs: ["--test-bugs", "integer"],
  outages: ["--outages", "integer"],
  environmentProblems: ["--environment-problems", "integer"],
  prShare: ["--pr-share", "share"],
} as const satisfies Partial<Record<keyof SimulationOptions, readonly [string, "integer" | "share"]>>;

type NumericOption = keyof typeof NUMERIC_FLAGS;

const flagOf = (option: keyof SimulationOptions): string =>
  option === "project" ? "--project" : NUMERIC_FLAGS[option][0];

/** Turns the flags' strings into numbers; anything that is not plainly a number is a usage error naming the flag. */
function optionsOf(flags: SimulateCommandOptions): SimulationOptions {
  const options: { -readonly [K in keyof SimulationOptions]: SimulationOptions[K] } = {};
  for (const key of Object.keys(NUMERIC_FLAGS) as NumericOption[]) {
    const text = flags[key];
    if (text === undefined) continue;
    const [flag, kind] = NUMERIC_FLAGS[key];
    const pattern = kind === "integer" ? /^\d+$/ : /^(?:\d+\.?\d*|\.\d+)$/;
    if (!pattern.test(text.trim()))
      throw new KaizenError(
        "USAGE",
        `${flag} must be ${kind === "integer" ? "a whole number" : "a number from 0 to 1"}, got ${JSON.stringify(text)}`,
      );
    options[key] = Number(text);
  }
  if (flags.project !== undefined) options.project = flags.project;
  return options;
}

function printSummary(context: CommandContext, result: SimulationResult): void {
  const c = palette(context.output);
  const t = result.totals;
  const shown = relative(context.cwd, result.dir) || ".";
  const out = (line: string): void => context.output.out(line);
  out(
    `${c.bold("Simulated")} ${t.files} run${t.files === 1 ? "" : "s"} (${t.ciRuns} CI runs, ${t.reruns} re-runs) × ${t.tests} tests into ${c.cyan(shown)}`,
  );
  out(
    `  ${c.red(`failed attempts ${t.failures}`)} · ${c.yellow(`retried-then-passed ${t.retriedThenPassed}`)} · flaky tests ${t.flakyTests}` +
      ` · regressions ${t.regressions} · test bugs ${t.testBugs} · outages ${t.outages} · broken runners ${t.environmentProblems}`,
  );
  out(`  reports       ${join(shown, SIMULATION_FILES.reports)}/`);
  out(`  ground truth  ${join(shown, SIMULATION_FILES.groundTruth)}`);
  out(
    `  ingest        ${join(shown, SIMULATION_FILES.ingestScript)} (metadata for scripts: ${join(shown, SIMULATION_FILES.manifest)})`,
  );
}

/** Runs `kaizen simulate`. */
export async function runSimulate(context: CommandContext, flags: SimulateCommandOptions): Promise<CommandOutcome> {
  const options = optionsOf(flags);
  const dir = resolve(context.cwd, flags.out);
  const progress = createProgress(context.output, flags.json === true);
  let result: SimulationResult;
  try {
    result = await simulate(dir, options, {
      nameOf: flagOf,
      onProgress: (done, total) => progress.update("simulating", done, total),
    });
  } finally {
    progress.stop();
  }
  if (flags.json === true) {
    printJson(context.output, {
      dir: result.dir,
      seed: result.seed,
      ...result.totals,
      runs: result.totals.files,
      parameters: result.parameters,
      outputs: {
        reports: join(result.dir, SIMULATION_FILES.reports),
        groundTruth: join(result.dir, SIMULATION_FILES.groundTruth),
        manifest: join(result.dir, SIMULATION_FILES.manifest),
        ingestScript: join(result.dir, SIMULATION_FILES.ingestScript),
      },
    });
  } else printSummary(context, result);
  return "ok";
}

/** The `kaizen simulate` command. */
export function simulateCommand(context: CommandContext, onDone: (outcome: CommandOutcome) => void): Command {
  const d = SIMULATION_DEFAULTS;
  return new Command("simulate")
    .description("Write a realistic simulated CI history (JUnit reports) with its ground truth, to evaluate Kaizen on")
    .requiredOption(
      "--out <dir>",
      "directory to write into (created if missing; earlier simulated reports there are replaced)",
    )
    .option("--runs <n>", `CI runs (pushes); re-run attempts come on top (default ${d.runs})`)
    .option("--tests <n>", `tests in the population (default ${d.tests})`)
    .option("--seed <n>", `PRNG seed: the same flags and seed give byte-identical files (default ${d.seed})`)
    .option("--flaky-share <x>", `share of tests that fail intermittently (default ${d.flakyShare})`)
    .option("--regressions <k>", "regressions introduced at known commits (default: one per 50 runs)")
    .option("--test-bugs <k>", "test bugs introduced at known commits (default: one per 100 runs)")
    .option("--outages <k>", "infrastructure outages (default: one per 100 runs)")
    .option("--environment-problems <k>", "broken self-hosted runners (default: one per 150 runs)")
    .option("--pr-share <x>", `share of runs on pull-request branches (default ${d.prShare})`)
    .option("--project <key>", `project key ingest.sh stores the history under (default ${d.project})`)
    .option("--json", "print the summary as JSON")
    .addHelpText(
      "after",
      `
Writes into --out:
  reports/run-NNNN-aN.xml  one Surefire-style JUnit report per run attempt (flakyFailure/rerunFailure for reruns)
  ground-truth.json        every test, run and failed attempt with its true root cause and category,
                           the regressions, test bugs, outages and broken runners
  runs.json                each run's metadata, in ingest order
  ingest.sh                kaizen ingest for every run in order (extra flags such as --db are passed on)
Failure categories: regression, flaky, infrastructure, timeout, environment, test-bug.`,
    )
    .action(async (flags: SimulateCommandOptions) => {
      onDone(await runSimulate(context, flags));
    });
}
