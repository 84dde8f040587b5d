import { type Kysely, sql, type Transaction } from "kysely";
import { recordExecutions } from "./execution-writer.js";
import type { FailureRow, ResultRow, ResultRowWriter, TestRow, WrittenReport } from "./result-rows.js";
import type { Database } from "./schema.js";

/**
 * {@link ResultRowWriter} for PostgreSQL: each batch is one `INSERT ... SELECT FROM unnest(...)`
 * with one array parameter per column. A multi-row VALUES list of a thousand rows sends
 * thirteen thousand parameters that the server parses and plans every time; thirteen arrays
 * are parsed once, which makes ingest several times faster.
 */
export class PostgresRowWriter implements ResultRowWriter {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  /** @inheritdoc */
  async upsertTests(unordered: readonly TestRow[]): Promise<void> {
    // One statement either way: the upsert itself is PostgreSQL's cheapest check for known tests.
    if (unordered.length === 0) return;
    // A stable order: two ingests upserting overlapping tests then lock rows in the same order, never deadlock.
    const sorted = [...unordered].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    // One row per test (an upsert may not touch a row twice), with the last line given for it, as on SQLite.
    const rows: TestRow[] = [];
    for (const row of sorted) {
      const last = rows[rows.length - 1];
      if (last?.id !== row.id) rows.push(row);
      else if (row.line !== null) rows[rows.length - 1] = row;
    }
    await sql`
      insert into tests (id, project_id, suite, name, file, line, first_seen_at)
      select * from unnest(
        ${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.project_id)}::bigint[], ${rows.map((r) => r.suite)}::text[],
        ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.file)}::text[], ${rows.map((r) => r.line)}::integer[],
        ${rows.map((r) => r.first_seen_at)}::text[])
      on conflict (id) do update set line = excluded.line
      where excluded.line is not null and tests.line is distinct from excluded.line`.execute(this.db);
  }

  /** @inheritdoc */
  async insertResults(rows: readonly ResultRow[], idsFor: ReadonlySet<number>): Promise<Map<number, number>> {
    const ids = new Map<number, number>();
    if (rows.length === 0) return ids;
    const query = sql<{ id: number; seq: number }>`
      insert into results (run_id, report_id, test_id, seq, attempt, status, duration_ms, started_at, skip_reason, stdout, stderr, properties, tags)
      select * from unnest(
        ${rows.map((r) => r.run_id)}::bigint[], ${rows.map((r) => r.report_id)}::bigint[], ${rows.map((r) => r.test_id)}::text[],
        ${rows.map((r) => r.seq)}::integer[], ${rows.map((r) => r.attempt)}::integer[], ${rows.map((r) => r.status)}::text[],
        ${rows.map((r) => r.duration_ms)}::double precision[], ${rows.map((r) => r.started_at)}::text[],
        ${rows.map((r) => r.skip_reason)}::text[], ${rows.map((r) => r.stdout)}::text[], ${rows.map((r) => r.stderr)}::text[],
        ${rows.map((r) => r.properties)}::text[], ${rows.map((r) => r.tags)}::text[])
      ${idsFor.size === 0 ? sql`` : sql`returning id, seq`}`;
    const result = await query.execute(this.db);
    for (const row of result.rows) if (idsFor.has(row.seq)) ids.set(row.seq, row.id);
    return ids;
  }

  /** @inheritdoc */
  async insertFailures(rows: readonly FailureRow[]): Promise<void> {
    if (rows.length === 0) return;
    await sql`
      insert into failures (result_id, run_id, test_id, type, message, stack)
      select * from unnest(
        ${rows.map((r) => r.result_id)}::bigint[], ${rows.map((r) => r.run_id)}::bigint[], ${rows.map((r) => r.test_id)}::text[],
        ${rows.map((r) => r.type)}::text[], ${rows.map((r) => r.message)}::text[], ${rows.map((r) => r.stack)}::text[])`.execute(
      this.db,
    );
  }

  /** @inheritdoc */
  async markPassedOnRetry(resultIds: readonly number[]): Promise<void> {
    if (resultIds.length === 0) return;
    await sql`update failures set passed_on_retry = 1 where result_id = any(${resultIds}::bigint[])`.execute(this.db);
  }

  /** @inheritdoc */
  async finish(report: WrittenReport): Promise<void> {
    // PostgreSQL groups the report's just-written results in one statement, as fast as any staging would be.
    await recordExecutions(this.db, report.runId, report.reportId);
    // Concurrent ingests interleave ids here: the range may hold other reports' results too.
    await sql`update reports set (first_result_id, last_result_id) =
                (select min(id), max(id) from results where run_id = ${report.runId} and report_id = ${report.reportId})
              where id = ${report.reportId}`.execute(this.db);
  }
}
