import type { Kysely } from "kysely";
import type { DialectName } from "../dialect-name.js";

/** Creates the history tables: projects, runs, reports, tests, results, failures, artifacts. */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const id = dialect === "postgres" ? "bigserial" : "integer";
  const idColumn = dialect === "postgres" ? ("bigint" as const) : ("integer" as const);
  const blob = dialect === "postgres" ? "bytea" : "blob";

  await db.schema
    .createTable("projects")
    .addColumn("id", id, (c) => (dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("key", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("runs")
    .addColumn("id", id, (c) => (dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("project_id", idColumn, (c) => c.notNull().references("projects.id").onDelete("cascade"))
    .addColumn("ci_run_id", "text", (c) => c.notNull())
    .addColumn("attempt", "integer", (c) => c.notNull())
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("commit_sha", "text")
    .addColumn("branch", "text")
    .addColumn("pull_request", "text")
    .addColumn("job", "text")
    .addColumn("workflow", "text")
    .addColumn("url", "text")
    .addColumn("repository", "text")
    .addColumn("started_at", "text")
    .addColumn("finished_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("runs_identity", ["project_id", "ci_run_id", "attempt"])
    .execute();
  await db.schema.createIndex("runs_by_commit").on("runs").columns(["project_id", "commit_sha"]).execute();
  await db.schema.createIndex("runs_by_branch").on("runs").columns(["project_id", "branch", "created_at"]).execute();

  await db.schema
    .createTable("reports")
    .addColumn("id", id, (c) => (dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("run_id", idColumn, (c) => c.notNull().references("runs.id").onDelete("cascade"))
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("format", "text", (c) => c.notNull())
    .addColumn("path", "text", (c) => c.notNull())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("tool", "text")
    .addColumn("tool_version", "text")
    .addColumn("started_at", "text")
    .addColumn("duration_ms", "double precision")
    .addColumn("tests", "integer", (c) => c.notNull())
    .addColumn("passed", "integer", (c) => c.notNull())
    .addColumn("failed", "integer", (c) => c.notNull())
    .addColumn("errors", "integer", (c) => c.notNull())
    .addColumn("skipped", "integer", (c) => c.notNull())
    .addColumn("flaky", "integer", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("reports_identity", ["run_id", "sha256"])
    .execute();

  await db.schema
    .createTable("tests")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("project_id", idColumn, (c) => c.notNull().references("projects.id").onDelete("cascade"))
    .addColumn("suite", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("file", "text")
    .addColumn("line", "integer")
    .addColumn("first_seen_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("results")
    .addColumn("id", id, (c) => (dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement()))
    // No foreign keys on the two hot tables: ingest is their only writer and checks every
    // reference itself, and per-row constraint lookups would halve the ingest rate.
    .addColumn("run_id", idColumn, (c) => c.notNull())
    .addColumn("report_id", idColumn, (c) => c.notNull())
    .addColumn("test_id", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("attempt", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("duration_ms", "double precision")
    .addColumn("started_at", "text")
    .addColumn("skip_reason", "text")
    .addColumn("stdout", "text")
    .addColumn("stderr", "text")
    .addColumn("properties", "text")
    .addColumn("tags", "text")
    .execute();
  // Runs arrive in order, so every insert lands in the newest run's end of this index, which stays
  // in cache. A (test_id, ...) index would spread each run's inserts over the whole history and
  // cost a random page write per result; per-test history is read by scans and from test_stats.
  await db.schema.createIndex("results_by_run_test").on("results").columns(["run_id", "test_id", "attempt"]).execute();

  await db.schema
    .createTable("failures")
    .addColumn("id", id, (c) => (dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("result_id", idColumn, (c) => c.notNull().unique())
    .addColumn("run_id", idColumn, (c) => c.notNull())
    .addColumn("test_id", "text", (c) => c.notNull())
    .addColumn("type", "text")
    .addColumn("message", "text", (c) => c.notNull())
    .addColumn("stack", "text")
    .addColumn("fingerprint", "text")
    .addColumn("template", "text")
    .addColumn("cluster_id", idColumn)
    .addColumn("category", "text")
    .addColumn("confidence", "double precision")
    .addColumn("source", "text")
    .execute();
  await db.schema.createIndex("failures_by_run").on("failures").columns(["run_id"]).execute();
  await db.schema.createIndex("failures_by_test").on("failures").columns(["test_id"]).execute();

  await db.schema
    .createTable("artifacts")
    .addColumn("sha256", "text", (c) => c.primaryKey())
    .addColumn("media_type", "text", (c) => c.notNull())
    .addColumn("encoding", "text", (c) => c.notNull())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("stored_size", "bigint", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("artifact_chunks")
    .addColumn("sha256", "text", (c) => c.notNull().references("artifacts.sha256").onDelete("cascade"))
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("data", blob, (c) => c.notNull())
    .addPrimaryKeyConstraint("artifact_chunks_pk", ["sha256", "seq"])
    .execute();
  await db.schema
    .createTable("run_artifacts")
    .addColumn("run_id", idColumn, (c) => c.notNull().references("runs.id").onDelete("cascade"))
    .addColumn("sha256", "text", (c) => c.notNull().references("artifacts.sha256"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("run_artifacts_pk", ["run_id", "sha256", "kind"])
    .execute();
}
