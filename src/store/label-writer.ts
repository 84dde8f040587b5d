import type { Kysely, Transaction } from "kysely";
import type { Database } from "./schema.js";

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Gives a failure's cluster a person's category: the cluster and every failure in it take it
 * with confidence 1 and source `human`, and failures that join the cluster later inherit it.
 */
export async function applyLabel(
  db: Db,
  failureId: number,
  category: string,
): Promise<{ clusterId: number; failures: number } | undefined> {
  const failure = await db.selectFrom("failures").select("cluster_id").where("id", "=", failureId).executeTakeFirst();
  const clusterId = failure?.cluster_id;
  if (clusterId === undefined || clusterId === null) return undefined;
  await db
    .updateTable("clusters")
    .set({ category, category_source: "human", confidence: 1 })
    .where("id", "=", clusterId)
    .execute();
  const updated = await db
    .updateTable("failures")
    .set({ category, confidence: 1, source: "human" })
    .where("cluster_id", "=", clusterId)
    .executeTakeFirst();
  return { clusterId, failures: Number(updated.numUpdatedRows) };
}

/** Applies every stored label again, oldest first (after the clusters were rebuilt). */
export async function reapplyLabels(db: Db): Promise<void> {
  const labels = await db.selectFrom("labels").select(["failure_id", "category"]).orderBy("id").execute();
  for (const label of labels) await applyLabel(db, label.failure_id, label.category);
}
