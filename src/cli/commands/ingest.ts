import { resolve } from "node:path";
import { Command } from "commander";
import { isKaizenError, KaizenError } from "../../domain/errors.js";
import { resolveRunMetadata, type RunMetadataFlags } from "../../ingest/ci-env.js";
import { expandInputs } from "../../ingest/expand-inputs.js";
import { readGitMetadata } from "../../ingest/git-metadata.js";
import { ingestFiles, type FileOutcome, type IngestResult } from "../../ingest/ingest.js";
import { fileSource, RAW_CHUNK_BYTES } from "../../ingest/report-source.js";
import { sha256Of } from "../../ingest/content-hash.js";
import type { TestSummary } from "../../store/ports.js";
import { withStore, type CommandContext, type CommandOutcome } from "../context.js";
import { palette, printJson } from "../output.js";
import { createProgress } from "../progress.js";
import { collect } from "../repeatable-option.js";
import { rootDirsOf } from "../root-dirs.js";
import { analyzeRun, printAnalysis } from "./analyze.js";
import { describeTraining } from "./model.js";

/** Options of `kaizen ingest`. */
interface IngestCommandOptions extends RunMetadataFlags {
  readonly db?: string;
  readonly analyze?: boolean;
  readonly json?: boolean;
  readonly log?: string[];
  readonly root?: string[];
}

function describeOutcome(outcome: FileOutcome): string {
  switch (outcome.status) {
    case "failed":
      return outcome.error.describe().startsWith(outcome.file)
        ? outcome.error.describe()
        : `${outcome.file}: ${outcome.error.describe()}`;
    case "ignored":
      return `${outcome.file}: not a test report (${outcome.reason})`;
    case "duplicate":
      return `${outcome.file}: already ingested into this run, nothing added`;
    case "stored":
      return `${outcome.file}: ${outcome.format}, ${outcome.summary.tests} tests`;
  }
}

function printSummary(
  context: CommandContext,
  result: IngestResult,
  failing: readonly TestSummary[],
  flaky: readonly TestSummary[],
  counts: { readonly failing: number; readonly flaky: number },
): void {
  const out = (line: string): void => context.output.out(line);
  const c = palette(context.output);
  const stored = result.files.filter((f) => f.status === "stored");
  const duplicates = result.files.filter((f) => f.status === "duplicate");
  const failed = result.files.filter((f) => f.status === "failed");
  const ignored = result.files.filter((f) => f.status === "ignored");
  const t = result.totals;
  if (result.run !== null) {
    out(
      `${c.bold("Ingested")} ${stored.length} report${stored.length === 1 ? "" : "s"} into run ${c.cyan(result.run.ciRunId)} (attempt ${result.run.attempt}, project ${result.run.project})`,
    );
  }
  out(
    `  runs ${result.run === null ? 0 : 1} · tests ${t.tests} · ${c.green(`passed ${t.passed}`)} · ${c.red(`failed ${t.failed + t.errors}`)}` +
      ` · skipped ${t.skipped} · ${c.yellow(`retried-then-passed ${t.flaky}`)}`,
  );
  if (duplicates.length > 0)
    out(c.dim(`  ${duplicates.length} report(s) were already stored for this run and added nothing`));
  if (ignored.length > 0)
    out(c.dim(`  ${ignored.length} file(s) in the folders given are not test reports and were passed over`));
  if (failing.length > 0) {
    out("");
    out(c.bold(`Failing in this run (${counts.failing}):`));
    for (const test of failing.slice(0, 10)) {
      const message = (test.lastFailure ?? "").split("\n", 1)[0]?.slice(0, 100) ?? "";
      out(
        `  ${c.red("✗")} ${test.suite === "" ? "" : `${test.suite} › `}${test.name}${message === "" ? "" : c.dim(`: ${message}`)}`,
      );
    }
    if (counts.failing > 10)
      out(c.dim(`  … and ${counts.failing - 10} more: kaizen tests --failing --run ${result.run?.ciRunId ?? ""}`));
  }
  if (flaky.length > 0) {
    out("");
    out(c.bold(`Passed only on retry (${counts.flaky}), likely flaky:`));
    for (const test of flaky.slice(0, 10)) {
      out(
        `  ${c.yellow("~")} ${test.suite === "" ? "" : `${test.suite} › `}${test.name} (${test.lastAttempts} attempts)`,
      );
    }
  }
  for (const file of failed) context.output.err(`${c.red("error")} ${describeOutcome(file)}`);
}

/** Executions read for the summary's lists of failing and flaky tests; their counts come from the run. */
const SUMMARY_ROWS = 2000;

