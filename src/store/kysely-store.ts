import type { Readable } from "node:stream";
import type BetterSqlite3 from "better-sqlite3";
import { type Kysely, Migrator, type RawBuilder, sql, type Transaction } from "kysely";
import { KaizenError, isKaizenError } from "../domain/errors.js";
import type { TestOutcome } from "../domain/test-result.js";
import type { TestStatus } from "../domain/test-status.js";
import { emptySummary } from "../ingest/normalize.js";
import { startWalCheckpoints, type WalCheckpoints } from "./wal-checkpoints.js";
import { storeArtifact } from "./artifact-writer.js";
import { assignClusters, type ClusterAssignment } from "./cluster-assigner.js";
import { clusterById, clustersByIds, listClusters, listFailures } from "./cluster-queries.js";
import { applyLabel, reapplyLabels } from "./label-writer.js";
import { learnFromRuns, shouldRetrain, trainProject, type TrainedVersion } from "./category-learning.js";
import { applyModel } from "./model-categories.js";
import { runFailureFacts } from "./failure-facts.js";
import { predictCategory, type CategoryPrediction } from "../analysis/category-model.js";
import type { FailureFacts } from "../analysis/category-features.js";
import { listModelVersions, promotedModel, type ModelVersion } from "./model-versions.js";
import { failureById, findTests, listVerdicts } from "./verdict-queries.js";
import { alongside } from "./alongside.js";
import type { DialectName } from "./dialect-name.js";
import { migrationProvider } from "./migrations/index.js";
import type {
  ClusterBrief,
  ClusterDetail,
  ClusterQuery,
  ClusterReader,
  ClusterSummary,
  FailureQuery,
  FailureSummary,
  ReportContent,
  ReportHeader,
  RunKey,
  RunQuery,
  RunReader,
  RunSummary,
  RunWriter,
  StoredReport,
  TestQuery,
  TestReader,
  TestSummary,
  FailureRecord,
  TestVerdicts,
  VerdictQuery,
  VerdictReader,
} from "./ports.js";
import { PostgresRowWriter } from "./postgres-row-writer.js";
import { ResultBatcher } from "./result-batcher.js";
import { SqliteRowWriter } from "./sqlite-row-writer.js";
import type { KnownTestsSource } from "./known-tests.js";
import type { Database } from "./schema.js";

/** The result of applying one migration. */
export interface MigrationOutcome {
  readonly name: string;
  readonly status: "Success" | "Error" | "NotExecuted";
}

type Db = Kysely<Database> | Transaction<Database>;

/** Driver error codes that mean the database cannot be used now (gone, locked, read-only, full), not that a query was wrong. */
const UNAVAILABLE_CODES =
  /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EPIPE|ETIMEDOUT|EHOSTUNREACH|57P0[1-3]|08\d{3}|53\d{3}|SQLITE_(BUSY|LOCKED|CANTOPEN|READONLY|IOERR|FULL|CORRUPT|NOTADB))/;

/**
 * Classifies an error raised while using the database. Only the drivers' own errors become
 * store errors; anything else (a parser's error surfacing inside the transaction, a bug) is
 * passed on unchanged, so that it is reported as what it is.
 */
function storeFailure(error: unknown, what: string): Error {
  if (isKaizenError(error)) return error;
  if (!(error instanceof Error)) return new Error(String(error));
  const code = (error as { code?: unknown }).code;
  const message = error.message;
  const unavailable =
    (typeof code === "string" && UNAVAILABLE_CODES.test(code)) ||
    /^Connection terminated|connection timeout/i.test(message);
  const driverError = typeof code === "string" && (/^SQLITE_/.test(code) || /^[0-9A-Z]{5}$/.test(code));
  if (!unavailable && !driverError) return error;
  return new KaizenError(unavailable ? "STORE_UNAVAILABLE" : "STORE_ERROR", `${what}: ${message}`, {
    cause: error,
    httpStatus: unavailable ? 503 : 500,
  });
}

