import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NormalizedTestResult } from "../../../src/domain/test-result.js";
import type { KyselyStore } from "../../../src/store/kysely-store.js";
import { up as addReportResultRanges } from "../../../src/store/migrations/0007-report-result-ranges.js";
import { normalizedResultFactory } from "../../factories/test-report.js";
import { dialectsUnderTest, freshStore } from "../../support/store-dialects.js";
import { failingResult, PROJECT, runKey, storeRun } from "../../support/stored-runs.js";

const results = (n: number): NormalizedTestResult[] =>
  normalizedResultFactory.buildList(n, {}, { transient: { project: PROJECT } });

/** Each report's range, and how many results its range and its id each find. */
async function rangesOf(store: KyselyStore) {
  const rows = await sql<{
    // PostgreSQL sends bigints as strings.
    id: number | string;
    first_result_id: number | string | null;
    last_result_id: number | string | null;
    own: number | string;
    in_range: number | string;
  }>`select rp.id, rp.first_result_id, rp.last_result_id,
            (select count(*) from results r where r.report_id = rp.id) as own,
            (select count(*) from results r where r.id between rp.first_result_id and rp.last_result_id) as in_range
     from reports rp order by rp.id`.execute(store.db);
  return rows.rows.map((row) => ({
    id: Number(row.id),
    first: row.first_result_id === null ? null : Number(row.first_result_id),
    last: row.last_result_id === null ? null : Number(row.last_result_id),
    own: Number(row.own),
    inRange: Number(row.in_range),
  }));
}

async function hasRunIndex(store: KyselyStore): Promise<boolean> {
  const tables = await store.db.introspection.getTables();
  const query =
    store.dialect === "sqlite"
      ? sql<{
          n: number | string;
        }>`select count(*) as n from sqlite_master where type = 'index' and name = 'results_by_report'`
      : sql<{ n: number | string }>`select count(*) as n from pg_indexes where indexname = 'results_by_report'`;
  expect(tables.some((t) => t.name === "results")).toBe(true);
  return Number((await query.execute(store.db)).rows[0]?.n) > 0;
}

describe.each(dialectsUnderTest())("report result ranges on $name", (dialect) => {
  let store: KyselyStore;
  let runs: { first: number; second: number; empty: number };
  const firstRun = results(7);
  const secondRun = [...results(4), failingResult([{ type: "Error", message: "boom", stack: null }])];

  beforeAll(async () => {
    store = await freshStore(dialect);
    runs = {
      first: await storeRun(store, runKey("first"), firstRun),
      second: await storeRun(store, runKey("second"), secondRun),
      empty: await storeRun(store, runKey("empty"), []),
    };
    // A second report of the first run, after another run's: the run's results are two ranges.
    await storeRun(store, runKey("first"), results(3));
  });

  afterAll(async () => {
    await store.close();
    await dialect.cleanup();
  });

  it("gives every report the range of its own results, and none to a report without results", async () => {
    const ranges = await rangesOf(store);
    expect(ranges).toHaveLength(4);
    for (const range of ranges.filter((r) => r.own > 0)) {
      expect(range.last).not.toBeNull();
      expect((range.last ?? 0) - (range.first ?? 0) + 1).toBe(range.own);
      // One writer per transaction: the range holds the report's results and nothing else.
      if (store.dialect === "sqlite") expect(range.inRange).toBe(range.own);
    }
    expect(ranges.filter((r) => r.own === 0)).toEqual([
      expect.objectContaining({ first: null, last: null, inRange: 0 }),
    ]);
  });

  it("reads a run's results by its reports' ranges", async () => {
    const first = await store.listTests({ runId: runs.first });
    expect(first).toHaveLength(10);
    expect(await store.listTests({ runId: runs.empty })).toEqual([]);
    const failing = await store.listTests({ runId: runs.second, withFailuresOnly: true });
    expect(failing.map((t) => t.id)).toEqual([secondRun[4]?.test.id]);
    expect((await store.listTests({ runId: runs.second })).map((t) => t.id).sort()).toEqual(
      secondRun.map((r) => r.test.id).sort(),
    );
  });

  it("fills the ranges of reports stored before it, and drops the run index on SQLite only", async () => {
    const before = await rangesOf(store);
    // The database as it was before the migration: no ranges, and the index by run.
    await store.db.schema.alterTable("reports").dropColumn("first_result_id").execute();
    await store.db.schema.alterTable("reports").dropColumn("last_result_id").execute();
    if (store.dialect === "sqlite")
      await store.db.schema
        .createIndex("results_by_report")
        .on("results")
        .columns(["run_id", "report_id", "seq"])
        .execute();
    await addReportResultRanges(store.db as unknown as Kysely<unknown>, store.dialect);
    expect(await rangesOf(store)).toEqual(before);
    expect(await hasRunIndex(store)).toBe(store.dialect === "postgres");
  });
});
