import type { Kysely } from "kysely";
import type { DialectName } from "../dialect-name.js";

/**
 * Versions of the learned category model, one row per training: its evaluation (kept as
 * columns for listing and as JSON for the confusion matrix), its parameters, and whether it
 * was promoted to decide categories. Every version is kept, promoted or not, so that a
 * decision can always be traced to the version that made it.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const id = dialect === "postgres" ? "bigserial" : "integer";
  const idColumn = dialect === "postgres" ? ("bigint" as const) : ("integer" as const);
  await db.schema
    .createTable("models")
    .addColumn("id", id, (c) => (dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("project_id", idColumn, (c) => c.notNull().references("projects.id").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("training_examples", "integer", (c) => c.notNull())
    .addColumn("human_examples", "integer", (c) => c.notNull())
    .addColumn("labelled_clusters", "integer", (c) => c.notNull())
    .addColumn("failures_seen", "integer", (c) => c.notNull())
    .addColumn("accuracy", "double precision", (c) => c.notNull())
    .addColumn("macro_f1", "double precision", (c) => c.notNull())
    .addColumn("evaluation", "text", (c) => c.notNull())
    .addColumn("parameters", "text", (c) => c.notNull())
    .addColumn("promoted", "integer", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addUniqueConstraint("models_version", ["project_id", "kind", "version"])
    .execute();
}
