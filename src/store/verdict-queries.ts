import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Verdict } from "../analysis/flakiness.js";
import type { TestStatus } from "../domain/test-status.js";
import type { FailureRecord, TestVerdicts, VerdictQuery } from "./ports.js";
import type { Database } from "./schema.js";

/** Tests per history query: keeps each query's `in (...)` list far under both dialects' bind-parameter limits. */
const TESTS_PER_QUERY = 500;

/** One execution as the history queries read it. */
interface ExecutionRow {
  test_id: string;
  report_id: number;
  commit_sha: string | null;
  at: string;
  failing: number | string;
  status: TestStatus;
}

type TestOfVerdicts = TestVerdicts["test"];

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
  if (testIds === undefined && testId === undefined)
    return groupByTest(await allExecutions(db, scope), await environmentalFailures(db));
  const asked = testIds ?? [testId];
  const ids = [...new Set(asked)].filter(
    (id): id is string => id !== undefined && (testId === undefined || id === testId),
  );
  const histories: TestVerdicts[] = [];
  // Each test's history is whole within one query, so the chunks' histories simply add up.
  for (let i = 0; i < ids.length; i += TESTS_PER_QUERY) {
    const tests = await db
      .selectFrom("tests")
      .select(["id", "suite", "name", "file"])
      .where("id", "in", ids.slice(i, i + TESTS_PER_QUERY))
      .execute();
    const byTest = new Map(tests.map((test) => [test.id, { test, verdicts: [] as Verdict[] }]));
    const environmental = await environmentalFailures(db, [...byTest.keys()]);
    for (const row of await executionsOfTests(db, scope, [...byTest.keys()]))
      byTest.get(row.test_id)?.verdicts.push(verdictOf(row, environmental));
    // A test with no execution in scope has no history there, as when every result is read.
    histories.push(...[...byTest.values()].filter((history) => history.verdicts.length > 0));
  }
  // Test ids are unique: the order is total.
  return histories.sort((a, b) => (a.test.id < b.test.id ? -1 : 1));
}

/** Every execution in scope, grouped from `results`: one pass over the whole history. */
async function allExecutions(
  db: Kysely<Database>,
  scope: RawBuilder<unknown>[],
): Promise<(ExecutionRow & Omit<TestOfVerdicts, "id">)[]> {
  const where = scope.length === 0 ? sql`` : sql`where ${sql.join(scope, sql` and `)}`;
  const rows = await sql<ExecutionRow & Omit<TestOfVerdicts, "id">>`
    select g.test_id, g.report_id, t.suite, t.name, t.file, ru.commit_sha, coalesce(ru.started_at, ru.created_at) as at,
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
 * of `test_executions` per test, so the cost is (reports in scope) × (tests asked for).
 */
async function executionsOfTests(
  db: Kysely<Database>,
  scope: RawBuilder<unknown>[],
  testIds: readonly string[],
): Promise<ExecutionRow[]> {
  if (testIds.length === 0) return [];
  const where = sql.join([...scope, sql`e.test_id in (${sql.join(testIds)})`], sql` and `);
  const rows = await sql<ExecutionRow>`
    select e.test_id, e.report_id, ru.commit_sha, coalesce(ru.started_at, ru.created_at) as at, e.failing, e.status
    from runs ru
    join projects p on p.id = ru.project_id
    join reports rp on rp.run_id = ru.id
    join test_executions e on e.report_id = rp.id
    where ${where}
    order by e.test_id, at, e.report_id`.execute(db);
  return rows.rows;
}

/** Failures the environment caused (their category is infrastructure or environment), by report and test. */
type EnvironmentalFailures = ReadonlyMap<string, number>;

const executionKey = (reportId: number, testId: string): string => `${reportId}\u0000${testId}`;

/**
 * How many of each execution's failed attempts the environment caused, for the given tests (or
 * all): read from `failures`, which is indexed by test and far smaller than `results`.
 */
async function environmentalFailures(
  db: Kysely<Database>,
  testIds?: readonly string[],
): Promise<EnvironmentalFailures> {
  if (testIds !== undefined && testIds.length === 0) return new Map();
  const rows = await sql<{ report_id: number; test_id: string; n: number }>`
    select r.report_id, f.test_id, count(*) as n
    from failures f join results r on r.id = f.result_id
    where f.category in ('infrastructure', 'environment')
      ${testIds === undefined ? sql`` : sql`and f.test_id in (${sql.join(testIds)})`}
    group by r.report_id, f.test_id`.execute(db);
  return new Map(rows.rows.map((row) => [executionKey(row.report_id, row.test_id), row.n]));
}

/**
 * How an execution ended: a pass after a failed or errored attempt is `flaky`; an execution
 * whose every failed attempt the environment caused (an outage, a broken runner) is
 * `infrastructure`, or `passed` when a retry passed: it says nothing about the test.
 */
function verdictOf(row: ExecutionRow, environmental: EnvironmentalFailures): Verdict {
  const failing = Number(row.failing);
  const excused = failing > 0 && (environmental.get(executionKey(row.report_id, row.test_id)) ?? 0) >= failing;
  const outcome =
    row.status === "skipped"
      ? "skipped"
      : row.status === "passed"
        ? failing > 0 && !excused
          ? "flaky"
          : "passed"
        : excused
          ? "infrastructure"
          : "failed";
  return { outcome, commitSha: row.commit_sha, at: row.at };
}

/** Groups executions with their tests, ordered by test then time, into one history per test. */
function groupByTest(
  rows: readonly (ExecutionRow & Omit<TestOfVerdicts, "id">)[],
  environmental: EnvironmentalFailures,
): TestVerdicts[] {
  const byTest = new Map<string, { test: TestOfVerdicts; verdicts: Verdict[] }>();
  for (const row of rows) {
    let entry = byTest.get(row.test_id);
    if (entry === undefined) {
      entry = { test: { id: row.test_id, suite: row.suite, name: row.name, file: row.file }, verdicts: [] };
      byTest.set(row.test_id, entry);
    }
    entry.verdicts.push(verdictOf(row, environmental));
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
