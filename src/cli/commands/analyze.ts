import { Command } from "commander";
import type { FailureCategory } from "../../analysis/failure-categories.js";
import { scoreFlakiness } from "../../analysis/flakiness.js";
import { suggestionsFor, type Suggestion } from "../../analysis/suggestions.js";
import { KaizenError } from "../../domain/errors.js";
import type { KyselyStore } from "../../store/kysely-store.js";
import { withStore, type CommandContext, type CommandOutcome } from "../context.js";
import { runIdOf } from "../run-ref.js";

/** Options of `kaizen analyze`. */
interface AnalyzeOptions {
  readonly db?: string;
  readonly json?: boolean;
  readonly project?: string;
  readonly run?: string;
}

/** One root cause of the run's failures. */
interface RunCluster {
  readonly id: number;
  readonly title: string;
  readonly category: string | null;
  /** Failures of this cluster in the run. */
  readonly failures: number;
  /** First seen in this run: a new root cause. */
  readonly new: boolean;
  /** Failing tests of the run, in this cluster, that their history calls flaky. */
  readonly knownFlakyTests: number;
  readonly suggestions: readonly Suggestion[];
}

/** What {@link analyzeRun} found. */
export type RunAnalysis = Awaited<ReturnType<typeof analyzeRun>>;

/** The analysis of one run: its failures by root cause, with what to do about each. */
export async function analyzeRun(store: KyselyStore, runId: number) {
  const run = await store.runById(runId);
  if (run === undefined) throw new KaizenError("NOT_FOUND", `no run ${runId}`, { httpStatus: 404 });
  const failures = await store.listFailures({ runId });
  // Only the failing tests' histories: the cost follows the run, not the project's whole history.
  const failingTests = [...new Set(failures.map((f) => f.test.id))];
  const histories = new Map(
    (await store.listVerdicts({ project: run.project, testIds: failingTests })).map((h) => [
      h.test.id,
      scoreFlakiness(h.verdicts).flaky,
    ]),
  );
  const byCluster = new Map<number, typeof failures>();
  for (const failure of failures) {
    if (failure.clusterId === null) continue;
    const list = byCluster.get(failure.clusterId) ?? [];
    list.push(failure);
    byCluster.set(failure.clusterId, list);
  }
  const known = new Map((await store.clustersByIds([...byCluster.keys()])).map((c) => [c.id, c]));
  const clusters: RunCluster[] = [];
  for (const [clusterId, members] of byCluster) {
    const cluster = known.get(clusterId);
    const first = members[0];
    if (cluster === undefined || first === undefined) continue;
    const flakyTests = new Set(members.filter((f) => histories.get(f.test.id) === true).map((f) => f.test.id));
    clusters.push({
      id: cluster.id,
      title: cluster.title,
      category: cluster.category,
      failures: members.length,
      new: cluster.firstSeenRunId === runId,
      knownFlakyTests: flakyTests.size,
      suggestions: suggestionsFor(cluster.category as FailureCategory | null, first.message),
    });
  }
  clusters.sort((a, b) => b.failures - a.failures || a.id - b.id);
  const count = (category: string) => clusters.filter((c) => c.category === category).length;
  return {
    run: { id: run.id, ciRunId: run.ciRunId, attempt: run.attempt, commitSha: run.commitSha, branch: run.branch },
    failures: failures.length,
    summary: {
      clusters: clusters.length,
      newRootCauses: clusters.filter((c) => c.new).length,
      knownFlaky: clusters.filter((c) => c.knownFlakyTests > 0 || c.category === "flaky").length,
      regressions: count("regression"),
      infrastructure: count("infrastructure"),
      timeouts: count("timeout"),
      environment: count("environment"),
      testBugs: count("test-bug"),
      unclassified: clusters.filter((c) => c.category === null).length,
    },
    clusters,
  };
}

/** Runs `kaizen analyze`. */
export async function runAnalyze(context: CommandContext, options: AnalyzeOptions): Promise<CommandOutcome> {
  const analysis = await withStore(context, options, async (store) => {
    const runId =
      (await runIdOf(store, options.run, options.project)) ??
      (await store.listRuns({ project: options.project, limit: 1 }))[0]?.id;
    if (runId === undefined)
      throw new KaizenError("NOT_FOUND", "no runs stored yet: kaizen ingest <reports...>", { httpStatus: 404 });
    return analyzeRun(store, runId);
  });
  if (options.json === true) {
    context.output.out(JSON.stringify(analysis, null, 2));
    return "ok";
  }
  printAnalysis(context, analysis);
  return "ok";
}

/** Prints an analysis for people: a summary line, then each root cause with its suggestions. */
export function printAnalysis(context: CommandContext, analysis: RunAnalysis): void {
  const s = analysis.summary;
  context.output.out(
    `run ${analysis.run.ciRunId} #${analysis.run.attempt}: ${analysis.failures} failures in ${s.clusters} root causes · ${s.newRootCauses} new · ${s.knownFlaky} flaky · ${s.regressions} regressions · ${s.infrastructure} infrastructure · ${s.timeouts} timeouts · ${s.environment} environment · ${s.testBugs} test bugs · ${s.unclassified} unclassified`,
  );
  for (const c of analysis.clusters) {
    const tags = [
      c.new ? "new" : "known",
      c.category ?? "unclassified",
      c.knownFlakyTests > 0 ? `${c.knownFlakyTests} known flaky` : "",
    ]
      .filter((t) => t !== "")
      .join(", ");
    context.output.out(`  cluster ${c.id} (${tags}) ×${c.failures}: ${c.title}`);
    for (const suggestion of c.suggestions) context.output.out(`    → ${suggestion.text}`);
  }
}

/** The `kaizen analyze` command. */
export function analyzeCommand(context: CommandContext, onDone: (outcome: CommandOutcome) => void): Command {
  return new Command("analyze")
    .description("Analyze a run's failures: new root causes, known flaky, infrastructure, timeouts, with suggestions")
    .option("--run <id>", "the run (Kaizen's run id or the CI run id; default: the newest)")
    .option("--project <key>", "only this project")
    .option("--db <path>", "SQLite database file (default .kaizen/kaizen.db), or a postgres:// URL")
    .option("--json", "print as JSON")
    .action(async (options: AnalyzeOptions) => {
      onDone(await runAnalyze(context, options));
    });
}
