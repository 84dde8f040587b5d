import type { FailuresTable, ResultsTable, TestsTable } from "./schema.js";

/** A row of `tests` as ingest writes it. */
export type TestRow = TestsTable;

/** A row of `results` as ingest writes it (the id is assigned by the database). */
export type ResultRow = Omit<ResultsTable, "id">;

/** A row of `failures` as ingest writes it. */
export type FailureRow = Omit<
  FailuresTable,
  "id" | "fingerprint" | "template" | "cluster_id" | "category" | "confidence" | "source" | "passed_on_retry"
>;

/** The report a writer has written, as {@link ResultRowWriter.finish} is told. */
export interface WrittenReport {
  /** The run the report belongs to. */
  readonly runId: number;
  /** The report's id. */
  readonly reportId: number;
}

/**
 * Writes batches of ingest rows inside the current transaction. One adapter per dialect,
 * each with that database's fastest bulk path: prepared statements on the raw SQLite
 * connection, `unnest` of column arrays on PostgreSQL.
 */
export interface ResultRowWriter {
  /**
   * Inserts tests (in any order; a test given more than once keeps the last line given for it), or
   * refreshes the `line` of those already known when it moved. `lookedUp`:
   * the producer looked these tests up and did not find them, so they are most likely new
   * (a writer may then skip its own check for known ones; the upsert stays correct either way).
   */
  upsertTests(rows: readonly TestRow[], lookedUp: boolean): Promise<void>;
  /** Inserts results; returns the id of each, keyed by `seq`, for rows whose seq is in `idsFor`. */
  insertResults(rows: readonly ResultRow[], idsFor: ReadonlySet<number>): Promise<Map<number, number>>;
  /** Inserts failures. */
  insertFailures(rows: readonly FailureRow[]): Promise<void>;
  /** Marks failures whose test passed on a later attempt of the same report (flaky evidence). */
  markPassedOnRetry(resultIds: readonly number[]): Promise<void>;
  /**
   * Completes whatever the writer deferred, records the report's test executions (one
   * `test_executions` row per test) and the range of its result ids on its `reports` row;
   * called once, after the report's last batch.
   */
  finish(report: WrittenReport): Promise<void>;
}
