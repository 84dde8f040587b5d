import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { analyzeRun } from "../dist/cli/commands/analyze.js";
import { ingestFiles } from "../dist/ingest/ingest.js";
import type { KyselyStore } from "../dist/store/kysely-store.js";
import { openStore, type StoreLocation } from "../dist/store/open-store.js";
import { writeHistoryReport, type HistoryShape } from "./generate-history.js";
import { benchRun } from "./ingest-bench.js";

/** How long the analysis of one new run took over a stored history, and what it found. */
export interface AnalyzeFigure {
  /** Median wall time of {@link analyzeRun} on the new run. */
  readonly seconds: number;
  /** Results stored before the new run. */
  readonly historyResults: number;
  /** Results of the new run. */
  readonly runResults: number;
  /** Seconds spent generating and ingesting the history. */
  readonly buildSeconds: number;
  /** What the analysis found: failures, root causes, and flaky root causes (as its summary counts them). */
  readonly failures: number;
  readonly clusters: number;
  readonly knownFlaky: number;
}

/** Generates run `run` of the history and stores it with the real ingest path; returns the run's id and results. */
async function ingestRun(
  store: KyselyStore,
  shape: HistoryShape,
  run: number,
  file: string,
): Promise<{ runId: number; results: number }> {
  await writeHistoryReport(file, shape, run);
  const outcome = await ingestFiles(store, [{ path: file, explicit: true }], {
    // Two runs per commit (as two CI jobs would): failures on a commit that also passed count as flaky.
    run: benchRun(`history-${run}`, `commit-${Math.ceil(run / 2)}`),
    rootDirs: [],
  });
  const stored = outcome.files[0];
  if (stored?.status !== "stored") throw new Error(`bench ingest failed: ${JSON.stringify(stored)}`);
  return { runId: stored.runId, results: outcome.totals.attempts };
}

/**
 * Builds a history of `shape.runs` runs of `shape.tests` tests in a fresh store (through
 * `ingestFiles`, as `kaizen ingest` stores them), ingests one more run, and times
 * {@link analyzeRun} on it: the median of `repetitions` analyses.
 */
export async function benchAnalyze(
  location: StoreLocation,
  shape: HistoryShape,
  workDir: string,
  repetitions = 5,
): Promise<AnalyzeFigure> {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const file = join(workDir, "run.xml");
  const store = await openStore(location);
  try {
    const started = performance.now();
    let historyResults = 0;
    for (let run = 1; run <= shape.runs; run++) historyResults += (await ingestRun(store, shape, run, file)).results;
    const buildSeconds = (performance.now() - started) / 1000;
    const latest = await ingestRun(store, shape, shape.runs + 1, file);
    const times: number[] = [];
    let analysis: Awaited<ReturnType<typeof analyzeRun>> | undefined;
    for (let i = 0; i < repetitions; i++) {
      const start = performance.now();
      analysis = await analyzeRun(store, latest.runId);
      times.push((performance.now() - start) / 1000);
    }
    times.sort((a, b) => a - b);
    return {
      seconds: times[Math.floor(times.length / 2)] ?? Number.NaN,
      historyResults,
      runResults: latest.results,
      buildSeconds,
      failures: analysis?.failures ?? 0,
      clusters: analysis?.summary.clusters ?? 0,
      knownFlaky: analysis?.summary.knownFlaky ?? 0,
    };
  } finally {
    await store.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}
