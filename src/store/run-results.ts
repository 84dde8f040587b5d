import { sql, type RawBuilder } from "kysely";

/**
 * The results of one run, as a derived table with the columns of `results`: the results of each
 * of the run's reports, found by the report's range of result ids. On SQLite a range holds
 * only the report's results and is read from the table itself, which has no index by run (see
 * migration 0007); on PostgreSQL the run and report ids pick the report's own out of it, by
 * their index.
 */
export function resultsOfRun(runId: number): RawBuilder<unknown> {
  return sql`(select r.* from reports rp
              join results r on r.id between rp.first_result_id and rp.last_result_id
                and r.run_id = rp.run_id and r.report_id = rp.id
              where rp.run_id = ${runId})`;
}
