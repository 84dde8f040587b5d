import { Readable } from "node:stream";
import { faker } from "@faker-js/faker";
import { CompiledQuery, sql, type Kysely } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import type { NormalizedTestResult, TestAttempt } from "../../../src/domain/test-result.js";
import type { TestStatus } from "../../../src/domain/test-status.js";
import { emptySummary } from "../../../src/ingest/normalize.js";
import { KyselyStore } from "../../../src/store/kysely-store.js";
import { up as createTestExecutions } from "../../../src/store/migrations/0006-test-executions.js";
import type { ReportContent, RunKey, TestVerdicts } from "../../../src/store/ports.js";
import type { Database } from "../../../src/store/schema.js";
import { normalizedResultFactory } from "../../factories/test-report.js";
import { dialectsUnderTest, freshStore } from "../../support/store-dialects.js";

const PROJECT = "acme/shop";

function runKey(ciRunId: string, overrides: Partial<RunKey> = {}): RunKey {
  return {
    project: PROJECT,
    provider: "github-actions",
    ciRunId,
    attempt: 1,
    commitSha: faker.git.commitSha(),
    branch: "main",
    pullRequest: null,
    job: "unit",
    workflow: "ci",
    url: null,
    repository: PROJECT,
    startedAt: null,
    ...overrides,
  };
}

function content(results: readonly NormalizedTestResult[]): ReportContent {
  return {
    openRaw: () => Readable.from([Buffer.from(faker.string.uuid())]),
    produce: async (sink) => {
      for (const result of results) await sink.add(result);
      return { summary: { ...emptySummary(), tests: results.length }, info: undefined };
    },
  };
}

async function write(store: KyselyStore, run: RunKey, results: readonly NormalizedTestResult[]): Promise<void> {
  const sha256 = faker.string.hexadecimal({ length: 64, casing: "lower", prefix: "" });
  await store.writeReport({ run, sha256, format: "junit-xml", path: `${sha256}.xml`, size: 1 }, content(results));
}

/** Writes a report whose producer looked every test up: `known(i)` is what it found for the i-th. */
async function writeLookedUp(
  store: KyselyStore,
  run: RunKey,
  results: readonly NormalizedTestResult[],
  known: (index: number) => boolean,
): Promise<void> {
  const sha256 = faker.string.hexadecimal({ length: 64, casing: "lower", prefix: "" });
  await store.writeReport(
    { run, sha256, format: "junit-xml", path: `${sha256}.xml`, size: 1 },
    {
      openRaw: () => Readable.from([Buffer.from(sha256)]),
      produce: async (sink) => {
        for (const [i, result] of results.entries()) await sink.add(result, known(i));
        return { summary: { ...emptySummary(), tests: results.length }, info: undefined };
      },
    },
  );
}

/** `test` run once with these attempts. */
function execution(test: NormalizedTestResult, statuses: readonly TestStatus[]): NormalizedTestResult {
  const attempts = statuses.map((status, i): TestAttempt => ({
    attempt: i + 1,
    status,
    durationMs: faker.number.int({ min: 1, max: 900 }),
    startedAt: null,
    failure: status === "failed" || status === "error" ? { type: "Error", message: "boom", stack: null } : null,
    skipReason: status === "skipped" ? "later" : null,
    stdout: null,
    stderr: null,
  }));
  return { ...test, attempts: attempts as [TestAttempt, ...TestAttempt[]] };
}

const SHAPES: readonly (readonly TestStatus[])[] = [
  ["passed"],
  ["passed"],
  ["failed"],
  ["failed", "passed"],
  ["error"],
  ["skipped"],
  ["failed", "failed"],
  ["failed", "skipped"],
];

/** Every row of `test_executions`, in key order. */
const executionsOf = (s: KyselyStore) =>
  s.db.selectFrom("test_executions").selectAll().orderBy("report_id").orderBy("test_id").execute();

