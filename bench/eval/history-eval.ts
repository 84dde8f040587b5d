/**
 * Evaluation on simulated CI histories: `kaizen simulate` writes a history with its ground
 * truth, the history is ingested in order into a fresh store, and what Kaizen learned is read
 * back the way `kaizen failures --json` and `kaizen flaky --json` print it and scored against
 * the truth: clustering (ARI, V-measure), flaky tests (precision, recall), categories (accuracy,
 * macro-F1), and the learning curve of categories against the number of human labels.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { classificationMetrics } from "../../src/analysis/classification-metrics.js";
import type { FailureCategory } from "../../src/analysis/failure-categories.js";
import { scoreFlakiness } from "../../src/analysis/flakiness.js";
import type { GroundTruth } from "../../src/simulate/ground-truth.js";
import { ingestSimulation } from "../../src/simulate/ingest-simulation.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { openStore } from "../../src/store/open-store.js";
import type { FailureSummary } from "../../src/store/ports.js";
import { adjustedRandIndex, vMeasure } from "./partition-metrics.js";

const BIN = join(import.meta.dirname, "..", "..", "dist", "cli", "bin.js");

/** The shape of one simulated history. */
export interface HistoryShape {
  readonly name: string;
  readonly seed: number;
  /** Extra `kaizen simulate` flags. */
  readonly flags: readonly string[];
}

/** Flaky-test detection against the truth. */
export interface FlakyScore {
  readonly precision: number;
  readonly recall: number;
  /** Tests with a true flake rate of at least 2% and at least 50 executions: what recall counts. */
  readonly eligible: number;
  readonly flagged: number;
  /** Flagged tests that are not flaky at all. */
  readonly falsePositives: number;
}

/** One point of the learning curve. */
export interface CurvePoint {
  /** Labels asked for; fewer are given when the history has fewer clusters. */
  readonly asked: number;
  /** Clusters labelled. */
  readonly labels: number;
  readonly accuracy: number;
  readonly macroF1: number;
  /** Whether a model version was promoted at this point (else the rules and labels decide). */
  readonly promoted: boolean;
  /** Why the version trained at this point was, or was not, promoted. */
  readonly reason: string;
}

/** Everything measured on one history. */
export interface HistoryScore {
  readonly shape: string;
  readonly runs: number;
  readonly failures: number;
  readonly causes: number;
  readonly clusters: number;
  readonly ari: number;
  readonly vMeasure: number;
  readonly homogeneity: number;
  readonly completeness: number;
  readonly flaky: FlakyScore;
  readonly categories: { readonly accuracy: number; readonly macroF1: number };
  readonly curve: readonly CurvePoint[];
}

const key = (ciRunId: string, attempt: number, suite: string, name: string, testAttempt: number): string =>
  `${ciRunId}\u0000${attempt}\u0000${suite}\u0000${name}\u0000${testAttempt}`;

/** Pairs each stored failure with its true failure; a stored failure with no truth is an error of the harness. */
function truthOf(truth: GroundTruth, failures: readonly FailureSummary[]) {
  const byKey = new Map(truth.failures.map((f) => [key(f.ciRunId, f.attempt, f.suite, f.name, f.testAttempt), f]));
  return failures.map((f) => {
    const t = byKey.get(key(f.ciRunId, f.attempt, f.test.suite, f.test.name, f.testAttempt));
    if (t === undefined)
      throw new Error(
        `stored failure ${f.id} (${f.ciRunId} ${f.test.suite} › ${f.test.name}) is not in the ground truth`,
      );
    return { stored: f, truth: t };
  });
}

async function flakyScore(store: KyselyStore, truth: GroundTruth): Promise<FlakyScore> {
  const histories = await store.listVerdicts({ project: truth.parameters.project });
  const byName = new Map(truth.tests.map((t) => [`${t.suite}\u0000${t.name}`, t]));
  let flagged = 0;
  let truePositives = 0;
  let falsePositives = 0;
  let eligible = 0;
  let found = 0;
  for (const h of histories) {
    const t = byName.get(`${h.test.suite}\u0000${h.test.name}`);
    if (t === undefined) continue;
    const executions = h.verdicts.filter((v) => v.outcome !== "skipped").length;
    const decided = scoreFlakiness(h.verdicts).flaky;
    const isEligible = t.flaky && t.flakeRate >= 0.02 && executions >= 50;
    if (isEligible) eligible++;
    if (decided) {
      flagged++;
      if (t.flaky) truePositives++;
      else falsePositives++;
      if (isEligible) found++;
    }
  }
  return {
    precision: flagged === 0 ? 1 : truePositives / flagged,
    recall: eligible === 0 ? 1 : found / eligible,
    eligible,
    flagged,
    falsePositives,
  };
}

