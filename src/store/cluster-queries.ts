import { sql, type Kysely } from "kysely";
import type {
  ClusterBrief,
  ClusterDetail,
  ClusterQuery,
  ClusterSummary,
  FailureQuery,
  FailureSummary,
} from "./ports.js";
import type { Database } from "./schema.js";

const num = (value: number | string | null): number => Number(value ?? 0);

/** Clusters, most failures first, with their first and last sightings. */
export async function listClusters(
  db: Kysely<Database>,
  query: ClusterQuery & { id?: number },
): Promise<ClusterSummary[]> {
  let q = db
    .selectFrom("clusters as c")
    .innerJoin("projects as p", "p.id", "c.project_id")
    .innerJoin("runs as fr", "fr.id", "c.first_seen_run_id")
    .innerJoin("runs as lr", "lr.id", "c.last_seen_run_id")
    .select([
      "c.id",
      "p.key as project",
      "c.title",
      "c.exception_type",
      "c.template",
      "c.frames",
      "c.category",
      "c.category_source",
      "c.confidence",
      "c.failures",
      "c.first_seen_run_id",
      "fr.ci_run_id as first_ci_run_id",
      "fr.commit_sha as first_commit",
      "c.first_seen_at",
      "c.last_seen_run_id",
      "lr.ci_run_id as last_ci_run_id",
      "lr.commit_sha as last_commit",
      "c.last_seen_at",
      sql<number>`(select count(distinct f.test_id) from failures f where f.cluster_id = c.id)`.as("tests"),
    ]);
  if (query.id !== undefined) q = q.where("c.id", "=", query.id);
  if (query.project !== undefined) q = q.where("p.key", "=", query.project);
  if (query.since !== undefined) q = q.where("c.last_seen_at", ">=", query.since);
  if (query.category !== undefined) q = q.where("c.category", "=", query.category);
  const rows = await q
    .orderBy("c.failures", "desc")
    .orderBy("c.id")
    .limit(query.limit ?? 1000)
    .execute();
  return rows.map((row) => ({
    id: num(row.id),
    project: row.project,
    title: row.title,
    exceptionType: row.exception_type,
    template: row.template,
    frames: JSON.parse(row.frames) as string[],
    category: row.category,
    categorySource: row.category_source,
    confidence: row.confidence,
    failures: num(row.failures),
    tests: num(row.tests),
    firstSeen: {
      runId: num(row.first_seen_run_id),
      ciRunId: row.first_ci_run_id,
      commitSha: row.first_commit,
      at: row.first_seen_at,
    },
    lastSeen: {
      runId: num(row.last_seen_run_id),
      ciRunId: row.last_ci_run_id,
      commitSha: row.last_commit,
      at: row.last_seen_at,
    },
  }));
}

/** Failures with their test and run, in failure order. */
export async function listFailures(
  db: Kysely<Database>,
  query: FailureQuery & { newestFirst?: boolean },
): Promise<FailureSummary[]> {
  let q = db
    .selectFrom("failures as f")
    .innerJoin("runs as r", "r.id", "f.run_id")
    .innerJoin("projects as p", "p.id", "r.project_id")
    .innerJoin("tests as t", "t.id", "f.test_id")
    .innerJoin("results as res", "res.id", "f.result_id")
    .select([
      "f.id",
      "f.run_id",
      "r.ci_run_id",
      "r.attempt",
      "t.id as test_id",
      "t.suite",
      "t.name",
      "t.file",
      "res.attempt as test_attempt",
      "f.type",
      "f.message",
      "f.cluster_id",
      "f.category",
      "f.confidence",
      "f.source",
    ]);
  if (query.project !== undefined) q = q.where("p.key", "=", query.project);
  if (query.runId !== undefined) q = q.where("f.run_id", "=", query.runId);
  if (query.clusterId !== undefined) q = q.where("f.cluster_id", "=", query.clusterId);
  const rows = await q
    .orderBy("f.id", query.newestFirst === true ? "desc" : "asc")
    .limit(query.limit ?? 100_000)
    .execute();
  return rows.map((row) => ({
    id: num(row.id),
    runId: num(row.run_id),
    ciRunId: row.ci_run_id,
    attempt: num(row.attempt),
    test: { id: row.test_id, suite: row.suite, name: row.name, file: row.file },
    testAttempt: num(row.test_attempt),
    type: row.type,
    message: row.message,
    clusterId: row.cluster_id === null ? null : num(row.cluster_id),
    category: row.category,
    confidence: row.confidence,
    source: row.source,
  }));
}

/** One cluster with its five newest failures. */
export async function clusterById(db: Kysely<Database>, id: number): Promise<ClusterDetail | undefined> {
  const [cluster] = await listClusters(db, { id });
  if (cluster === undefined) return undefined;
  return { ...cluster, samples: await listFailures(db, { clusterId: id, limit: 5, newestFirst: true }) };
}

/** Clusters per query: keeps each query's `in (...)` list far under both dialects' bind-parameter limits. */
const CLUSTERS_PER_QUERY = 500;

/** Clusters by id, in one query per 500 ids, from the cluster rows alone (no count over their failures). */
export async function clustersByIds(db: Kysely<Database>, ids: readonly number[]): Promise<ClusterBrief[]> {
  const unique = [...new Set(ids)];
  const briefs: ClusterBrief[] = [];
  for (let i = 0; i < unique.length; i += CLUSTERS_PER_QUERY) {
    const rows = await db
      .selectFrom("clusters")
      .select([
        "id",
        "title",
        "category",
        "category_source",
        "confidence",
        "failures",
        "first_seen_run_id",
        "last_seen_run_id",
      ])
      .where("id", "in", unique.slice(i, i + CLUSTERS_PER_QUERY))
      .execute();
    for (const row of rows)
      briefs.push({
        id: num(row.id),
        title: row.title,
        category: row.category,
        categorySource: row.category_source,
        confidence: row.confidence,
        failures: num(row.failures),
        firstSeenRunId: num(row.first_seen_run_id),
        lastSeenRunId: num(row.last_seen_run_id),
      });
  }
  return briefs.sort((a, b) => a.id - b.id);
}