/** The executions the migration that creates the table summarises from `results`, as from a store without it. */
async function rebuiltExecutions(s: KyselyStore) {
  await s.db.schema.dropTable("test_executions").execute();
  await createTestExecutions(s.db as unknown as Kysely<unknown>, s.dialect);
  return executionsOf(s);
}

const byId = (a: TestVerdicts, b: TestVerdicts): number => (a.test.id < b.test.id ? -1 : a.test.id > b.test.id ? 1 : 0);

/** The statement a read runs that touches `test_executions`, compiled with its parameters. */
async function executionsQueryOf(store: KyselyStore, read: (store: KyselyStore) => Promise<unknown>) {
  const compiled: CompiledQuery[] = [];
  const db: Kysely<Database> = store.db.withPlugin({
    transformQuery: (args) => {
      compiled.push(store.db.getExecutor().compileQuery(args.node, args.queryId));
      return args.node;
    },
    transformResult: (args) => Promise.resolve(args.result),
  });
  await read(new KyselyStore(db, store.dialect));
  const query = compiled.find((q) => q.sql.includes("test_executions"));
  if (query === undefined) throw new Error("no query read test_executions");
  return query;
}

describe.each(dialectsUnderTest())("test histories on $name", (dialect) => {
  afterAll(() => dialect.cleanup());

  it("reads a few tests' histories by index, exactly as from every result", async () => {
    const s = await freshStore(dialect);
    try {
      const tests = normalizedResultFactory.buildList(8, {}, { transient: { project: PROJECT } });
      const commits = Array.from({ length: 4 }, () => faker.git.commitSha());
      // Runs out of order in time, two reports in some runs, commits shared by runs, two branches, two jobs.
      const runs = Array.from({ length: 10 }, (_, i) =>
        runKey(`run-${i}`, {
          commitSha: i === 9 ? null : (commits[i % commits.length] ?? null),
          branch: i % 3 === 0 ? "dev" : "main",
          job: i % 4 === 1 ? "e2e" : "unit",
          startedAt: i === 4 ? null : new Date(Date.UTC(2026, 5, 1, (i * 7) % 10)).toISOString(),
        }),
      );
      for (const [i, run] of runs.entries()) {
        const results = tests
          .filter(() => faker.datatype.boolean(0.85))
          .map((test) => execution(test, faker.helpers.arrayElement(SHAPES)));
        await write(s, run, results);
        if (i % 2 === 0) {
          const e2e = tests.slice(0, 3).map((test) => execution(test, faker.helpers.arrayElement(SHAPES)));
          // The same test twice in one report is one execution of it.
          const twice =
            tests[5] === undefined ? [] : [execution(tests[5], ["failed"]), execution(tests[5], ["passed"])];
          await write(s, run, [...e2e, ...twice]);
        }
      }
      const wanted: string[] = [tests[0], tests[3], tests[5], tests[7]].map((t) => t?.test.id ?? "");
      for (const scope of [{ project: PROJECT }, { project: PROJECT, branch: "main" }, { job: "e2e" }, {}]) {
        const all = (await s.listVerdicts(scope)).filter((h) => wanted.includes(h.test.id)).sort(byId);
        const some = await s.listVerdicts({ ...scope, testIds: [...wanted, "no-such-test", wanted[0] ?? ""] });
        expect(some).toEqual(all);
        expect(some.length, JSON.stringify(scope)).toBeGreaterThan(0);
      }
      const [one] = await s.listVerdicts({ project: PROJECT, testId: wanted[1] });
      expect(one?.verdicts.length).toBeGreaterThan(5);
      expect(await s.listVerdicts({ testId: wanted[1], testIds: [wanted[2] ?? ""] })).toEqual([]);
      expect(await s.listVerdicts({ testIds: [] })).toEqual([]);
      expect(await s.listVerdicts({ testIds: ["no-such-test"] })).toEqual([]);
      expect(await s.listVerdicts({ project: "other/project", testIds: wanted })).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it("gives each execution its outcome: retried to a pass is flaky, a failure then a skip is skipped", async () => {
    const s = await freshStore(dialect);
    try {
      const [test] = normalizedResultFactory.buildList(1, {}, { transient: { project: PROJECT } });
      if (test === undefined) throw new Error("factory built nothing");
      const shapes: TestStatus[][] = [["passed"], ["failed", "passed"], ["error"], ["failed", "skipped"], ["skipped"]];
      const sha = faker.git.commitSha();
      for (const [i, statuses] of shapes.entries())
        await write(s, runKey(String(i), { commitSha: sha, startedAt: `2026-06-0${i + 1}T00:00:00.000Z` }), [
          execution(test, statuses),
        ]);
      const [history] = await s.listVerdicts({ testIds: [test.test.id] });
      expect(history?.test).toEqual({
        id: test.test.id,
        suite: test.test.suite,
        name: test.test.name,
        file: test.test.file,
      });
      expect(history?.verdicts).toEqual(
        ["passed", "flaky", "failed", "skipped", "skipped"].map((outcome, i) => ({
          outcome,
          commitSha: sha,
          at: `2026-06-0${i + 1}T00:00:00.000Z`,
        })),
      );
    } finally {
      await s.close();
    }
  });

  it("reads the histories of more tests than one query may name", async () => {
    const s = await freshStore(dialect);
    try {
      const tests = normalizedResultFactory.buildList(1200, {}, { transient: { project: PROJECT } });
      await write(s, runKey("1"), tests);
      await write(
        s,
        runKey("2"),
        tests.map((test, i) => execution(test, i % 2 === 0 ? ["failed"] : ["passed"])),
      );
      const histories = await s.listVerdicts({ testIds: tests.map((t) => t.test.id) });
      expect(histories).toHaveLength(1200);
      expect(histories).toEqual((await s.listVerdicts({})).sort(byId));
      expect(histories.filter((h) => h.verdicts[1]?.outcome === "failed")).toHaveLength(600);
    } finally {
      await s.close();
    }
  });

  it("adds no execution when the same report is stored again", async () => {
    const s = await freshStore(dialect);
    try {
      const tests = normalizedResultFactory.buildList(3, {}, { transient: { project: PROJECT } });
      const run = runKey("1");
      const header = { run, sha256: "e".repeat(64), format: "junit-xml" as const, path: "r.xml", size: 1 };
      await s.writeReport(header, content(tests));
      await s.writeReport(header, content(tests));
      const histories = await s.listVerdicts({ testIds: tests.map((t) => t.test.id) });
      expect(histories.map((h) => h.verdicts.length)).toEqual([1, 1, 1]);
    } finally {
      await s.close();
    }
  });

  it("summarises the results stored before the table existed when it is created", async () => {
    const s = await freshStore(dialect);
    try {
      const tests = normalizedResultFactory.buildList(20, {}, { transient: { project: PROJECT } });
      for (let run = 0; run < 3; run++)
        await write(
          s,
          runKey(String(run)),
          tests.map((test) => execution(test, faker.helpers.arrayElement(SHAPES))),
        );
      const recorded = await executionsOf(s);
      expect(recorded).toHaveLength(60);
      expect(await rebuiltExecutions(s)).toEqual(recorded);
    } finally {
      await s.close();
    }
  });

  it("records one execution per test when a test is listed again batches later, as the results give it", async () => {
    const s = await freshStore(dialect);
    try {
      // More attempts than a batch holds: the repeats land in later batches than their tests' first attempts.
      const tests = normalizedResultFactory.buildList(2_600, {}, { transient: { project: PROJECT } });
      const first = tests.map((test, i) =>
        execution(test, i % 100 === 0 ? ["failed"] : (SHAPES[i % SHAPES.length] ?? [])),
      );
      const again = tests.filter((_, i) => i % 100 === 0).map((test) => execution(test, ["passed"]));
      await write(s, runKey("repeats"), [...first, ...again]);
      const recorded = await executionsOf(s);
      expect(recorded).toHaveLength(2_600);
      const repeated = recorded.find((row) => row.test_id === tests[100]?.test.id);
      expect(repeated).toMatchObject({ attempts: 2, failing: 1, status: "passed" });
      expect(await rebuiltExecutions(s)).toEqual(recorded);
    } finally {
      await s.close();
    }
  });

  it("stores the results of a test its producer says is known without writing the test again", async () => {
    const s = await freshStore(dialect);
    try {
      const tests = normalizedResultFactory.buildList(3, {}, { transient: { project: PROJECT } });
      await write(s, runKey("first"), tests);
      const moved = tests.map((test) => ({ ...test, test: { ...test.test, line: (test.test.line ?? 0) + 7 } }));
      // The first is called known: its moved line is not written. The others are.
      await writeLookedUp(s, runKey("second"), moved, (i) => i === 0);
      const lines = await s.db.selectFrom("tests").select(["id", "line"]).execute();
      expect(new Map(lines.map((t) => [t.id, t.line]))).toEqual(
        new Map(moved.map((t, i) => [t.test.id, i === 0 ? tests[0]?.test.line : t.test.line])),
      );
      const results = await s.db.selectFrom("results").select("test_id").execute();
      expect(results).toHaveLength(6);
    } finally {
      await s.close();
    }
  });

  it("settles tests its producer looked up and called new that are stored after all", async () => {
    const s = await freshStore(dialect);
    try {
      const stored = normalizedResultFactory.buildList(4, {}, { transient: { project: PROJECT } });
      await write(s, runKey("first"), stored);
      const before = await s.db.selectFrom("tests").selectAll().orderBy("id").execute();
      const fresh = normalizedResultFactory.buildList(2, {}, { transient: { project: PROJECT } });
      // Known tests reported without their line, called new (stored since the lookup, say), beside new ones.
      const again = [...stored.map((r) => ({ ...r, test: { ...r.test, line: null } })), ...fresh];
      await writeLookedUp(s, runKey("second"), again, () => false);
      const after = await s.db.selectFrom("tests").selectAll().orderBy("id").execute();
      // The stored tests keep their rows, lines included; the new ones are added once.
      expect(after.filter((t) => before.some((b) => b.id === t.id))).toEqual(before);
      expect(after.map((t) => t.id).sort()).toEqual([...stored, ...fresh].map((r) => r.test.id).sort());
      const attempts = [...stored, ...again].reduce((n, r) => n + r.attempts.length, 0);
      expect(await s.db.selectFrom("results").select("test_id").execute()).toHaveLength(attempts);
    } finally {
      await s.close();
    }
  });

  it("finds the tests' executions by primary key, without scanning the table", async () => {
    const s = await freshStore(dialect);
    try {
      const tests = normalizedResultFactory.buildList(300, {}, { transient: { project: PROJECT } });
      for (let run = 0; run < 20; run++) await write(s, runKey(String(run)), tests);
      if (s.dialect === "postgres") await sql`analyze`.execute(s.db);
      const query = await executionsQueryOf(s, (reader) =>
        reader.listVerdicts({ project: PROJECT, testIds: [tests[0]?.test.id ?? "", tests[1]?.test.id ?? ""] }),
      );
      const explain = CompiledQuery.raw(`${s.dialect === "sqlite" ? "explain query plan" : "explain"} ${query.sql}`, [
        ...query.parameters,
      ]);
      const plan = (await s.db.executeQuery<Record<string, string>>(explain)).rows
        .map((row) => row.detail ?? row["QUERY PLAN"] ?? "")
        .join("\n");
      if (s.dialect === "sqlite") {
        expect(plan).toMatch(/SEARCH e USING PRIMARY KEY \(report_id=\? AND test_id=\?\)/);
        expect(plan).not.toMatch(/SCAN e\b/);
      } else {
        expect(plan).toMatch(/Index (Only )?Scan using test_executions_pk on test_executions e/);
        expect(plan).not.toMatch(/Seq Scan on test_executions/);
      }
    } finally {
      await s.close();
    }
  });
});
