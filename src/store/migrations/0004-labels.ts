import type { Kysely } from "kysely";
import type { DialectName } from "../dialect-name.js";

/**
 * Human labels: a person's category for a cluster, recorded against one of its failures so
 * that a rebuild of the clusters (`kaizen recluster`) can apply it to the failure's new cluster.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const id = dialect === "postgres" ? "bigserial" : "integer";
  const idColumn = dialect === "postgres" ? ("bigint" as const) : ("integer" as const);
  await db.schema
    .createTable("labels")
    .addColumn("id", id, (c) => (dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("failure_id", idColumn, (c) => c.notNull())
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("labels_by_failure").on("labels").columns(["failure_id"]).execute();
}
