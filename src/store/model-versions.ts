import type { Kysely, Transaction } from "kysely";
import {
  deserializeCategoryModel,
  serializeCategoryModel,
  type CategoryModel,
  type SerializedCategoryModel,
} from "../analysis/category-model.js";
import type { ModelEvaluation, TrainingOutcome } from "../analysis/model-training.js";
import type { Database } from "./schema.js";

type Db = Kysely<Database> | Transaction<Database>;

/** The one kind of learned model so far: failure categories. */
export const CATEGORY_MODEL_KIND = "category";

/** One stored version of a model, as `kaizen model` lists it. */
export interface ModelVersion {
  readonly project: string;
  readonly version: number;
  readonly kind: string;
  readonly createdAt: string;
  readonly trainingExamples: number;
  readonly humanExamples: number;
  readonly labelledClusters: number;
  readonly failuresSeen: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly evaluation: ModelEvaluation;
  readonly promoted: boolean;
  /** Why it was, or was not, promoted. */
  readonly reason: string;
}

/** A promoted version with its parameters, ready to classify. */
export interface LoadedModel {
  readonly version: number;
  readonly macroF1: number;
  readonly model: CategoryModel;
}

const versions = (db: Db) =>
  db
    .selectFrom("models as m")
    .innerJoin("projects as p", "p.id", "m.project_id")
    .select([
      "p.key as project",
      "m.version",
      "m.kind",
      "m.created_at",
      "m.training_examples",
      "m.human_examples",
      "m.labelled_clusters",
      "m.failures_seen",
      "m.accuracy",
      "m.macro_f1",
      "m.evaluation",
      "m.promoted",
      "m.reason",
    ]);

/** Every version, newest first, of one project or of all. */
export async function listModelVersions(db: Db, project?: string): Promise<ModelVersion[]> {
  let query = versions(db).orderBy("p.key").orderBy("m.version", "desc");
  if (project !== undefined) query = query.where("p.key", "=", project);
  return (await query.execute()).map((r) => ({
    project: r.project,
    version: r.version,
    kind: r.kind,
    createdAt: r.created_at,
    trainingExamples: r.training_examples,
    humanExamples: r.human_examples,
    labelledClusters: r.labelled_clusters,
    failuresSeen: r.failures_seen,
    accuracy: r.accuracy,
    macroF1: r.macro_f1,
    evaluation: JSON.parse(r.evaluation) as ModelEvaluation,
    promoted: r.promoted === 1,
    reason: r.reason,
  }));
}

/** The newest version of a project's category model, promoted or not, with what it was trained on. */
export async function latestVersion(
  db: Db,
  projectId: number,
): Promise<{ version: number; labelledClusters: number; failuresSeen: number } | undefined> {
  const row = await db
    .selectFrom("models")
    .select(["version", "labelled_clusters", "failures_seen"])
    .where("project_id", "=", projectId)
    .where("kind", "=", CATEGORY_MODEL_KIND)
    .orderBy("version", "desc")
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : {
        version: row.version,
        labelledClusters: row.labelled_clusters,
        failuresSeen: row.failures_seen,
      };
}

/**
 * The newest promoted version of a project's category model (or the given version, promoted
 * or not), or `undefined` while the rules decide.
 */
export async function promotedModel(db: Db, projectId: number, version?: number): Promise<LoadedModel | undefined> {
  let query = db
    .selectFrom("models")
    .select(["version", "macro_f1", "parameters"])
    .where("project_id", "=", projectId)
    .where("kind", "=", CATEGORY_MODEL_KIND);
  query = version === undefined ? query.where("promoted", "=", 1) : query.where("version", "=", version);
  const row = await query.orderBy("version", "desc").executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    version: row.version,
    macroF1: row.macro_f1,
    model: deserializeCategoryModel(JSON.parse(row.parameters) as SerializedCategoryModel),
  };
}

/** Stores a trained version with its evaluation; returns its version number. */
export async function saveModelVersion(
  db: Db,
  projectId: number,
  outcome: TrainingOutcome,
  failuresSeen: number,
  now: string,
): Promise<number> {
  const last = await latestVersion(db, projectId);
  const version = (last?.version ?? 0) + 1;
  const e = outcome.evaluation;
  await db
    .insertInto("models")
    .values({
      project_id: projectId,
      version,
      kind: CATEGORY_MODEL_KIND,
      created_at: now,
      training_examples: e.trainingExamples,
      human_examples: e.humanExamples,
      labelled_clusters: e.labelledClusters,
      failures_seen: failuresSeen,
      accuracy: e.model.accuracy,
      macro_f1: e.model.macroF1,
      evaluation: JSON.stringify(e),
      parameters: JSON.stringify(serializeCategoryModel(outcome.model)),
      promoted: outcome.promote ? 1 : 0,
      reason: outcome.reason,
    })
    .execute();
  return version;
}