/** What decided a failure's category beyond the rules (see {@link KyselyStore.categoryDecision}). */
export interface CategoryDecision {
  /** The newest label a person gave the failure's cluster. */
  readonly label: { readonly category: string; readonly note: string | null; readonly at: string } | null;
  /** The model version that decided (or would decide) the failure, and what it predicts. */
  readonly model: { readonly version: number; readonly prediction: CategoryPrediction } | null;
  /** The history facts the model weighs. */
  readonly facts: FailureFacts | null;
}

/**
 * The history store over Kysely, on SQLite or PostgreSQL with the same queries and
 * migrations. Implements the narrow ports ({@link RunWriter}, {@link RunReader},
 * {@link TestReader}); callers depend on the port they need, not on this class.
 */
export class KyselyStore implements RunWriter, RunReader, TestReader, ClusterReader, VerdictReader {
  constructor(
    /** The Kysely instance (owned: {@link KyselyStore.close} destroys it). */
    readonly db: Kysely<Database>,
    /** Which SQL dialect it speaks. */
    readonly dialect: DialectName,
    /** The raw SQLite connection under `db`, for the fast bulk-insert path; absent on PostgreSQL. */
    private readonly sqlite?: BetterSqlite3.Database,
  ) {}

  /** The thread that checkpoints the SQLite file's log, started by the first large write. */
  private checkpoints: WalCheckpoints | undefined;

  /**
   * Before a write that logs many pages: from now on a thread of its own checkpoints the log
   * (see {@link WalCheckpoints}), where it can, asked to by the write once it is committed.
   */
  private checkpointLater(): void {
    if (this.checkpoints === undefined && this.sqlite !== undefined)
      this.checkpoints = startWalCheckpoints(this.sqlite);
  }

  /** Applies every pending migration; a failed migration is a `STORE_ERROR`. */
  async migrate(): Promise<MigrationOutcome[]> {
    const migrator = new Migrator({
      db: this.db,
      provider: migrationProvider(this.dialect),
      migrationTableName: "kaizen_migrations",
      migrationLockTableName: "kaizen_migrations_lock",
    });
    let outcome;
    try {
      outcome = await migrator.migrateToLatest();
    } catch (error) {
      throw storeFailure(error, "migration failed");
    }
    if (outcome.error !== undefined) throw storeFailure(outcome.error, "migration failed");
    return (outcome.results ?? []).map((r) => ({ name: r.migrationName, status: r.status }));
  }

  /** Closes the connection or pool. */
  /** @inheritdoc */
  listClusters(query: ClusterQuery): Promise<ClusterSummary[]> {
    return this.reading("cannot read clusters", () => listClusters(this.db, query));
  }

  /** @inheritdoc */
  clusterById(id: number): Promise<ClusterDetail | undefined> {
    return this.reading("cannot read the cluster", () => clusterById(this.db, id));
  }

  /** @inheritdoc */
  clustersByIds(ids: readonly number[]): Promise<ClusterBrief[]> {
    return this.reading("cannot read clusters", () => clustersByIds(this.db, ids));
  }

  /** @inheritdoc */
  listFailures(query: FailureQuery): Promise<FailureSummary[]> {
    return this.reading("cannot read failures", () => listFailures(this.db, query));
  }

  /** @inheritdoc */
  listVerdicts(query: VerdictQuery): Promise<TestVerdicts[]> {
    return this.reading("cannot read test histories", () => listVerdicts(this.db, query));
  }

  /** @inheritdoc */
  findTests(ref: string, project?: string): Promise<TestVerdicts["test"][]> {
    return this.reading("cannot read tests", () => findTests(this.db, ref, project));
  }

  /** @inheritdoc */
  failureById(id: number): Promise<FailureRecord | undefined> {
    return this.reading("cannot read the failure", () => failureById(this.db, id));
  }

