import { sql, type Kysely } from "kysely";
import type { DialectName } from "../dialect-name.js";

/**
 * Gives every report the range of its result ids, and on SQLite drops the `(run_id, report_id,
 * seq)` index of `results`, which the ranges replace there. A report is written in one
 * transaction by SQLite's one writer, so its results take consecutive ids, and reading a run's
 * results is a walk of those ranges of the table itself: the index cost every result one more
 * B-tree insert, about a tenth of a million-result ingest. PostgreSQL keeps the index: its
 * concurrent ingests interleave ids, so a range there can hold other reports' results, which
 * the report id sorts out.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const idColumn = dialect === "postgres" ? ("bigint" as const) : ("integer" as const);
  await db.schema.alterTable("reports").addColumn("first_result_id", idColumn).execute();
  await db.schema.alterTable("reports").addColumn("last_result_id", idColumn).execute();
  await sql`update reports set
              first_result_id = (select min(r.id) from results r where r.run_id = reports.run_id and r.report_id = reports.id),
              last_result_id = (select max(r.id) from results r where r.run_id = reports.run_id and r.report_id = reports.id)`.execute(
    db,
  );
  if (dialect === "sqlite") await db.schema.dropIndex("results_by_report").execute();
}
