import { sql, type Kysely, type Transaction } from "kysely";
import { classifyFailure } from "../analysis/failure-categories.js";
import {
  clusterTitle,
  nearestCluster,
  siteOf,
  widenTemplate,
  type KnownCluster,
} from "../analysis/failure-clusters.js";
import { failureSignature } from "../analysis/failure-signature.js";
import type { Database } from "./schema.js";

type Db = Kysely<Database> | Transaction<Database>;

/** Failures read and assigned at a time. */
const BATCH = 500;
/** Code sites, and clusters with pending counts, held in memory before they are written and dropped. */
const MAX_CACHED = 10_000;

/** What {@link assignClusters} did. */
export interface ClusterAssignment {
  /** Failures given a cluster. */
  readonly assigned: number;
  /** Clusters made for root causes not seen before. */
  readonly created: number;
}

/** The learned columns of one failure. */
interface FailureUpdate {
  readonly id: number;
  readonly fingerprint: string;
  readonly template: string;
  readonly clusterId: number;
  readonly category: string | null;
  readonly confidence: number | null;
  readonly source: string | null;
}

/**
 * Writes a batch of failures' learned columns in one `WITH v AS (VALUES ...) UPDATE ... FROM v`, which
 * both dialects run; a statement per failure cost more than the clustering itself. The casts
 * type PostgreSQL's parameters, which arrive untyped in a VALUES list.
 */
async function updateFailures(db: Db, updates: readonly FailureUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  const values = sql.join(
    updates.map(
      (u) =>
        sql`(${u.id}, ${u.fingerprint}, ${u.template}, ${u.clusterId}, ${u.category}, ${u.confidence}, ${u.source})`,
    ),
  );
  await sql`
    with v(id, fingerprint, template, cluster_id, category, confidence, source) as (values ${values})
    update failures set
      fingerprint = v.fingerprint, template = v.template, cluster_id = cast(v.cluster_id as bigint),
      category = v.category, confidence = cast(v.confidence as double precision), source = v.source
    from v
    where failures.id = cast(v.id as bigint)`.execute(db);
}

/** Failures joining a cluster a person labelled take the person's category, not a rule's. */
async function withHumanCategories(db: Db, updates: readonly FailureUpdate[]): Promise<FailureUpdate[]> {
  const ids = [...new Set(updates.map((u) => u.clusterId))];
  if (ids.length === 0) return [...updates];
  const labelled = new Map(
    (
      await db
        .selectFrom("clusters")
        .select(["id", "category"])
        .where("id", "in", ids)
        .where("category_source", "=", "human")
        .execute()
    ).map((c) => [c.id, c.category]),
  );
  return updates.map((u) => {
    const category = labelled.get(u.clusterId);
    return category === undefined ? u : { ...u, category, confidence: 1, source: "human" };
  });
}

interface SiteClusters {
  readonly clusters: (KnownCluster & { template: string[]; failures: number })[];
}

/**
 * Gives every failure of a project that has no cluster yet its cluster and category, in
 * failure order: the cluster of its fingerprint when that is known, else the nearest cluster
 * of its code site, else a new cluster. Incremental at ingest (the failures of one run), and
 * the whole history for `kaizen recluster`.
 */
