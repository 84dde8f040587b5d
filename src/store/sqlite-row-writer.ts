import type BetterSqlite3 from "better-sqlite3";
import type { TestStatus } from "../domain/test-status.js";
import { EXECUTION_COLUMNS, HeldExecutions } from "./held-executions.js";
import { HELD_TEST_COLUMNS, HeldTests } from "./held-tests.js";
import type { FailureRow, ResultRow, ResultRowWriter, TestRow, WrittenReport } from "./result-rows.js";
import { TestIdFilter } from "./test-id-filter.js";

/**
 * Tests held before they are merged. Bounds what is held (about 10 MB of memory at this size:
 * ingest of a 1 GB report must stay under 300 MB) while keeping the number of passes over the
 * `tests` index small.
 */
const MERGE_EVERY = 50_000;
/**
 * Executions held before they are merged. Their rows are a fifth of a test's, and each merge
 * walks the report's part of the `test_executions` key once, so fewer, larger merges pay: at
 * 200,000 a report of a million known tests stored 0.6 to 1 s faster than at 50,000.
 */
const EXECUTIONS_MERGE_EVERY = 200_000;
/**
 * 2^25 bits (4 MiB) of tests whose executions a report merged: of a million, about one test
 * in 300 that is not among them is looked for in vain by the next merge's update.
 */
const MERGED_FILTER_LOG2_BITS = 25;
/** Rows per multi-row INSERT. One statement call per fifty rows costs about half of fifty calls. */
const ROWS_PER_INSERT = 50;
/** One multi-row INSERT prepared twice: for {@link ROWS_PER_INSERT} rows, and for one row (the remainder). */
class MultiRowInsert {
  private readonly full: BetterSqlite3.Statement;
  private readonly single: BetterSqlite3.Statement;

  /**
   * `columns`: the values bound per row. `row`: the text of one row, when it is more than as many
   * placeholders, such as named parameters that every row shares.
   */
  constructor(
    connection: BetterSqlite3.Database,
    private readonly columns: number,
    head: string,
    tail = "",
    row = `(${new Array<string>(columns).fill("?").join(", ")})`,
  ) {
    this.full = connection.prepare(`${head} values ${new Array<string>(ROWS_PER_INSERT).fill(row).join(", ")} ${tail}`);
    this.single = connection.prepare(`${head} values ${row} ${tail}`);
  }

  /** Inserts (or upserts) rows given as one flat array of their values, in order, with the `shared` named parameters. */
  run(values: readonly unknown[], shared: Record<string, unknown> = {}): void {
    this.each(values, shared, () => undefined);
  }

  /**
   * Inserts rows given as one flat array of their values, in order, and returns the rowid of
   * each. The rowids of one statement's rows are consecutive: nothing else writes inside the
   * transaction this runs in. Not for upserts, whose updated rows take no new rowid.
   */
  insertReturningIds(values: readonly unknown[], shared: Record<string, unknown> = {}): number[] {
    const ids: number[] = [];
    this.each(values, shared, (rows, last) => {
      for (let i = rows - 1; i >= 0; i--) ids.push(last - i);
    });
    return ids;
  }

  private each(
    values: readonly unknown[],
    shared: Record<string, unknown>,
    inserted: (rows: number, lastRowid: number) => void,
  ): void {
    const rows = values.length / this.columns;
    let row = 0;
    // The values go as arguments, not as one array: better-sqlite3 reads an array's elements
    // through V8's object API, which cost a quarter of the time of a million-row insert.
    for (; row + ROWS_PER_INSERT <= rows; row += ROWS_PER_INSERT) {
      const { lastInsertRowid } = this.full.run(
        ...values.slice(row * this.columns, (row + ROWS_PER_INSERT) * this.columns),
        shared,
      );
      inserted(ROWS_PER_INSERT, Number(lastInsertRowid));
    }
    for (; row < rows; row++) {
      const { lastInsertRowid } = this.single.run(
        ...values.slice(row * this.columns, (row + 1) * this.columns),
        shared,
      );
      inserted(1, Number(lastInsertRowid));
    }
  }
}

/** The values of `rows[start..end)` bound per result: all but the run and report, which they share. */
function resultValues(rows: readonly ResultRow[], start: number, end: number): unknown[] {
  const values: unknown[] = [];
  for (let i = start; i < end; i++) {
    const row = rows[i] as ResultRow;
    values.push(
      row.test_id,
      row.seq,
      row.attempt,
      row.status,
      row.duration_ms,
      row.started_at,
      row.skip_reason,
      row.stdout,
      row.stderr,
      row.properties,
      row.tags,
    );
  }
  return values;
}

/** Rows handed over per call while a merge writes what it held: a whole number of multi-row statements. */
const ROWS_PER_DRAIN = 100 * ROWS_PER_INSERT;

const isFailing = (status: string): boolean => status === "failed" || status === "error";

