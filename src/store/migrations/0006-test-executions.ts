import { sql, type Kysely } from "kysely";
import type { DialectName } from "../dialect-name.js";
import { executionsOf } from "../execution-writer.js";

/**
 * Test executions: one row per test and report (its attempts taken together), keyed by
 * `(report_id, test_id)`, so that the history of a few tests is found by index probes instead
 * of a scan of every result. The key grows with the report id, so each report's rows are
 * appended at the end of the index (in test order) instead of at random places, which is what
 * keeps ingest fast; `results` itself keeps no `(test_id, ...)` index for that reason.
 * Existing results are summarised into it once, here.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const idColumn = dialect === "postgres" ? ("bigint" as const) : ("integer" as const);
  await db.schema
    .createTable("test_executions")
    .addColumn("report_id", idColumn, (c) => c.notNull())
    .addColumn("test_id", "text", (c) => c.notNull())
    .addColumn("run_id", idColumn, (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("failing", "integer", (c) => c.notNull())
    .addColumn("last_result_id", idColumn, (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("test_executions_pk", ["report_id", "test_id"])
    // SQLite stores the rows in the key's B-tree itself: one structure to append to, not two.
    .$call((table) => (dialect === "sqlite" ? table.modifyEnd(sql`without rowid`) : table))
    .execute();
  await sql`insert into test_executions (report_id, test_id, run_id, attempts, failing, last_result_id, status)
            ${executionsOf(sql`true`)}`.execute(db);
}
