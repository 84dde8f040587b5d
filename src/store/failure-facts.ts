import { sql, type Kysely, type Transaction } from "kysely";
import type { FailureFacts } from "../analysis/category-features.js";
import type { Database } from "./schema.js";
import { resultsOfRun } from "./run-results.js";

type Db = Kysely<Database> | Transaction<Database>;

/** Values bound in one `IN (...)` list: well below both dialects' parameter limits. */
const CHUNK = 500;

/** A stored failure with what the model needs to know of it. */
export interface FailureWithFacts {
  readonly failureId: number;
  readonly runId: number;
  readonly clusterId: number | null;
  readonly category: string | null;
  readonly source: string | null;
  readonly facts: FailureFacts;
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** Tests among `testIds` that passed in some run of the project on `commit`. */
async function passedOnCommit(
  db: Db,
  projectId: number,
  commit: string,
  testIds: readonly string[],
): Promise<Set<string>> {
  const passed = new Set<string>();
  for (const ids of chunks(testIds)) {
    const rows = await db
      .selectFrom("results as r")
      .innerJoin("runs as ru", "ru.id", "r.run_id")
      .select("r.test_id")
      .distinct()
      .where("ru.project_id", "=", projectId)
      .where("ru.commit_sha", "=", commit)
      .where("r.status", "=", "passed")
      .where("r.test_id", "in", ids)
      .execute();
    for (const row of rows) passed.add(row.test_id);
  }
  return passed;
}

/** Per cluster: the run it was first seen in, and the distinct commits it failed on. */
async function clusterHistory(
  db: Db,
  clusterIds: readonly number[],
): Promise<Map<number, { firstRunId: number; commits: number }>> {
  const history = new Map<number, { firstRunId: number; commits: number }>();
  for (const ids of chunks(clusterIds)) {
    const rows = await db
      .selectFrom("clusters as c")
      .select([
        "c.id",
        "c.first_seen_run_id",
        (eb) =>
          eb
            .selectFrom("failures as f")
            .innerJoin("runs as ru", "ru.id", "f.run_id")
            .select(sql<number>`count(distinct ru.commit_sha)`.as("n"))
            .whereRef("f.cluster_id", "=", "c.id")
            .as("commits"),
      ])
      .where("c.id", "in", ids)
      .execute();
    for (const row of rows) history.set(row.id, { firstRunId: row.first_seen_run_id, commits: row.commits ?? 0 });
  }
  return history;
}

/**
 * The failures of one run with the facts the category model weighs: retries, passes of the
 * same test on the same commit, how many tests of the run failed with the same cause, the
 * run's failing share, and whether the cause is new or recurs across commits. `only` restricts
 * which failures are returned; the run's other failures still count towards its figures.
 */
export async function runFailureFacts(db: Db, runId: number, only?: ReadonlySet<number>): Promise<FailureWithFacts[]> {
  const run = await db
    .selectFrom("runs")
    .select(["project_id", "commit_sha"])
    .where("id", "=", runId)
    .executeTakeFirst();
  if (run === undefined) return [];
  const failures = await db
    .selectFrom("failures")
    .select(["id", "test_id", "type", "message", "stack", "passed_on_retry", "cluster_id", "category", "source"])
    .where("run_id", "=", runId)
    .orderBy("id")
    .execute();
  if (failures.length === 0) return [];
  const wanted = only === undefined ? failures : failures.filter((f) => only.has(f.id));
  const tests = (
    await sql<{ n: number }>`select count(distinct test_id) as n from ${resultsOfRun(runId)} results`.execute(db)
  ).rows[0];
  const failingTests = new Set(failures.map((f) => f.test_id));
  const share = failingTests.size / Math.max(1, tests?.n ?? 0);
  const alike = new Map<number, Set<string>>();
  for (const f of failures) {
    if (f.cluster_id === null) continue;
    const set = alike.get(f.cluster_id) ?? new Set<string>();
    set.add(f.test_id);
    alike.set(f.cluster_id, set);
  }
  const passed =
    run.commit_sha === null
      ? new Set<string>()
      : await passedOnCommit(db, run.project_id, run.commit_sha, [...new Set(wanted.map((f) => f.test_id))]);
  const clusters = await clusterHistory(db, [
    ...new Set(wanted.flatMap((f) => (f.cluster_id === null ? [] : [f.cluster_id]))),
  ]);
  return wanted.map((f) => {
    const cluster = f.cluster_id === null ? undefined : clusters.get(f.cluster_id);
    return {
      failureId: f.id,
      runId,
      clusterId: f.cluster_id,
      category: f.category,
      source: f.source,
      facts: {
        text: { type: f.type, message: f.message, stack: f.stack },
        passedOnRetry: f.passed_on_retry === 1,
        passedOnSameCommit: passed.has(f.test_id),
        testsWithCluster: f.cluster_id === null ? 1 : (alike.get(f.cluster_id)?.size ?? 1),
        runFailingShare: share,
        clusterNew: cluster?.firstRunId === runId,
        clusterCommits: cluster?.commits ?? 0,
      },
    };
  });
}
