import { sql, type Kysely } from "kysely";
import type { TestStatus } from "../domain/test-status.js";
import type { FailureRecord, TestVerdicts, VerdictQuery } from "./ports.js";
import type { Database } from "./schema.js";

/**
 * Every test's executions (one per test and report), oldest first: outcome, commit and time.
 * An execution whose last attempt passed after a failed one is `flaky`.
 */
export async function listVerdicts(db: Kysely<Database>, query: VerdictQuery): Promise<TestVerdicts[]> {
  const filters = [
    query.project === undefined ? undefined : sql`p.key = ${query.project}`,
    query.branch === undefined ? undefined : sql`ru.branch = ${query.branch}`,
    query.job === undefined ? undefined : sql`ru.job = ${query.job}`,
    query.testId === undefined ? undefined : sql`g.test_id = ${query.testId}`,
  ].filter((filter) => filter !== undefined);
  const where = filters.length === 0 ? sql`` : sql`where ${sql.join(filters, sql` and `)}`;
  const rows = await sql<{
    test_id: string;
    suite: string;
    name: string;
    file: string | null;
    commit_sha: string | null;
    at: string;
    failing: number | string;
    status: TestStatus;
  }>`
    select g.test_id, t.suite, t.name, t.file, ru.commit_sha, coalesce(ru.started_at, ru.created_at) as at,
           g.failing, last.status
    from (select test_id, run_id, report_id, max(id) as last_id,
                 sum(case when status in ('failed', 'error') then 1 else 0 end) as failing
          from results group by test_id, run_id, report_id) g
    join results last on last.id = g.last_id
    join runs ru on ru.id = g.run_id
    join projects p on p.id = ru.project_id
    join tests t on t.id = g.test_id
    ${where}
    order by g.test_id, at, g.report_id`.execute(db);
  const byTest = new Map<string, TestVerdicts>();
  for (const row of rows.rows) {
    let entry = byTest.get(row.test_id);
    if (entry === undefined) {
      entry = { test: { id: row.test_id, suite: row.suite, name: row.name, file: row.file }, verdicts: [] };
      byTest.set(row.test_id, entry);
    }
    const failing = Number(row.failing);
    const outcome =
      row.status === "skipped" ? "skipped" : row.status === "passed" ? (failing > 0 ? "flaky" : "passed") : "failed";
    (entry.verdicts as TestVerdicts["verdicts"][number][]).push({ outcome, commitSha: row.commit_sha, at: row.at });
  }
  return [...byTest.values()];
}

/** Tests by id, or whose name or `suite › name` contains `ref`; at most 50. */
export async function findTests(db: Kysely<Database>, ref: string, project?: string): Promise<TestVerdicts["test"][]> {
  let q = db
    .selectFrom("tests as t")
    .innerJoin("projects as p", "p.id", "t.project_id")
    .select(["t.id", "t.suite", "t.name", "t.file"]);
  if (project !== undefined) q = q.where("p.key", "=", project);
  const exact = await q.where("t.id", "=", ref).execute();
  if (exact.length > 0) return exact;
  const pattern = `%${ref.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  // lower() on both sides: SQLite's LIKE ignores ASCII case and PostgreSQL's does not.
  return q
    .where(
      sql<boolean>`(lower(t.name) like lower(${pattern}) escape '\\' or lower(t.suite || ' › ' || t.name) like lower(${pattern}) escape '\\')`,
    )
    .orderBy("t.suite")
    .orderBy("t.name")
    .limit(50)
    .execute();
}

/** One failure with its test and run. */
export async function failureById(db: Kysely<Database>, id: number): Promise<FailureRecord | undefined> {
  const row = await db
    .selectFrom("failures as f")
    .innerJoin("tests as t", "t.id", "f.test_id")
    .innerJoin("runs as r", "r.id", "f.run_id")
    .select([
      "f.id",
      "f.type",
      "f.message",
      "f.stack",
      "f.passed_on_retry",
      "f.cluster_id",
      "f.category",
      "f.confidence",
      "f.source",
      "t.id as test_id",
      "t.suite",
      "t.name",
      "t.file",
      "r.ci_run_id",
    ])
    .where("f.id", "=", id)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: row.id,
    type: row.type,
    message: row.message,
    stack: row.stack,
    passedOnRetry: row.passed_on_retry > 0,
    clusterId: row.cluster_id,
    category: row.category,
    confidence: row.confidence,
    source: row.source,
    test: { id: row.test_id, suite: row.suite, name: row.name, file: row.file },
    ciRunId: row.ci_run_id,
  };
}
