import type { Kysely, Transaction } from "kysely";
import type { NormalizedTestResult } from "../domain/test-result.js";
import type { ResultSink } from "./ports.js";
import type { Database } from "./schema.js";

/** Results buffered before a multi-row insert; sized to stay under both dialects' bind-parameter limits. */
const BATCH_ATTEMPTS = 1000;

/** Where a batch of results goes. */
export interface BatchTarget {
  readonly projectId: number;
  readonly runId: number;
  readonly reportId: number;
  /** Whether other reports of the same run already hold results (attempts then continue their numbering). */
  readonly runHasOtherResults: boolean;
  /** When the results were seen, ISO-8601. */
  readonly seenAt: string;
}

/**
 * Buffers normalized results and writes them in multi-row inserts: tests (upserted, they are
 * content-addressed), one results row per attempt, one failures row per failed attempt.
 */
export class ResultBatcher implements ResultSink {
  private buffer: NormalizedTestResult[] = [];
  private bufferedAttempts = 0;
  private seq = 0;

  constructor(
    private readonly db: Kysely<Database> | Transaction<Database>,
    private readonly target: BatchTarget,
  ) {}

  /** Buffers one result, writing the batch when it is full. */
  async add(result: NormalizedTestResult): Promise<void> {
    this.buffer.push(result);
    this.bufferedAttempts += result.attempts.length;
    if (this.bufferedAttempts >= BATCH_ATTEMPTS) await this.flush();
  }

  /** Writes whatever is buffered. */
  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.bufferedAttempts = 0;
    const { projectId, runId, reportId, seenAt } = this.target;

    const tests = new Map<string, NormalizedTestResult["test"]>();
    for (const result of batch) tests.set(result.test.id, result.test);
    await this.db
      .insertInto("tests")
      .values(
        [...tests.values()].map((test) => ({
          id: test.id,
          project_id: projectId,
          suite: test.suite,
          name: test.name,
          file: test.file,
          line: test.line,
          first_seen_at: seenAt,
          last_seen_at: seenAt,
        })),
      )
      .onConflict((oc) =>
        oc.column("id").doUpdateSet((eb) => ({
          line: eb.fn.coalesce(eb.ref("excluded.line"), eb.ref("tests.line")),
          last_seen_at: eb.ref("excluded.last_seen_at"),
        })),
      )
      .execute();

    const offsets = this.target.runHasOtherResults ? await this.attemptOffsets([...tests.keys()]) : undefined;
    const rows = [];
    const failures = new Map<number, { testId: string; failure: NonNullable<NormalizedTestResult["attempts"][0]["failure"]> }>();
    for (const result of batch) {
      const offset = offsets?.get(result.test.id) ?? 0;
      const properties = Object.keys(result.properties).length === 0 ? null : JSON.stringify(result.properties);
      const tags = result.tags.length === 0 ? null : JSON.stringify(result.tags);
      for (const attempt of result.attempts) {
        const seq = this.seq++;
        if (attempt.failure !== null) failures.set(seq, { testId: result.test.id, failure: attempt.failure });
        rows.push({
          run_id: runId,
          report_id: reportId,
          test_id: result.test.id,
          seq,
          attempt: attempt.attempt + offset,
          status: attempt.status,
          duration_ms: attempt.durationMs,
          started_at: attempt.startedAt,
          skip_reason: attempt.skipReason,
          stdout: attempt.stdout,
          stderr: attempt.stderr,
          properties,
          tags,
        });
      }
    }
    if (failures.size === 0) {
      await this.db.insertInto("results").values(rows).execute();
      return;
    }
    // RETURNING order is not guaranteed; `seq` maps each new id back to its attempt.
    const inserted = await this.db.insertInto("results").values(rows).returning(["id", "seq"]).execute();
    const failureRows = [];
    for (const row of inserted) {
      const failed = failures.get(row.seq);
      if (failed === undefined) continue;
      failureRows.push({
        result_id: row.id,
        run_id: runId,
        test_id: failed.testId,
        type: failed.failure.type,
        message: failed.failure.message,
        stack: failed.failure.stack,
      });
    }
    await this.db.insertInto("failures").values(failureRows).execute();
  }

  private async attemptOffsets(testIds: string[]): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom("results")
      .select(["test_id", (eb) => eb.fn.max("attempt").as("attempts")])
      .where("run_id", "=", this.target.runId)
      .where("report_id", "<>", this.target.reportId)
      .where("test_id", "in", testIds)
      .groupBy("test_id")
      .execute();
    return new Map(rows.map((row) => [row.test_id, Number(row.attempts)]));
  }
}
