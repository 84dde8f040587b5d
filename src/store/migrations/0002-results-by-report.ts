import type { Kysely } from "kysely";

/**
 * Replaces the `(run_id, test_id, attempt)` index of `results` with `(run_id, report_id, seq)`.
 * Test ids are hashes, so within one run the old index took every insert at a random place:
 * on a report of a million tests that alone cost half of ingest. The new key only grows as a
 * report is written, so inserts append; reads of one run's results are range scans either way.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("results_by_run_test").execute();
  await db.schema.createIndex("results_by_report").on("results").columns(["run_id", "report_id", "seq"]).execute();
}
