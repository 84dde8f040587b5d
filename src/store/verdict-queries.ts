import { sql, type Kysely, type RawBuilder } from "kysely";
import type { TestStatus } from "../domain/test-status.js";
import type { FailureRecord, TestVerdicts, VerdictQuery } from "./ports.js";
import type { Database } from "./schema.js";

/** Tests per history query: keeps each query's `in (...)` list far under both dialects' bind-parameter limits. */
const TESTS_PER_QUERY = 500;

/** One execution as the history queries read it. */
interface ExecutionRow {
  test_id: string;
  suite: string;
  name: string;
  file: string | null;
  commit_sha: string | null;
  at: string;
  failing: number | string;
  status: TestStatus;
}

/**
 * Every test's executions (one per test and report), oldest first: outcome, commit and time.
 * An execution whose last attempt passed after a failed one is `flaky`. With `testId` or
 * `testIds`, only those tests' executions are read, by index, from `test_executions`: the cost
 * grows with their history, not with everyone's.
 */
export async function listVerdicts(db: Kysely<Database>, query: VerdictQuery): Promise<TestVerdicts[]> {
  const scope = [
    query.project === undefined ? undefined : sql`p.key = ${query.project}`,
    query.branch === undefined ? undefined : sql`ru.branch = ${query.branch}`,
    query.job === undefined ? undefined : sql`ru.job = ${query.job}`,
  ].filter((filter) => filter !== undefined);
  const { testId, testIds } = query;
  if (testIds === undefined && testId === undefined) return toTestVerdicts(await allExecutions(db, scope));
  const asked = testIds ?? [testId];
  const ids = [...new Set(asked)].filter(
    (id): id is string => id !== undefined && (testId === undefined || id === testId),
  );
  const histories: TestVerdicts[] = [];
  // Each test's history is whole within one query, so the chunks' histories simply add up.
  for (let i = 0; i < ids.length; i += TESTS_PER_QUERY)
    histories.push(...toTestVerdicts(await executionsOfTests(db, scope, ids.slice(i, i + TESTS_PER_QUERY))));
  return histories.sort((a, b) => (a.test.id < b.test.id ? -1 : a.test.id > b.test.id ? 1 : 0));
}

/** Every execution in scope, grouped from `results`: one pass over the whole history. */
async function allExecutions(db: Kysely<Database>, scope: RawBuilder<unknown>[]): Promise<ExecutionRow[]> {
  const where = scope.length === 0 ? sql`` : sql`where ${sql.join(scope, sql` and `)}`;
  const rows = await sql<ExecutionRow>`
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
  return rows.rows;
}

/**
 * The executions in scope of a few tests: for every report in scope, one primary-key probe
 * of `test_executions` per test, so the cost is (reports in scope) × (tests asked for). The
 * tests' names are read once per test, not once per execution.
 */
async function executionsOfTests(
  db: Kysely<Database>,
  scope: RawBuilder<unknown>[],
  testIds: readonly string[],
): Promise<ExecutionRow[]> {
  if (testIds.length === 0) return [];
  const where = sql.join([...scope, sql`e.test_id in (${sql.join(testIds)})`], sql` and `);
  const executions = await sql<Omit<ExecutionRow, "suite" | "name" | "file">>`
    select e.test_id, ru.commit_sha, coalesce(ru.started_at, ru.created_at) as at, e.failing, e.status
    from runs ru
    join projects p on p.id = ru.project_id
    join reports rp on rp.run_id = ru.id
    join test_executions e on e.report_id = rp.id
    where ${where}
    order by e.test_id, at, e.report_id`.execute(db);
  const tests = new Map(
    (await db.selectFrom("tests").select(["id", "suite", "name", "file"]).where("id", "in", testIds).execute()).map(
      (test) => [test.id, test],
    ),
  );
  return executions.rows.flatMap((row) => {
    const test = tests.get(row.test_id);
    return test === undefined ? [] : [{ ...row, suite: test.suite, name: test.name, file: test.file }];
  });
}

/** Groups executions, ordered by test then time, into one history per test. */
function toTestVerdicts(rows: readonly ExecutionRow[]): TestVerdicts[] {
  const byTest = new Map<string, TestVerdicts>();
  for (const row of rows) {
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
