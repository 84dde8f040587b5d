import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import type { Database } from "./schema.js";

/**
 * The executions of the results that match `where` (a condition on `results`): one row per
 * report and test, with its attempts, how many failed or errored, and its last attempt (the
 * highest id) with that attempt's status. Shared by ingest and by the migration that creates
 * `test_executions` from the results stored before it.
 */
export function executionsOf(where: RawBuilder<unknown>): RawBuilder<unknown> {
  // Nearly every execution is one attempt, whose status is its own: only retried ones look their last attempt up.
  return sql`
    select g.report_id, g.test_id, g.run_id, g.attempts, g.failing, g.last_id,
           case when g.attempts = 1 then g.status else (select l.status from results l where l.id = g.last_id) end
    from (select report_id, test_id, min(run_id) as run_id, count(*) as attempts, max(id) as last_id, min(status) as status,
                 sum(case when status in ('failed', 'error') then 1 else 0 end) as failing
          from results where ${where} group by report_id, test_id) g`;
}

/**
 * Records the executions of one stored report in `test_executions`, from its results, in the
 * transaction that stores the report. One grouped pass over the report's results, which were
 * just written and are still cached; SQLite's grouping sorts them by test, so they land at the
 * end of the table's key in order. The cost grows with the report, never with the history.
 */
export async function recordExecutions(
  db: Kysely<Database> | Transaction<Database>,
  runId: number,
  reportId: number,
): Promise<void> {
  await sql`insert into test_executions (report_id, test_id, run_id, attempts, failing, last_result_id, status)
            ${executionsOf(sql`run_id = ${runId} and report_id = ${reportId}`)}`.execute(db);
}