  /**
   * Rebuilds the clusters of a project (every project when none is given) from its failures,
   * in one transaction: what `kaizen recluster` runs after the clustering itself changed.
   */
  async recluster(project?: string): Promise<ClusterAssignment> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        let projects = trx.selectFrom("projects").select("id");
        if (project !== undefined) projects = projects.where("key", "=", project);
        const ids = (await projects.execute()).map((row) => row.id);
        let assigned = 0;
        let created = 0;
        for (const projectId of ids) {
          const runs = trx.selectFrom("runs").select("id").where("project_id", "=", projectId);
          await trx
            .updateTable("failures")
            .set({
              cluster_id: null,
              fingerprint: null,
              template: null,
              category: null,
              confidence: null,
              source: null,
            })
            .where("run_id", "in", runs)
            .execute();
          await trx.deleteFrom("cluster_keys").where("project_id", "=", projectId).execute();
          await trx.deleteFrom("clusters").where("project_id", "=", projectId).execute();
          const done = await assignClusters(trx, projectId);
          assigned += done.assigned;
          created += done.created;
        }
        // People's labels outlive the clusters: each goes to the new cluster of the failure it was given on.
        await reapplyLabels(trx);
        for (const projectId of ids) {
          const model = await promotedModel(trx, projectId);
          if (model === undefined) continue;
          const runs = await trx.selectFrom("runs").select("id").where("project_id", "=", projectId).execute();
          await applyModel(
            trx,
            model,
            runs.map((r) => r.id),
          );
        }
        return { assigned, created };
      });
    } catch (error) {
      throw storeFailure(error, "cannot recluster");
    }
  }

  /**
   * Records a person's category for a cluster (given by its id, or by one of its failures):
   * the cluster and its failures take it, and it overrides rules and models from now on.
   * `undefined` when there is no such cluster or failure.
   */
  async label(
    target: { readonly clusterId: number } | { readonly failureId: number },
    category: string,
    note: string | null,
  ): Promise<{ clusterId: number; failures: number } | undefined> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        let failureId: number | undefined;
        if ("failureId" in target) failureId = target.failureId;
        else {
          const newest = await trx
            .selectFrom("failures")
            .select((eb) => eb.fn.max("id").as("id"))
            .where("cluster_id", "=", target.clusterId)
            .executeTakeFirst();
          failureId = newest?.id ?? undefined;
        }
        if (failureId === undefined) return undefined;
        const applied = await applyLabel(trx, failureId, category);
        if (applied === undefined) return undefined;
        await trx
          .insertInto("labels")
          .values({ failure_id: failureId, category, note, created_at: new Date().toISOString() })
          .execute();
        return applied;
      });
    } catch (error) {
      throw storeFailure(error, "cannot store the label");
    }
  }

  /**
   * Trains a new version of the category model of a project (of every project with failures
   * when none is given), evaluates it, stores it, and promotes it when it evaluates well enough.
   */
  async train(project?: string): Promise<TrainedVersion[]> {
    try {
      let projects = this.db.selectFrom("projects").select(["id", "key"]).orderBy("key");
      if (project !== undefined) projects = projects.where("key", "=", project);
      const trained: TrainedVersion[] = [];
      for (const p of await projects.execute()) {
        const now = new Date().toISOString();
        trained.push(await this.db.transaction().execute((trx) => trainProject(trx, p.id, p.key, now)));
      }
      return trained;
    } catch (error) {
      throw storeFailure(error, "cannot train the category model");
    }
  }

  /**
   * What decided a failure's category beyond the rules: the person's label, or the model
   * version (the one named in its source, else the promoted one) with its prediction and the
   * history facts it weighed. `undefined` when there is no such failure.
   */
  async categoryDecision(failureId: number): Promise<CategoryDecision | undefined> {
    return this.reading("cannot explain the category", async () => {
      const row = await this.db
        .selectFrom("failures as f")
        .innerJoin("runs as r", "r.id", "f.run_id")
        .select(["f.run_id", "f.cluster_id", "f.source", "r.project_id"])
        .where("f.id", "=", failureId)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      const label =
        row.cluster_id === null
          ? undefined
          : await this.db
              .selectFrom("labels as l")
              .innerJoin("failures as f", "f.id", "l.failure_id")
              .select(["l.category", "l.note", "l.created_at"])
              .where("f.cluster_id", "=", row.cluster_id)
              .orderBy("l.id", "desc")
              .executeTakeFirst();
      const named = /^model:v(\d+)$/.exec(row.source ?? "");
      const model = await promotedModel(this.db, row.project_id, named === null ? undefined : Number(named[1]));
      const [facts] = await runFailureFacts(this.db, row.run_id, new Set([failureId]));
      return {
        label: label === undefined ? null : { category: label.category, note: label.note, at: label.created_at },
        model:
          model === undefined || facts === undefined
            ? null
            : { version: model.version, prediction: predictCategory(model.model, facts.facts) },
        facts: facts?.facts ?? null,
      };
    });
  }

  /** Every stored model version, newest first. */
  listModels(project?: string): Promise<ModelVersion[]> {
    return this.reading("cannot read model versions", () => listModelVersions(this.db, project));
  }

  /**
   * Learns from newly stored runs: the promoted model decides their failures' categories, and
   * each project's model is trained again when enough changed. Returns the versions trained.
   */
  async learnFromRuns(runIds: readonly number[]): Promise<TrainedVersion[]> {
    if (runIds.length === 0) return [];
    try {
      const runs = await this.db
        .selectFrom("runs")
        .innerJoin("projects", "projects.id", "runs.project_id")
        .select(["runs.id", "runs.project_id", "projects.key"])
        .where("runs.id", "in", [...runIds])
        .execute();
      const byProject = new Map<number, { key: string; runs: number[] }>();
      for (const r of runs) {
        const entry = byProject.get(r.project_id) ?? { key: r.key, runs: [] };
        entry.runs.push(r.id);
        byProject.set(r.project_id, entry);
      }
      const trained: TrainedVersion[] = [];
      for (const [projectId, { key, runs: ids }] of byProject) {
        const now = new Date().toISOString();
        const version = await this.db.transaction().execute((trx) => learnFromRuns(trx, projectId, key, ids, now));
        if (version !== undefined) trained.push(version);
      }
      return trained;
    } catch (error) {
      throw storeFailure(error, "cannot learn from the new runs");
    }
  }

  /** Trains the model of the project a cluster belongs to again, when its labels changed enough. */
  async learnFromLabel(clusterId: number): Promise<TrainedVersion | undefined> {
    try {
      const cluster = await this.db
        .selectFrom("clusters")
        .innerJoin("projects", "projects.id", "clusters.project_id")
        .select(["clusters.project_id", "projects.key"])
        .where("clusters.id", "=", clusterId)
        .executeTakeFirst();
      if (cluster === undefined) return undefined;
      const projectId = cluster.project_id;
      if (!(await shouldRetrain(this.db, projectId))) return undefined;
      const now = new Date().toISOString();
      return await this.db.transaction().execute((trx) => trainProject(trx, projectId, cluster.key, now));
    } catch (error) {
      throw storeFailure(error, "cannot retrain after the label");
    }
  }

  private async reading<T>(what: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      throw storeFailure(error, what);
    }
  }

  async close(): Promise<void> {
    // First: the last connection to close checkpoints what is left and removes the log.
    await this.checkpoints?.close();
    await this.db.destroy();
  }

  /** Where a parse thread may look up stored tests: the SQLite file, when there is one. */
  private knownTestsSource(): KnownTestsSource | undefined {
    return this.sqlite === undefined || this.sqlite.memory ? undefined : { sqlitePath: this.sqlite.name };
  }

  /** @inheritdoc */
  async writeReport(header: ReportHeader, content: ReportContent): Promise<StoredReport> {
    this.checkpointLater();
    try {
      const stored = await this.db.transaction().execute(async (trx): Promise<StoredReport> => {
        const projectId = await this.projectId(trx, header.run.project);
        // A run id Kaizen derived from report content names no CI run: the same report in any such
        // run is the same local ingest again, so it is found before a new run row is made for it.
        const derived = header.run.provider === "local" && header.run.ciRunId.startsWith("local-");
        const earlier = derived
          ? await this.storedReport(trx, { projectId, sha256: header.sha256, localRuns: true })
          : undefined;
        if (earlier !== undefined) return earlier;
        const runId = await this.upsertRun(trx, header.run, projectId);
        const existing = await this.storedReport(trx, { projectId, sha256: header.sha256, runId });
        if (existing !== undefined) return existing;
        const now = new Date().toISOString();
        const report = await trx
          .insertInto("reports")
          .values({
            run_id: runId,
            sha256: header.sha256,
            format: header.format,
            path: header.path,
            size: header.size,
            tool: null,
            tool_version: null,
            started_at: null,
            duration_ms: null,
            ...emptySummary(),
            created_at: now,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        const writer = this.sqlite !== undefined ? new SqliteRowWriter(this.sqlite) : new PostgresRowWriter(trx);
        const batcher = new ResultBatcher(writer, {
          projectId,
          runId,
          reportId: report.id,
          seenAt: now,
        });
        // The raw bytes are compressed (on libuv's pool) while the results are parsed and written.
        const { summary, info } = await alongside(
          (signal) => storeArtifact(trx, header.sha256, () => content.openRaw(), "application/octet-stream", signal),
          async () => {
            const outcome = await content.produce(batcher, { knownTests: this.knownTestsSource() });
            await batcher.finish();
            // In the same transaction: no failure is ever stored without its cluster and category.
            await assignClusters(trx, projectId, runId);
            return outcome;
          },
        );
        await trx
          .updateTable("reports")
          .set({
            ...summary,
            tool: info?.tool ?? null,
            tool_version: info?.toolVersion ?? null,
            started_at: info?.startedAt ?? null,
            duration_ms: info?.durationMs ?? null,
          })
          .where("id", "=", report.id)
          .execute();
        if (info?.startedAt !== undefined) {
          await trx
            .updateTable("runs")
            .set({ started_at: info.startedAt })
            .where("id", "=", runId)
            .where((eb) => eb.or([eb("started_at", "is", null), eb("started_at", ">", info.startedAt ?? "")]))
            .execute();
        }
        await trx
          .insertInto("run_artifacts")
          .values({ run_id: runId, sha256: header.sha256, kind: "report", name: header.path })
          .onConflict((oc) => oc.doNothing())
          .execute();
        return { runId, reportId: report.id, created: true, summary };
      });
      if (stored.created) this.checkpoints?.request();
      return stored;
    } catch (error) {
      throw storeFailure(error, `cannot store ${header.path}`);
    }
  }

  /** @inheritdoc */
  async attachLog(run: RunKey, name: string, sha256: string, open: () => Readable): Promise<{ runId: number }> {
    this.checkpointLater();
    try {
      const attached = await this.db.transaction().execute(async (trx) => {
        const runId = await this.upsertRun(trx, run, await this.projectId(trx, run.project));
        await storeArtifact(trx, sha256, open, "text/plain");
        await trx
          .insertInto("run_artifacts")
          .values({ run_id: runId, sha256, kind: "log", name })
          .onConflict((oc) => oc.doNothing())
          .execute();
        return { runId };
      });
      this.checkpoints?.request();
      return attached;
    } catch (error) {
      throw storeFailure(error, `cannot store the log ${name}`);
    }
  }

  /** A report already stored with these bytes: in one run, or in any run whose id Kaizen derived. */
  private async storedReport(
    db: Db,
    where: { projectId: number; sha256: string; runId?: number; localRuns?: boolean },
  ): Promise<StoredReport | undefined> {
    let query = db
      .selectFrom("reports")
      .innerJoin("runs", "runs.id", "reports.run_id")
      .select([
        "reports.id",
        "reports.run_id",
        "reports.tests",
        "reports.passed",
        "reports.failed",
        "reports.errors",
        "reports.skipped",
        "reports.flaky",
        "reports.attempts",
      ])
      .where("runs.project_id", "=", where.projectId)
      .where("reports.sha256", "=", where.sha256);
    if (where.runId !== undefined) query = query.where("reports.run_id", "=", where.runId);
    if (where.localRuns === true)
      query = query.where("runs.provider", "=", "local").where("runs.ci_run_id", "like", "local-%");
    const row = await query.orderBy("reports.id").limit(1).executeTakeFirst();
    if (row === undefined) return undefined;
    const { id, run_id, ...summary } = row;
    return { runId: run_id, reportId: id, created: false, summary };
  }

  private async projectId(db: Db, key: string): Promise<number> {
    // Read first: an upsert would lock the project row and serialize every ingest of the project on PostgreSQL.
    const found = await db.selectFrom("projects").select("id").where("key", "=", key).executeTakeFirst();
    if (found !== undefined) return found.id;
    await db
      .insertInto("projects")
      .values({ key, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.column("key").doNothing())
      .execute();
    const row = await db.selectFrom("projects").select("id").where("key", "=", key).executeTakeFirstOrThrow();
    return row.id;
  }

  private async upsertRun(db: Db, run: RunKey, projectId: number): Promise<number> {
    const row = await db
      .insertInto("runs")
      .values({
        project_id: projectId,
        ci_run_id: run.ciRunId,
        attempt: run.attempt,
        provider: run.provider,
        commit_sha: run.commitSha,
        branch: run.branch,
        pull_request: run.pullRequest,
        job: run.job,
        workflow: run.workflow,
        url: run.url,
        repository: run.repository,
        started_at: run.startedAt,
        finished_at: null,
        created_at: new Date().toISOString(),
      })
      .onConflict((oc) =>
        oc.columns(["project_id", "ci_run_id", "attempt"]).doUpdateSet((eb) => ({
          commit_sha: eb.fn.coalesce(eb.ref("runs.commit_sha"), eb.ref("excluded.commit_sha")),
          branch: eb.fn.coalesce(eb.ref("runs.branch"), eb.ref("excluded.branch")),
          pull_request: eb.fn.coalesce(eb.ref("runs.pull_request"), eb.ref("excluded.pull_request")),
          job: eb.fn.coalesce(eb.ref("runs.job"), eb.ref("excluded.job")),
          workflow: eb.fn.coalesce(eb.ref("runs.workflow"), eb.ref("excluded.workflow")),
          url: eb.fn.coalesce(eb.ref("runs.url"), eb.ref("excluded.url")),
        })),
      )
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** @inheritdoc */
  async listRuns(query: RunQuery): Promise<RunSummary[]> {
    try {
      let q = this.runsQuery();
      if (query.project !== undefined) q = q.where("projects.key", "=", query.project);
      if (query.branch !== undefined) q = q.where("runs.branch", "=", query.branch);
      const rows = await q
        .orderBy("runs.id", "desc")
        .limit(query.limit ?? 1000)
        .execute();
      return rows.map(toRunSummary);
    } catch (error) {
      throw storeFailure(error, "cannot list runs");
    }
  }

  /** @inheritdoc */
  async findRun(ref: string, project?: string): Promise<RunSummary | undefined> {
    try {
      let q = this.runsQuery().where("runs.ci_run_id", "=", ref);
      if (project !== undefined) q = q.where("projects.key", "=", project);
      const byCiId = await q.orderBy("runs.attempt", "desc").limit(1).executeTakeFirst();
      if (byCiId !== undefined) return toRunSummary(byCiId);
      if (!/^\d+$/.test(ref)) return undefined;
      let byId = this.runsQuery().where("runs.id", "=", Number(ref));
      if (project !== undefined) byId = byId.where("projects.key", "=", project);
      const row = await byId.executeTakeFirst();
      return row === undefined ? undefined : toRunSummary(row);
    } catch (error) {
      throw storeFailure(error, "cannot read runs");
    }
  }

  /** @inheritdoc */
  async runById(id: number): Promise<RunSummary | undefined> {
    try {
      const row = await this.runsQuery().where("runs.id", "=", id).executeTakeFirst();
      return row === undefined ? undefined : toRunSummary(row);
    } catch (error) {
      throw storeFailure(error, "cannot read runs");
    }
  }

  private runsQuery() {
    return this.db
      .selectFrom("runs")
      .innerJoin("projects", "projects.id", "runs.project_id")
      .leftJoin("reports", "reports.run_id", "runs.id")
      .select((eb) => [
        "runs.id",
        "projects.key as project",
        "runs.ci_run_id",
        "runs.attempt",
        "runs.provider",
        "runs.commit_sha",
        "runs.branch",
        "runs.pull_request",
        "runs.job",
        "runs.workflow",
        "runs.url",
        "runs.started_at",
        "runs.created_at",
        eb.fn.count<number>("reports.id").as("reports"),
        eb.fn.coalesce(eb.fn.sum<number>("reports.tests"), eb.val(0)).as("tests"),
        eb.fn.coalesce(eb.fn.sum<number>("reports.passed"), eb.val(0)).as("passed"),
        eb.fn.coalesce(eb.fn.sum<number>("reports.failed"), eb.val(0)).as("failed"),
        eb.fn.coalesce(eb.fn.sum<number>("reports.errors"), eb.val(0)).as("errors"),
        eb.fn.coalesce(eb.fn.sum<number>("reports.skipped"), eb.val(0)).as("skipped"),
        eb.fn.coalesce(eb.fn.sum<number>("reports.flaky"), eb.val(0)).as("flaky"),
      ])
      .groupBy(["runs.id", "projects.key"]);
  }

  /** @inheritdoc */
  async listTests(query: TestQuery): Promise<TestSummary[]> {
    try {
      // One row per test and report, from `test_executions`: its attempts, how many failed, and its
      // last attempt (the outcome there). Grouping the results themselves read every result of the
      // scope again, 0.6 s after each ingest of a million tests, for a summary of a few failing ones.
      const inRun = (reports: RawBuilder<unknown>): RawBuilder<unknown>[] =>
        query.runId === undefined ? [] : [sql`${reports}.run_id = ${query.runId}`];
      // Only a test that failed somewhere in scope can end failing: the others are never read.
      const failedInScope = sql`e.test_id in (select fe.test_id from reports frp
        join test_executions fe on fe.report_id = frp.id
        where ${sql.join([sql`fe.failing > 0`, ...inRun(sql`frp`)], sql` and `)})`;
      const filters = [
        ...inRun(sql`rp`),
        ...(query.withFailuresOnly === true ? [sql`e.failing > 0`] : []),
        ...(query.failing === true && query.withFailuresOnly !== true ? [failedInScope] : []),
        ...(query.project === undefined ? [] : [sql`p.key = ${query.project}`]),
      ];
      const where = filters.length === 0 ? sql`` : sql`where ${sql.join(filters, sql` and `)}`;
      const rows = await sql<{
        test_id: string;
        project: string;
        suite: string;
        name: string;
        file: string | null;
        line: number | string | null;
        run_id: number | string;
        attempts: number | string;
        failing: number | string;
        status: TestStatus;
        duration_ms: number | string | null;
        message: string | null;
      }>`
        select e.test_id, p.key as project, t.suite, t.name, t.file, t.line, e.run_id, e.attempts, e.failing,
               e.status, r.duration_ms, f.message
        from reports rp
        join test_executions e on e.report_id = rp.id
        join results r on r.id = e.last_result_id
        join tests t on t.id = e.test_id
        join projects p on p.id = t.project_id
        left join failures f on f.result_id = r.id
        ${where}
        order by e.test_id, e.run_id, r.id
        ${query.withFailuresOnly === true && query.limit !== undefined ? sql`limit ${query.limit}` : sql``}`.execute(
        this.db,
      );
      const byTest = new Map<string, TestSummary>();
      const runsOf = new Map<string, { failedIn: Set<number>; flakyIn: Set<number>; runIds: Set<number> }>();
      for (const row of rows.rows) {
        const failing = Number(row.failing);
        const outcome: TestOutcome = row.status === "passed" && failing > 0 ? "flaky" : row.status;
        const runId = Number(row.run_id);
        const entry = runsOf.get(row.test_id) ?? {
          failedIn: new Set<number>(),
          flakyIn: new Set<number>(),
          runIds: new Set<number>(),
        };
        runsOf.set(row.test_id, entry);
        entry.runIds.add(runId);
        if (outcome === "failed" || outcome === "error") entry.failedIn.add(runId);
        if (outcome === "flaky") entry.flakyIn.add(runId);
        byTest.set(row.test_id, {
          id: row.test_id,
          project: row.project,
          suite: row.suite,
          name: row.name,
          file: row.file,
          line: row.line === null ? null : Number(row.line),
          runs: entry.runIds.size,
          failedRuns: entry.failedIn.size,
          flakyRuns: entry.flakyIn.size,
          lastOutcome: outcome,
          lastAttempts: Number(row.attempts),
          lastDurationMs: row.duration_ms === null ? null : Number(row.duration_ms),
          lastRunId: runId,
          lastFailure: row.message,
        });
      }
      // Sorted here, not in SQL: PostgreSQL would order by its locale's collation and SQLite by bytes.
      let tests = [...byTest.values()].sort(
        (a, b) => compareText(a.suite, b.suite) || compareText(a.name, b.name) || compareText(a.id, b.id),
      );
      if (query.failing === true) tests = tests.filter((t) => t.lastOutcome === "failed" || t.lastOutcome === "error");
      return query.limit === undefined ? tests : tests.slice(0, query.limit);
    } catch (error) {
      throw storeFailure(error, "cannot list tests");
    }
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface RunRow {
  id: number | string;
  project: string;
  ci_run_id: string;
  attempt: number | string;
  provider: string;
  commit_sha: string | null;
  branch: string | null;
  pull_request: string | null;
  job: string | null;
  workflow: string | null;
  url: string | null;
  started_at: string | null;
  created_at: string;
  reports: number | string | bigint;
  tests: number | string | bigint;
  passed: number | string | bigint;
  failed: number | string | bigint;
  errors: number | string | bigint;
  skipped: number | string | bigint;
  flaky: number | string | bigint;
}

function toRunSummary(row: RunRow): RunSummary {
  return {
    id: Number(row.id),
    project: row.project,
    ciRunId: row.ci_run_id,
    attempt: Number(row.attempt),
    provider: row.provider,
    commitSha: row.commit_sha,
    branch: row.branch,
    pullRequest: row.pull_request,
    job: row.job,
    workflow: row.workflow,
    url: row.url,
    startedAt: row.started_at,
    createdAt: row.created_at,
    reports: Number(row.reports),
    tests: Number(row.tests),
    passed: Number(row.passed),
    failed: Number(row.failed),
    errors: Number(row.errors),
    skipped: Number(row.skipped),
    flaky: Number(row.flaky),
  };
}
