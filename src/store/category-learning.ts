import type { Kysely, Transaction } from "kysely";
import { PROMOTION_POLICY, trainAndEvaluate } from "../analysis/model-training.js";
import { applyModel } from "./model-categories.js";
import { latestVersion, promotedModel, saveModelVersion } from "./model-versions.js";
import type { Database } from "./schema.js";
import { trainingExamples } from "./training-set.js";

type Db = Kysely<Database> | Transaction<Database>;

/** When a project's model is trained again on its own, after an ingest or a label. */
export const RETRAIN_POLICY = {
  /** Labelled clusters added (or removed) since the last version, at least this many... */
  minNewLabels: 3,
  /** ...or this share of those the last version saw. */
  labelShare: 0.1,
  /** Failures stored since the last version, as a share of those it saw... */
  failureShare: 0.25,
  /** ...and at least this many. */
  minNewFailures: 200,
} as const;

/** What one training did. */
export interface TrainedVersion {
  readonly project: string;
  readonly version: number;
  readonly promoted: boolean;
  readonly reason: string;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly rulesMacroF1: number;
  readonly trainingExamples: number;
  readonly labelledClusters: number;
  /** Failures whose category the promoted version decided (0 when not promoted). */
  readonly reclassified: number;
}

async function countsOf(db: Db, projectId: number): Promise<{ labelledClusters: number; failures: number }> {
  const labelled = await db
    .selectFrom("clusters")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("project_id", "=", projectId)
    .where("category_source", "=", "human")
    .executeTakeFirst();
  const failures = await db
    .selectFrom("failures as f")
    .innerJoin("runs as r", "r.id", "f.run_id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("r.project_id", "=", projectId)
    .executeTakeFirst();
  return { labelledClusters: labelled?.n ?? 0, failures: failures?.n ?? 0 };
}

async function runsWithFailures(db: Db, projectId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("runs")
    .select("id")
    .where("project_id", "=", projectId)
    .where((eb) => eb.exists(eb.selectFrom("failures").select("id").whereRef("failures.run_id", "=", "runs.id")))
    .orderBy("id")
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Trains a new version of a project's category model, stores it with its evaluation, and when
 * it is promoted lets it decide the category of every failure nobody labelled.
 */
export async function trainProject(db: Db, projectId: number, project: string, now: string): Promise<TrainedVersion> {
  const current = await promotedModel(db, projectId);
  const examples = await trainingExamples(db, projectId);
  const outcome = trainAndEvaluate(examples, current === undefined ? undefined : { macroF1: current.macroF1 });
  const { failures } = await countsOf(db, projectId);
  const version = await saveModelVersion(db, projectId, outcome, failures, now);
  const reclassified = outcome.promote
    ? await applyModel(
        db,
        { version, macroF1: outcome.evaluation.model.macroF1, model: outcome.model },
        await runsWithFailures(db, projectId),
      )
    : 0;
  return {
    project,
    version,
    promoted: outcome.promote,
    reason: outcome.reason,
    accuracy: outcome.evaluation.model.accuracy,
    macroF1: outcome.evaluation.model.macroF1,
    rulesMacroF1: outcome.evaluation.rules.macroF1,
    trainingExamples: outcome.evaluation.trainingExamples,
    labelledClusters: outcome.evaluation.labelledClusters,
    reclassified,
  };
}

/** Whether enough changed since a project's last version to train again. */
export async function shouldRetrain(db: Db, projectId: number): Promise<boolean> {
  const now = await countsOf(db, projectId);
  const last = await latestVersion(db, projectId);
  // Below the minimum no version can be promoted, so training would only store a refusal.
  if (now.labelledClusters < PROMOTION_POLICY.minLabelledClusters) return false;
  if (last === undefined || last.labelledClusters < PROMOTION_POLICY.minLabelledClusters) return true;
  const newLabels = Math.abs(now.labelledClusters - last.labelledClusters);
  const newFailures = now.failures - last.failuresSeen;
  return (
    (newLabels >= RETRAIN_POLICY.minNewLabels && newLabels >= last.labelledClusters * RETRAIN_POLICY.labelShare) ||
    (newFailures >= RETRAIN_POLICY.minNewFailures && newFailures >= last.failuresSeen * RETRAIN_POLICY.failureShare)
  );
}

/**
 * What runs after new runs are stored: the project's promoted model (if any) decides their
 * failures' categories, and the model is trained again when enough changed since it was.
 */
export async function learnFromRuns(
  db: Db,
  projectId: number,
  project: string,
  runIds: readonly number[],
  now: string,
) {
  const current = await promotedModel(db, projectId);
  if (current !== undefined) await applyModel(db, current, runIds);
  return (await shouldRetrain(db, projectId)) ? await trainProject(db, projectId, project, now) : undefined;
}