/** Runs `kaizen ingest`. */
export async function runIngest(
  context: CommandContext,
  inputs: readonly string[],
  options: IngestCommandOptions,
): Promise<CommandOutcome> {
  const flags: RunMetadataFlags = options;
  const git = flags.commit !== undefined && flags.branch !== undefined ? null : await readGitMetadata(context.cwd);
  const run = resolveRunMetadata({ flags, env: context.env, git });
  const expanded = await expandInputs(inputs, context.cwd);
  // A log that cannot be read is one failed input, like a bad report: the reports are still stored.
  const logFailures: FileOutcome[] = [];
  const logs = (
    await Promise.all(
      (options.log ?? []).map(async (path) => {
        try {
          const source = await fileSource(resolve(context.cwd, path), path);
          return { path, source, sha256: await sha256Of(source.open(RAW_CHUNK_BYTES)) };
        } catch (error) {
          logFailures.push({
            file: path,
            status: "failed",
            error: isKaizenError(error) ? error : new KaizenError("INPUT_UNREADABLE", String(error), { file: path }),
          });
          return undefined;
        }
      }),
    )
  ).filter((log) => log !== undefined);
  return withStore(context, options, async (store) => {
    const progress = createProgress(context.output, options.json === true);
    let result: IngestResult;
    try {
      result = await ingestFiles(store, expanded.files, {
        run,
        cwd: context.cwd,
        rootDirs: rootDirsOf(context, options.root ?? []),
        onProgress: (p) => progress.update(p.phase === "read" ? "reading" : "storing", p.done, p.total),
      });
    } finally {
      progress.stop();
    }
    const files: FileOutcome[] = [
      ...expanded.errors.map((error) => ({ file: error.file ?? "", status: "failed" as const, error })),
      ...result.files,
    ];
    if (result.run !== null) {
      for (const log of logs)
        await store.attachLog(result.run, log.path, log.sha256, () => log.source.open(RAW_CHUNK_BYTES));
    } else if (logs.length > 0) {
      files.push(
        ...logs.map((log) => ({
          file: log.path,
          status: "failed" as const,
          error: new KaizenError("USAGE", "no report was read, so there is no run to attach the log to", {
            file: log.path,
          }),
        })),
      );
    }
    files.push(...logFailures);
    const complete: IngestResult = { ...result, files };
    // The run these reports went to (a later attempt of the same CI run may exist; it is not this one).
    const storedIn = result.files.find((file) => file.status === "stored" || file.status === "duplicate");
    const runRow = storedIn === undefined ? undefined : await store.runById(storedIn.runId);
    const tests =
      runRow === undefined
        ? []
        : await store.listTests({
            runId: runRow.id,
            project: run.project,
            withFailuresOnly: true,
            limit: SUMMARY_ROWS,
          });
    // Learning runs before the analysis, so that the analysis shows the promoted model's categories.
    const learned = await store.learnFromRuns([
      ...new Set(result.files.flatMap((file) => (file.status === "stored" ? [file.runId] : []))),
    ]);
    const analysis = options.analyze === true && runRow !== undefined ? await analyzeRun(store, runRow.id) : undefined;
    const failing = tests.filter((test) => test.lastOutcome === "failed" || test.lastOutcome === "error");
    const flaky = tests.filter((test) => test.lastOutcome === "flaky");
    if (options.json === true) {
      printJson(context.output, {
        run: result.run,
        runId: runRow?.id ?? null,
        totals: result.totals,
        trained: learned,
        ...(analysis === undefined ? {} : { analysis }),
        files: files.map((file) =>
          file.status === "failed"
            ? {
                file: file.file,
                status: file.status,
                error: { code: file.error.code, message: file.error.message, position: file.error.position ?? null },
              }
            : file,
        ),
      });
    } else {
      printSummary(context, complete, failing, flaky, {
        failing: (runRow?.failed ?? 0) + (runRow?.errors ?? 0),
        flaky: runRow?.flaky ?? 0,
      });
      for (const version of learned) context.output.out(describeTraining(version));
      if (analysis !== undefined) printAnalysis(context, analysis);
    }
    return files.some((file) => file.status === "failed") ? "input-failed" : "ok";
  });
}

/** The `kaizen ingest` command. */
export function ingestCommand(context: CommandContext, onDone: (outcome: CommandOutcome) => void): Command {
  const command = new Command("ingest")
    .description("Store test reports (files, folders or globs) in the history, as one CI run")
    .argument("<inputs...>", "report files, folders or glob patterns; formats are detected from content")
    .option("--log <file>", "a build log to keep with the run (repeatable)", collect)
    .option("--root <dir>", "a checkout directory to strip from test file paths (repeatable)", collect)
    .option("--db <path>", "SQLite database file (default .kaizen/kaizen.db), or a postgres:// URL")
    .option("--analyze", "then analyze the run: root causes, new or known, flaky, with suggestions (as kaizen analyze)")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      "\nRun metadata comes from flags, then the CI environment, then git. Exit 1 if any input failed.",
    );
  for (const [flag, description] of RUN_FLAG_HELP) command.option(flag, description);
  return command.action(async (inputs: string[], options: IngestCommandOptions) => {
    onDone(await runIngest(context, inputs, options));
  });
}

/** The run-metadata flags and their help. */
const RUN_FLAG_HELP: readonly (readonly [string, string])[] = [
  ["--project <key>", "project key (default: KAIZEN_PROJECT, the CI repository, or 'default')"],
  ["--run-id <id>", "CI run id (default: from the CI environment)"],
  ["--attempt <n>", "attempt of the CI run (re-runs count up)"],
  ["--commit <sha>", "commit SHA (default: CI environment, then git)"],
  ["--branch <name>", "branch (default: CI environment, then git)"],
  ["--job <name>", "CI job name"],
  ["--started-at <time>", "ISO-8601 start time of the run"],
];