export async function assignClusters(
  db: Db,
  projectId: number,
  runId?: number,
  maxCached = MAX_CACHED,
): Promise<ClusterAssignment> {
  const sites = new Map<string, SiteClusters>();
  /** Clusters this assignment created, by run, exception type and message template. */
  const bornTogether = new Map<string, number>();
  const touched: Touched = new Map();
  let assigned = 0;
  let created = 0;
  let after = 0;
  for (;;) {
    let query = db
      .selectFrom("failures")
      .innerJoin("runs", "runs.id", "failures.run_id")
      .select([
        "failures.id",
        "failures.run_id",
        "failures.type",
        "failures.message",
        "failures.stack",
        "runs.started_at",
        "runs.created_at",
        "failures.passed_on_retry",
      ])
      .where("runs.project_id", "=", projectId)
      .where("failures.cluster_id", "is", null)
      .where("failures.id", ">", after)
      .orderBy("failures.id")
      .limit(BATCH);
    if (runId !== undefined) query = query.where("failures.run_id", "=", runId);
    const rows = await query.execute();
    if (rows.length === 0) break;
    after = rows[rows.length - 1]?.id ?? after;
    const signatures = rows.map((row) => failureSignature(row));
    // Once per failure: a site is a hash, and each failure's site is needed up to three times.
    const sitesOf = signatures.map(siteOf);
    const fingerprints = [...new Set(signatures.flatMap((s) => [s.fingerprint, ...s.aliases]))];
    const known = new Map(
      (
        await db
          .selectFrom("cluster_keys")
          .select(["fingerprint", "cluster_id"])
          .where("project_id", "=", projectId)
          .where("fingerprint", "in", fingerprints)
          .execute()
      ).map((row) => [row.fingerprint, row.cluster_id]),
    );
    // The clusters of every code site this batch meets for the first time, in one read.
    const knownAs = (sig: (typeof signatures)[number]): number | undefined =>
      [sig.fingerprint, ...sig.aliases].map((f) => known.get(f)).find((id) => id !== undefined);
    const unseenSites = [
      ...new Set(
        sitesOf.filter(
          (site, i) => knownAs(signatures[i] as (typeof signatures)[number]) === undefined && !sites.has(site),
        ),
      ),
    ];
    for (const site of unseenSites) sites.set(site, { clusters: [] });
    if (unseenSites.length > 0) {
      const stored = await db
        .selectFrom("clusters")
        .select(["id", "site", "template", "failures"])
        .where("project_id", "=", projectId)
        .where("site", "in", unseenSites)
        .execute();
      for (const c of stored)
        sites.get(c.site)?.clusters.push({ id: c.id, template: c.template.split(" "), failures: c.failures });
    }
    const newKeys: { project_id: number; fingerprint: string; cluster_id: number }[] = [];
    const updates: FailureUpdate[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as (typeof rows)[number];
      const signature = signatures[i] as (typeof signatures)[number];
      const site = sitesOf[i] as string;
      const seenAt = row.started_at ?? row.created_at;
      const template = signature.messageTemplate.split(" ");
      let clusterId = knownAs(signature);
      if (clusterId === undefined) {
        const siteClusters = sites.get(site) ?? { clusters: [] };
        sites.set(site, siteClusters);
        const nearest = nearestCluster(template, siteClusters.clusters);
        // Failures that fail alike for the first time in one run, in different tests, and not
        // on a retry, are one new cause: a regression breaks every test that calls the code it broke.
        const together = `${row.run_id}\u0000${signature.exceptionType ?? ""}\u0000${signature.messageTemplate}`;
        const deterministic = signature.scope === "code" && row.passed_on_retry === 0;
        const sibling = nearest === undefined && deterministic ? bornTogether.get(together) : undefined;
        if (sibling !== undefined) clusterId = sibling;
        else if (nearest === undefined) {
          const category = classifyFailure(signature, row, { passedOnRetry: row.passed_on_retry > 0 });
          const inserted = await db
            .insertInto("clusters")
            .values({
              project_id: projectId,
              site,
              exception_type: signature.exceptionType,
              template: signature.messageTemplate,
              frames: JSON.stringify(signature.frames),
              title: clusterTitle(signature),
              category: category?.category ?? null,
              category_source: category === undefined ? null : "rule",
              confidence: category?.confidence ?? null,
              failures: 0,
              first_seen_run_id: row.run_id,
              first_seen_at: seenAt,
              last_seen_run_id: row.run_id,
              last_seen_at: seenAt,
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          clusterId = inserted.id;
          siteClusters.clusters.push({ id: clusterId, template: [...template], failures: 0 });
          if (deterministic) bornTogether.set(together, clusterId);
          created++;
        } else {
          clusterId = nearest.id;
          const entry = siteClusters.clusters.find((c) => c.id === nearest.id);
          if (entry !== undefined) entry.template = widenTemplate(entry.template, template);
        }
        for (const fingerprint of [signature.fingerprint, ...signature.aliases]) {
          newKeys.push({ project_id: projectId, fingerprint, cluster_id: clusterId });
          known.set(fingerprint, clusterId);
        }
      } else
        for (const fingerprint of [signature.fingerprint, ...signature.aliases])
          if (!known.has(fingerprint)) {
            // A host name met beside a known address (or the other way round) becomes a key of its cluster too.
            newKeys.push({ project_id: projectId, fingerprint, cluster_id: clusterId });
            known.set(fingerprint, clusterId);
          }
      const siteCluster = sites.get(site)?.clusters.find((c) => c.id === clusterId);
      const stats = touched.get(clusterId) ?? { failures: 0, lastRunId: row.run_id, lastSeenAt: seenAt, template };
      stats.failures++;
      if (row.run_id >= stats.lastRunId) {
        stats.lastRunId = row.run_id;
        stats.lastSeenAt = seenAt;
      }
      if (siteCluster !== undefined) stats.template = siteCluster.template;
      touched.set(clusterId, stats);
      const category = classifyFailure(signature, row, { passedOnRetry: row.passed_on_retry > 0 });
      updates.push({
        id: row.id,
        fingerprint: signature.fingerprint,
        template: signature.messageTemplate,
        clusterId,
        category: category?.category ?? null,
        confidence: category?.confidence ?? null,
        source: category === undefined ? null : `rule:${category.rule}`,
      });
      assigned++;
    }
    if (newKeys.length > 0)
      await db
        .insertInto("cluster_keys")
        .values(newKeys)
        .onConflict((oc) => oc.columns(["project_id", "fingerprint"]).doNothing())
        .execute();
    await updateFailures(db, await withHumanCategories(db, updates));
    // Bounded memory on any history: write what the clusters gained, then forget the sites (they reload on demand).
    if (sites.size > maxCached || touched.size > maxCached) {
      await flushTouched(db, touched);
      sites.clear();
    }
  }
  await flushTouched(db, touched);
  return { assigned, created };
}

type Touched = Map<number, { failures: number; lastRunId: number; lastSeenAt: string; template: string[] }>;

/** Adds what clusters gained in this assignment to their rows, and empties `touched`. */
async function flushTouched(db: Db, touched: Touched): Promise<void> {
  for (const [id, stats] of touched) {
    await db
      .updateTable("clusters")
      .set((eb) => ({
        failures: eb("failures", "+", stats.failures),
        template: stats.template.join(" "),
      }))
      .where("id", "=", id)
      .execute();
    await db
      .updateTable("clusters")
      .set({ last_seen_run_id: stats.lastRunId, last_seen_at: stats.lastSeenAt })
      .where("id", "=", id)
      .where("last_seen_run_id", "<=", stats.lastRunId)
      .execute();
  }
  touched.clear();
}