/**
 * {@link ResultRowWriter} on the raw better-sqlite3 connection that Kysely's transaction is
 * running on. Hand-written because ingest must store 100,000 results a second: a prepared
 * multi-row insert costs about a microsecond per row, where building and compiling the same
 * insert through the query builder costs several times that. It runs inside the transaction
 * Kysely opened on the same connection, so atomicity is unchanged.
 *
 * Tests are not upserted as they come: their ids are hashes, so each upsert would land at a
 * random place of the `tests` index. They are held and upserted in id order a merge at a
 * time, which walks the index once per merge. Tests the producer did not look up may be known:
 * those without a line are skipped by a probe of the id index alone, since the upsert of a
 * known test reads its whole row; only new tests, and tests whose line may have moved, are
 * written.
 *
 * Every write into the history is `insert or fail`. A statement that writes many rows and may
 * abort (on a constraint, or on an autoincrement key, which `results` and `failures` have) must
 * be able to undo just itself, so SQLite first copies each page it changes to a statement
 * journal: a million-result ingest wrote 1.5 GB of them to temporary files. `or fail` stops the
 * statement where it is instead, which needs no journal, and changes nothing here: any failure
 * rolls back the whole report's transaction anyway.
 */
export class SqliteRowWriter implements ResultRowWriter {
  private readonly upsertHeldTests: MultiRowInsert;
  private readonly isStored: BetterSqlite3.Statement;
  private readonly insertResult: MultiRowInsert;
  private readonly insertFailure: MultiRowInsert;
  private readonly markRetried: BetterSqlite3.Statement;
  private readonly insertExecutions: MultiRowInsert;
  private readonly updateExecution: BetterSqlite3.Statement;
  private readonly recordRange: BetterSqlite3.Statement;
  /** Tests held until the next merge, which upserts them in test-id order. */
  private readonly heldTests = new HeldTests();
  /** The project and first-seen time of every held test, bound once per statement. */
  private heldShared: { projectId: number; seenAt: string } | undefined;
  /** Executions held until the next merge, which writes them in test-id order. */
  private readonly heldExecutions = new HeldExecutions();
  /** The tests of the report whose executions are merged already. */
  private readonly mergedExecutions = new TestIdFilter(MERGED_FILTER_LOG2_BITS);
  /** The first and last result ids written: every id between is the report's (see migration 0007). */
  private firstResultId: number | undefined;
  private lastResultId: number | undefined;
  /** The report being written, known from its first result. */
  private report: WrittenReport | undefined;

  constructor(connection: BetterSqlite3.Database) {
    this.upsertHeldTests = new MultiRowInsert(
      connection,
      HELD_TEST_COLUMNS.length,
      `insert or fail into main.tests (${HELD_TEST_COLUMNS.join(", ")}, project_id, first_seen_at)`,
      `on conflict (id) do update set line = excluded.line
       where excluded.line is not null and tests.line is not excluded.line`,
      `(${new Array<string>(HELD_TEST_COLUMNS.length).fill("?").join(", ")}, @projectId, @seenAt)`,
    );
    this.isStored = connection.prepare(`select 1 from main.tests where id = ?`).pluck();
    this.insertResult = new MultiRowInsert(
      connection,
      11,
      `insert or fail into results (run_id, report_id, test_id, seq, attempt, status, duration_ms, started_at, skip_reason, stdout, stderr, properties, tags)`,
      "",
      `(@runId, @reportId, ${new Array<string>(11).fill("?").join(", ")})`,
    );
    this.insertFailure = new MultiRowInsert(
      connection,
      6,
      `insert or fail into failures (result_id, run_id, test_id, type, message, stack)`,
    );
    this.markRetried = connection.prepare(`update failures set passed_on_retry = 1 where result_id = ?`);
    // Executions go straight into their B-tree, in id order, a merge at a time: staged first and
    // copied over by one statement, they were written twice, which cost about half a second more
    // on a million tests. The insert skips what the update of a test seen again found.
    this.insertExecutions = new MultiRowInsert(
      connection,
      EXECUTION_COLUMNS.length,
      `insert or ignore into main.test_executions (report_id, run_id, ${EXECUTION_COLUMNS.join(", ")})`,
      "",
      `(@reportId, @runId, ${new Array<string>(EXECUTION_COLUMNS.length).fill("?").join(", ")})`,
    );
    // A test listed again further down the report (a retry in another batch) adds to the execution
    // an earlier merge wrote. Not an upsert: SQLite journals every page an upsert of this table
    // changes (200 MB on a million tests), where this update touches only the row it finds.
    this.updateExecution = connection.prepare(
      `update main.test_executions set
         attempts = attempts + @attempts,
         failing = failing + @failing,
         status = case when @lastResultId > last_result_id then @status else status end,
         last_result_id = max(last_result_id, @lastResultId)
       where report_id = @reportId and test_id = @testId`,
    );
    this.recordRange = connection.prepare(`update reports set first_result_id = ?, last_result_id = ? where id = ?`);
  }