/** Labels `count` more clusters, each the cluster of a random failure, with that failure's true category. */
async function labelMore(
  store: KyselyStore,
  paired: ReturnType<typeof truthOf>,
  labelled: Set<number>,
  count: number,
  random: () => number,
): Promise<void> {
  let added = 0;
  for (let tries = 0; added < count && tries < paired.length * 4; tries++) {
    const pick = paired[Math.floor(random() * paired.length)];
    const clusterId = pick?.stored.clusterId;
    if (pick === undefined || clusterId === null || clusterId === undefined || labelled.has(clusterId)) continue;
    await store.label({ failureId: pick.stored.id }, pick.truth.category, "eval: from the ground truth");
    labelled.add(clusterId);
    added++;
  }
}

function categoryScore(truth: readonly FailureCategory[], stored: readonly FailureSummary[]) {
  const m = classificationMetrics(
    truth,
    stored.map((f) => f.category),
  );
  return { accuracy: m.accuracy, macroF1: m.macroF1 };
}

/** A Park–Miller generator for the choice of failures to label: reproducible per seed. */
function lcg(seed: number): () => number {
  let state = seed % 2_147_483_647 || 1;
  return () => {
    state = (state * 48_271) % 2_147_483_647;
    return state / 2_147_483_647;
  };
}

/** Simulates, ingests and scores one history shape, with the learning curve at `labelCounts`. */
export async function evaluateHistory(shape: HistoryShape, labelCounts: readonly number[]): Promise<HistoryScore> {
  const dir = mkdtempSync(join(tmpdir(), "kaizen-eval-"));
  try {
    const sim = spawnSync(
      process.execPath,
      [BIN, "simulate", "--out", join(dir, "sim"), "--seed", String(shape.seed), ...shape.flags],
      { encoding: "utf8" },
    );
    if (sim.status !== 0) throw new Error(`kaizen simulate failed: ${sim.stderr}`);
    const truth = JSON.parse(readFileSync(join(dir, "sim", "ground-truth.json"), "utf8")) as GroundTruth;
    const store = await openStore({ sqlitePath: join(dir, "kaizen.db") });
    try {
      const ingested = await ingestSimulation(store, join(dir, "sim"));
      if (ingested.failed > 0) throw new Error(`${ingested.failed} simulated reports failed to ingest`);
      const failures = await store.listFailures({ limit: 10_000_000 });
      const paired = truthOf(truth, failures);
      const partition = vMeasure(
        paired.map((p) => p.truth.cause),
        paired.map((p) => p.stored.clusterId ?? -p.stored.id),
      );
      const trueCategories = paired.map((p) => p.truth.category);
      const curve: CurvePoint[] = [];
      const labelled = new Set<number>();
      const random = lcg(shape.seed * 7919);
      for (const count of labelCounts) {
        await labelMore(store, paired, labelled, count - labelled.size, random);
        const [trained] = count === 0 ? [] : await store.train(truth.parameters.project);
        const now = await store.listFailures({ limit: 10_000_000 });
        curve.push({
          asked: count,
          labels: labelled.size,
          ...categoryScore(trueCategories, now),
          promoted: trained?.promoted ?? false,
          reason: trained?.reason ?? "no labels: the rules decide",
        });
      }
      return {
        shape: shape.name,
        runs: truth.runs.length,
        failures: failures.length,
        causes: new Set(paired.map((p) => p.truth.cause)).size,
        clusters: new Set(failures.map((f) => f.clusterId)).size,
        ari: adjustedRandIndex(
          paired.map((p) => p.truth.cause),
          paired.map((p) => p.stored.clusterId ?? -p.stored.id),
        ),
        vMeasure: partition.v,
        homogeneity: partition.homogeneity,
        completeness: partition.completeness,
        flaky: await flakyScore(store, truth),
        categories: categoryScore(trueCategories, failures),
        curve,
      };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
