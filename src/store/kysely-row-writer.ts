import type { Kysely, Transaction } from "kysely";
import type { FailureRow, ResultRow, ResultRowWriter, TestRow } from "./result-rows.js";
import type { Database } from "./schema.js";

/** {@link ResultRowWriter} through Kysely multi-row inserts: works on every dialect. */
export class KyselyRowWriter implements ResultRowWriter {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  /** @inheritdoc */
  async upsertTests(rows: readonly TestRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .insertInto("tests")
      .values([...rows])
      // A known test is rewritten only when its line moved: most runs change nothing.
      .onConflict((oc) =>
        oc
          .column("id")
          .doUpdateSet((eb) => ({ line: eb.ref("excluded.line") }))
          .where((eb) =>
            eb.and([
              eb("excluded.line", "is not", null),
              eb("tests.line", "is distinct from", eb.ref("excluded.line")),
            ]),
          ),
      )
      .execute();
  }

  /** @inheritdoc */
  async insertResults(rows: readonly ResultRow[], idsFor: ReadonlySet<number>): Promise<Map<number, number>> {
    const ids = new Map<number, number>();
    if (rows.length === 0) return ids;
    if (idsFor.size === 0) {
      await this.db
        .insertInto("results")
        .values([...rows])
        .execute();
      return ids;
    }
    // RETURNING order is not guaranteed; `seq` maps each new id back to its row.
    const inserted = await this.db
      .insertInto("results")
      .values([...rows])
      .returning(["id", "seq"])
      .execute();
    for (const row of inserted) if (idsFor.has(row.seq)) ids.set(row.seq, row.id);
    return ids;
  }

  /** @inheritdoc */
  async insertFailures(rows: readonly FailureRow[]): Promise<void> {
    if (rows.length > 0)
      await this.db
        .insertInto("failures")
        .values([...rows])
        .execute();
  }

  /** @inheritdoc */
  async attemptOffsets(runId: number, reportId: number, testIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom("results")
      .select(["test_id", (eb) => eb.fn.max("attempt").as("attempts")])
      .where("run_id", "=", runId)
      .where("report_id", "<>", reportId)
      .where("test_id", "in", [...testIds])
      .groupBy("test_id")
      .execute();
    return new Map(rows.map((row) => [row.test_id, row.attempts]));
  }
}
