import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { faker } from "@faker-js/faker";
import type BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testIdOf } from "../../../src/domain/test-identity.js";
import { openSqlite } from "../../../src/store/dialects/sqlite.js";
import { openStore } from "../../../src/store/open-store.js";
import type { ResultRow, TestRow } from "../../../src/store/result-rows.js";
import { SqliteRowWriter } from "../../../src/store/sqlite-row-writer.js";

let dir: string;
let connection: BetterSqlite3.Database;
let projects: number[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "kaizen-row-writer-"));
  const path = join(dir, "kaizen.db");
  await (await openStore({ sqlitePath: path })).close();
  connection = openSqlite(path).connection;
  const insert = connection.prepare("insert into projects (key, created_at) values (?, ?) returning id").pluck();
  projects = [0, 1].map(
    (i) => insert.get(`${faker.lorem.slug()}-${String(i)}`, faker.date.past().toISOString()) as number,
  );
});

afterEach(() => {
  connection.close();
  rmSync(dir, { recursive: true, force: true });
});

const testRow = (projectId: number, seenAt: string): TestRow => {
  const suite = faker.lorem.words(2);
  const name = faker.string.uuid();
  return {
    id: testIdOf({ project: String(projectId), suite, name, file: null }),
    project_id: projectId,
    suite,
    name,
    file: faker.system.filePath(),
    line: faker.number.int({ min: 1, max: 500 }),
    first_seen_at: seenAt,
  };
};

const resultRow = (test: TestRow, runId: number, reportId: number, seq: number): ResultRow => ({
  run_id: runId,
  report_id: reportId,
  test_id: test.id,
  seq,
  attempt: 1,
  status: faker.helpers.arrayElement(["passed", "failed", "skipped"]),
  duration_ms: faker.number.float({ min: 0, max: 5000 }),
  started_at: null,
  skip_reason: null,
  stdout: null,
  stderr: null,
  properties: null,
  tags: null,
});

describe("the SQLite row writer", () => {
  it("stores each test with its own project and first-seen time when one batch mixes them", async () => {
    const [first, second] = projects as [number, number];
    const early = faker.date.past().toISOString();
    const late = faker.date.recent().toISOString();
    const rows = [
      ...Array.from({ length: 3 }, () => testRow(first, early)),
      ...Array.from({ length: 2 }, () => testRow(second, early)),
      ...Array.from({ length: 2 }, () => testRow(second, late)),
      testRow(first, late),
    ];
    const writer = new SqliteRowWriter(connection);
    connection.exec("begin");
    await writer.upsertTests(rows.slice(0, 4), true);
    await writer.upsertTests(rows.slice(4), false);
    await writer.finish({ runId: 1, reportId: 1 });
    connection.exec("commit");
    const stored = connection
      .prepare("select id, project_id, suite, name, file, line, first_seen_at from tests order by id")
      .all();
    expect(stored).toEqual([...rows].sort((a, b) => (a.id < b.id ? -1 : 1)));
  });

  it("stores each result with its own run and report when one batch mixes them", async () => {
    const tests = Array.from({ length: 4 }, () => testRow(projects[0] as number, faker.date.past().toISOString()));
    const rows = [
      resultRow(tests[0] as TestRow, 7, 70, 0),
      resultRow(tests[1] as TestRow, 7, 70, 1),
      resultRow(tests[2] as TestRow, 7, 71, 2),
      resultRow(tests[3] as TestRow, 8, 71, 3),
    ];
    const writer = new SqliteRowWriter(connection);
    connection.exec("begin");
    const ids = await writer.insertResults(rows, new Set([1, 3]));
    connection.exec("commit");
    const stored = connection
      .prepare("select id, run_id, report_id, test_id, seq, status, duration_ms from results order by id")
      .all() as { id: number }[];
    expect(stored.map((row) => ({ ...row, id: undefined }))).toEqual(
      rows.map(({ run_id, report_id, test_id, seq, status, duration_ms }) => ({
        id: undefined,
        run_id,
        report_id,
        test_id,
        seq,
        status,
        duration_ms,
      })),
    );
    // The ids asked for, from the first and the last statement of shared values.
    expect(ids).toEqual(
      new Map([
        [1, stored[1]?.id],
        [3, stored[3]?.id],
      ]),
    );
  });
});
