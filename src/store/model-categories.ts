import { sql, type Kysely, type Transaction } from "kysely";
import { predictCategory } from "../analysis/category-model.js";
import { runFailureFacts } from "./failure-facts.js";
import type { LoadedModel } from "./model-versions.js";
import type { Database } from "./schema.js";

type Db = Kysely<Database> | Transaction<Database>;

/** Failures written per statement. */
const BATCH = 500;

/** The `source` of a category the model decided. */
export const modelSource = (version: number): string => `model:v${version}`;

interface CategoryUpdate {
  readonly id: number;
  readonly category: string;
  readonly confidence: number;
  readonly source: string;
}

/** One `WITH v AS (VALUES ...) UPDATE ... FROM v` per batch, as the cluster assigner writes. */
async function writeCategories(db: Db, updates: readonly CategoryUpdate[]): Promise<void> {
  for (let i = 0; i < updates.length; i += BATCH) {
    const values = sql.join(
      updates.slice(i, i + BATCH).map((u) => sql`(${u.id}, ${u.category}, ${u.confidence}, ${u.source})`),
    );
    await sql`
      with v(id, category, confidence, source) as (values ${values})
      update failures set category = v.category, confidence = cast(v.confidence as double precision), source = v.source
      from v
      where failures.id = cast(v.id as bigint)`.execute(db);
  }
}

/** Gives each cluster nobody labelled the most common category of its failures. */
async function refreshClusterCategories(db: Db, clusterIds: readonly number[]): Promise<void> {
  for (let i = 0; i < clusterIds.length; i += BATCH) {
    const ids = clusterIds.slice(i, i + BATCH);
    await sql`
      update clusters set
        category = (select f.category from failures f where f.cluster_id = clusters.id and f.category is not null
                    group by f.category order by count(*) desc, f.category limit 1),
        category_source = 'model',
        confidence = (select avg(f.confidence) from failures f where f.cluster_id = clusters.id)
      where id in (${sql.join(ids)}) and (category_source is null or category_source <> 'human')`.execute(db);
  }
}

/**
 * Lets a promoted model decide the category of the given runs' failures that no person
 * labelled: each failure's facts are read, the model predicts, and failures and their
 * clusters take its category with source `model:v<version>`. Returns the failures updated.
 */
export async function applyModel(db: Db, loaded: LoadedModel, runIds: readonly number[]): Promise<number> {
  let updated = 0;
  const clusters = new Set<number>();
  for (const runId of runIds) {
    const updates: CategoryUpdate[] = [];
    for (const failure of await runFailureFacts(db, runId)) {
      if (failure.source === "human") continue;
      const prediction = predictCategory(loaded.model, failure.facts, 0);
      updates.push({
        id: failure.failureId,
        category: prediction.category,
        confidence: prediction.confidence,
        source: modelSource(loaded.version),
      });
      if (failure.clusterId !== null) clusters.add(failure.clusterId);
    }
    await writeCategories(db, updates);
    updated += updates.length;
  }
  await refreshClusterCategories(db, [...clusters]);
  return updated;
}
