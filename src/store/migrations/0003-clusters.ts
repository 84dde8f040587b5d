import type { Kysely } from "kysely";
import type { DialectName } from "../dialect-name.js";

/**
 * Failure clusters (root causes): one row per cluster, and the fingerprints that belong to
 * each (near-duplicates merge several fingerprints into one cluster). A cluster's code site
 * (exception type and project frames) is indexed: a new fingerprint is only compared with the
 * clusters of its own site.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const id = dialect === "postgres" ? "bigserial" : "integer";
  const idColumn = dialect === "postgres" ? ("bigint" as const) : ("integer" as const);
  await db.schema
    .createTable("clusters")
    .addColumn("id", id, (c) => (dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("project_id", idColumn, (c) => c.notNull().references("projects.id").onDelete("cascade"))
    .addColumn("site", "text", (c) => c.notNull())
    .addColumn("exception_type", "text")
    .addColumn("template", "text", (c) => c.notNull())
    .addColumn("frames", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("category", "text")
    .addColumn("category_source", "text")
    .addColumn("confidence", "double precision")
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("first_seen_run_id", idColumn, (c) => c.notNull())
    .addColumn("first_seen_at", "text", (c) => c.notNull())
    .addColumn("last_seen_run_id", idColumn, (c) => c.notNull())
    .addColumn("last_seen_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("clusters_by_site").on("clusters").columns(["project_id", "site"]).execute();
  await db.schema
    .createTable("cluster_keys")
    .addColumn("project_id", idColumn, (c) => c.notNull())
    .addColumn("fingerprint", "text", (c) => c.notNull())
    .addColumn("cluster_id", idColumn, (c) => c.notNull().references("clusters.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("cluster_keys_pk", ["project_id", "fingerprint"])
    .execute();
  await db.schema
    .alterTable("failures")
    .addColumn("passed_on_retry", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("failures_by_cluster").on("failures").columns(["cluster_id"]).execute();
}