  /** @inheritdoc */
  upsertTests(rows: readonly TestRow[], lookedUp: boolean): Promise<void> {
    for (const row of rows) {
      const shared = this.heldShared;
      // Every test of a report shares these; a row that does not is merged apart (never, from the batcher).
      if (shared?.projectId !== row.project_id || shared.seenAt !== row.first_seen_at) {
        this.merge();
        this.heldShared = { projectId: row.project_id, seenAt: row.first_seen_at };
      }
      if (lookedUp || row.line !== null || this.isStored.get(row.id) === undefined)
        this.heldTests.add(row.id, row.suite, row.name, row.file, row.line);
    }
    if (this.heldTests.size >= MERGE_EVERY) this.merge();
    return Promise.resolve();
  }

  /** @inheritdoc */
  insertResults(rows: readonly ResultRow[], idsFor: ReadonlySet<number>): Promise<Map<number, number>> {
    const rowIds: number[] = [];
    // Every result of a report shares its run and report: they are bound once per statement, not per row.
    for (let start = 0; start < rows.length;) {
      const { run_id: runId, report_id: reportId } = rows[start] as ResultRow;
      let end = start + 1;
      while (
        end < rows.length &&
        (rows[end] as ResultRow).run_id === runId &&
        (rows[end] as ResultRow).report_id === reportId
      )
        end++;
      for (const id of this.insertResult.insertReturningIds(resultValues(rows, start, end), { runId, reportId }))
        rowIds.push(id);
      start = end;
    }
    if (rowIds.length > 0) {
      this.firstResultId ??= rowIds[0];
      this.lastResultId = rowIds[rowIds.length - 1];
    }
    const ids = new Map<number, number>();
    rows.forEach((row, i) => {
      if (idsFor.has(row.seq)) ids.set(row.seq, rowIds[i] as number);
    });
    this.holdExecutionsOf(rows, rowIds);
    return Promise.resolve(ids);
  }

  /** @inheritdoc */
  insertFailures(rows: readonly FailureRow[]): Promise<void> {
    const values: unknown[] = [];
    for (const row of rows) values.push(row.result_id, row.run_id, row.test_id, row.type, row.message, row.stack);
    this.insertFailure.run(values);
    return Promise.resolve();
  }

  /** @inheritdoc */
  markPassedOnRetry(resultIds: readonly number[]): Promise<void> {
    for (const id of resultIds) this.markRetried.run(id);
    return Promise.resolve();
  }

  /** @inheritdoc */
  finish(report: WrittenReport): Promise<void> {
    this.report ??= report;
    this.merge();
    this.mergeHeldExecutions();
    if (this.firstResultId !== undefined)
      this.recordRange.run(this.firstResultId, this.lastResultId ?? this.firstResultId, report.reportId);
    return Promise.resolve();
  }

  /**
   * Holds one execution per test of a batch: a test's attempts are consecutive rows. Executions
   * are kept here rather than grouped from `results` afterwards, which read every result again
   * and sorted them; held, they are sorted a merge at a time, in memory, as tests are.
   */
  private holdExecutionsOf(rows: readonly ResultRow[], rowIds: readonly number[]): void {
    for (let i = 0; i < rows.length;) {
      const first = rows[i] as ResultRow;
      this.report ??= { runId: first.run_id, reportId: first.report_id };
      let failing = 0;
      let last = i;
      for (; last < rows.length && (rows[last] as ResultRow).test_id === first.test_id; last++)
        if (isFailing((rows[last] as ResultRow).status)) failing++;
      const status = (rows[last - 1] as ResultRow).status as TestStatus;
      this.heldExecutions.add(first.test_id, last - i, failing, rowIds[last - 1] as number, status);
      i = last;
    }
    if (this.heldExecutions.size >= EXECUTIONS_MERGE_EVERY) this.mergeHeldExecutions();
  }

  private mergeHeldExecutions(): void {
    const report = this.report;
    if (this.heldExecutions.size === 0 || report === undefined) return;
    const shared = { runId: report.runId, reportId: report.reportId };
    this.heldExecutions.drain(
      (values) => this.insertExecutions.run(values, shared),
      ROWS_PER_DRAIN,
      this.mergedExecutions,
      ([testId, attempts, failing, lastResultId, status]) =>
        this.updateExecution.run({ testId, attempts, failing, lastResultId, status, reportId: report.reportId }),
    );
  }

  private merge(): void {
    const shared = this.heldShared;
    if (this.heldTests.size === 0 || shared === undefined) return;
    this.heldTests.drain((values) => this.upsertHeldTests.run(values, shared), ROWS_PER_DRAIN);
  }
}
