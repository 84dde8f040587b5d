import { sql, type Kysely } from "kysely";
import type { TestStatus } from "../domain/test-status.js";
import type { TestVerdicts, VerdictQuery } from "./ports.js";
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
