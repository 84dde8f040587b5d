import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import type { RunMetadata } from "../../../src/domain/run-metadata.js";
import type { NormalizedTestResult } from "../../../src/domain/test-result.js";
import { ReportNormalizer, emptySummary, type ReportSummary } from "../../../src/ingest/normalize.js";
import { readArtifact } from "../../../src/store/artifact-writer.js";
import type { KyselyStore } from "../../../src/store/kysely-store.js";
import { openStore } from "../../../src/store/open-store.js";
import type { ReportContent, RunKey } from "../../../src/store/ports.js";
import { normalizedResultFactory } from "../../factories/test-report.js";
import { dialectsUnderTest, freshStore } from "../../support/store-dialects.js";

const baseRun: RunMetadata = {
  project: "acme/shop",
  provider: "github-actions",
  ciRunId: "4242",
  attempt: 1,
  commitSha: "0123456789abcdef0123456789abcdef01234567",
  branch: "main",
  pullRequest: null,
  job: "test",
  workflow: "ci",
  url: "https://ci.example/runs/4242",
  repository: "acme/shop",
  startedAt: "2026-11-30T10:00:00.000Z",
};

function runKey(overrides: Partial<RunKey> = {}): RunKey {
  return { ...baseRun, ciRunId: "4242", ...overrides };
}

function summaryOf(results: readonly NormalizedTestResult[]): ReportSummary {
  const summary = emptySummary();
  for (const result of results) {
    summary.tests++;
    summary.attempts += result.attempts.length;
    const last = result.attempts[result.attempts.length - 1]?.status;
    const failedBefore = result.attempts.some((a) => a.status === "failed" || a.status === "error");
    if (last === "passed" && failedBefore) summary.flaky++;
    else if (last === "passed") summary.passed++;
    else if (last === "failed") summary.failed++;
    else if (last === "error") summary.errors++;
    else summary.skipped++;
  }
  return summary;
}

function content(
  results: readonly NormalizedTestResult[],
  raw = "raw report bytes",
  failAfter?: number,
): ReportContent {
  return {
    openRaw: () => Readable.from([Buffer.from(raw)]),
    produce: async (sink) => {
      let n = 0;
      for (const result of results) {
        if (failAfter !== undefined && n++ >= failAfter) throw new Error("parser failed half-way");
        await sink.add(result);
      }
      return {
        summary: summaryOf(results),
        info: { kind: "report", tool: "vitest", startedAt: "2026-11-30T09:59:00.000Z" },
      };
    },
  };
}

function header(run: RunKey, sha256: string, size = 10) {
  return { run, sha256, format: "junit-xml" as const, path: `reports/${sha256}.xml`, size };
}

describe.each(dialectsUnderTest())("KyselyStore on $name", (dialect) => {
  const opened: KyselyStore[] = [];
  const store = async (): Promise<KyselyStore> => {
    const s = await freshStore(dialect);
    opened.push(s);
    return s;
  };
  afterAll(async () => {
    for (const s of opened) await s.close();
    await dialect.cleanup();
  });

  it("migrates idempotently", async () => {
    const s = await store();
    expect(await s.migrate()).toEqual([]);
  });

  it("stores a report whole: tests, attempts, failures, artifact, counts", async () => {
    const s = await store();
    const results = [
      ...normalizedResultFactory.buildList(3, {}, { transient: { project: "acme/shop" } }),
      normalizedResultFactory.build({}, { transient: { project: "acme/shop", statuses: ["failed"] } }),
      normalizedResultFactory.build({}, { transient: { project: "acme/shop", statuses: ["failed", "passed"] } }),
      normalizedResultFactory.build({}, { transient: { project: "acme/shop", statuses: ["skipped"] } }),
    ];
    const stored = await s.writeReport(header(runKey(), "a".repeat(64)), content(results, "<testsuite/>"));
    expect(stored.created).toBe(true);
    expect(stored.summary).toMatchObject({ tests: 6, passed: 3, failed: 1, flaky: 1, skipped: 1, attempts: 7 });

    const [run] = await s.listRuns({});
    expect(run).toMatchObject({
      ciRunId: "4242",
      attempt: 1,
      branch: "main",
      tests: 6,
      failed: 1,
      flaky: 1,
      reports: 1,
    });
    expect(run?.startedAt).toBe("2026-11-30T09:59:00.000Z");

    const tests = await s.listTests({ runId: run?.id });
    expect(tests).toHaveLength(6);
    const flaky = tests.find((t) => t.lastOutcome === "flaky");
    expect(flaky).toMatchObject({ lastAttempts: 2, flakyRuns: 1, failedRuns: 0 });
    const withFailures = await s.listTests({ runId: run?.id, withFailuresOnly: true });
    expect(withFailures.map((t) => t.lastOutcome).sort()).toEqual(["failed", "flaky"]);
    const failing = await s.listTests({ failing: true });
    expect(failing).toHaveLength(1);
    expect(failing[0]?.lastFailure).toMatch(/^expected \d+ to be \d+$/);

    const failures = await s.db.selectFrom("failures").selectAll().execute();
    expect(failures).toHaveLength(2);
    expect(new Set(failures.map((f) => f.test_id)).size).toBe(2);
    expect((await readArtifact(s.db, "a".repeat(64)))?.toString()).toBe("<testsuite/>");
    expect(await readArtifact(s.db, "f".repeat(64))).toBeUndefined();
  });

  it("stores a test listed again within one batch once, with its last line, and marks its failure passed on retry", async () => {
    const s = await store();
    const failed = normalizedResultFactory.build({}, { transient: { project: "acme/shop", statuses: ["failed"] } });
    const again = (line: number | null, status: "passed" | "failed"): NormalizedTestResult => ({
      ...normalizedResultFactory.build({}, { transient: { project: "acme/shop", statuses: [status] } }),
      test: { ...failed.test, line },
    });
    const others = normalizedResultFactory.buildList(3, {}, { transient: { project: "acme/shop" } });
    const lastLine = (failed.test.line ?? 0) + 40;
    const results = [failed, ...others, again(lastLine, "passed"), again(null, "passed")];
    await s.writeReport(header(runKey(), "d".repeat(64)), content(results));

    const tests = await s.db.selectFrom("tests").select(["id", "line"]).where("id", "=", failed.test.id).execute();
    expect(tests).toEqual([{ id: failed.test.id, line: lastLine }]);
    expect(await s.db.selectFrom("tests").select("id").execute()).toHaveLength(4);
    const failures = await s.db.selectFrom("failures").select(["test_id", "passed_on_retry"]).execute();
    expect(failures).toEqual([{ test_id: failed.test.id, passed_on_retry: 1 }]);
    // A passed test that never failed here is no retry: only the failed test's failure is marked.
    expect(await s.db.selectFrom("results").select("id").execute()).toHaveLength(results.length);
  });

  it("adds nothing when the same report is written again", async () => {
    const s = await store();
    const results = normalizedResultFactory.buildList(4, {}, { transient: { project: "acme/shop" } });
    await s.writeReport(header(runKey(), "b".repeat(64)), content(results));
    const again = await s.writeReport(header(runKey(), "b".repeat(64)), content(results));
    expect(again.created).toBe(false);
    expect(again.summary.tests).toBe(4);
    const count = await s.db
      .selectFrom("results")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(4);
    expect(await s.listRuns({})).toHaveLength(1);
  });

  it("stores nothing of a report whose parsing fails half-way", async () => {
    const s = await store();
    const results = normalizedResultFactory.buildList(2500, {}, { transient: { project: "acme/shop" } });
    await expect(s.writeReport(header(runKey(), "c".repeat(64)), content(results, "x", 2200))).rejects.toThrow(
      "parser failed half-way",
    );
    expect(await s.listRuns({})).toHaveLength(0);
    const count = await s.db
      .selectFrom("results")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(0);
    expect(await s.db.selectFrom("artifacts").selectAll().execute()).toHaveLength(0);
  });

  it("writes large reports in batches", async () => {
    const s = await store();
    const results = normalizedResultFactory.buildList(
      2500,
      {},
      { transient: { project: "acme/shop", statuses: ["failed", "passed"] } },
    );
    const stored = await s.writeReport(header(runKey(), "d".repeat(64)), content(results));
    expect(stored.summary.flaky).toBe(2500);
    const failures = await s.db
      .selectFrom("failures")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(failures.n).toBe(2500);
  });

  it("keeps each report's attempts to itself (matrix jobs share a run), and keeps re-run attempts apart", async () => {
    const s = await store();
    const [test] = normalizedResultFactory.buildList(
      1,
      {},
      { transient: { project: "acme/shop", statuses: ["failed"] } },
    );
    if (test === undefined) throw new Error("factory built nothing");
    const passed: NormalizedTestResult = {
      ...test,
      attempts: [{ ...test.attempts[0], status: "passed", failure: null }],
    };
    // Two jobs of one CI run: one failed the test, the other passed it. That is not a retry.
    await s.writeReport(header(runKey(), "e".repeat(64)), content([test]));
    await s.writeReport(header(runKey(), "f".repeat(64)), content([passed]));
    const [run] = await s.listRuns({});
    expect(run).toMatchObject({ reports: 2, tests: 2, failed: 1, passed: 1, flaky: 0 });
    const [summary] = await s.listTests({ runId: run?.id });
    expect(summary).toMatchObject({ runs: 1, failedRuns: 1, flakyRuns: 0, lastOutcome: "passed", lastAttempts: 1 });
    // It failed in the run, but its last outcome there is a pass: it is not failing.
    expect(await s.listTests({ runId: run?.id, failing: true })).toEqual([]);
    expect(await s.listTests({ runId: run?.id, withFailuresOnly: true })).toMatchObject([{ lastOutcome: "failed" }]);
    const attempts = await s.db.selectFrom("results").select("attempt").execute();
    expect(attempts.map((a) => a.attempt)).toEqual([1, 1]);

    await s.writeReport(header(runKey({ attempt: 2 }), "e".repeat(64)), content([test]));
    const runs = await s.listRuns({});
    expect(runs.map((r) => r.attempt)).toEqual([2, 1]);
    expect((await s.findRun("4242"))?.attempt).toBe(2);
    expect((await s.findRun(String(runs[1]?.id)))?.attempt).toBe(1);
    expect(await s.findRun("nope")).toBeUndefined();
    expect(await s.findRun("999999")).toBeUndefined();
    expect(await s.findRun("4242", "other/project")).toBeUndefined();
    const history = await s.listTests({ project: "acme/shop" });
    expect(history[0]).toMatchObject({ runs: 2, failedRuns: 2, flakyRuns: 0, lastOutcome: "failed" });
    expect(await s.listTests({ project: "acme/shop", failing: true })).toMatchObject([{ id: test.test.id, runs: 2 }]);
    expect(await s.listTests({ project: "other/project", failing: true })).toEqual([]);
    expect(await s.listRuns({ branch: "develop" })).toHaveLength(0);
    expect(await s.listRuns({ project: "acme/shop", limit: 1 })).toHaveLength(1);
    expect(await s.listTests({ project: "acme/shop", limit: 0 })).toHaveLength(0);
  });

  it("finds a report again in any run whose id it derived, so local re-ingests add nothing", async () => {
    const s = await store();
    const results = normalizedResultFactory.buildList(2, {}, { transient: { project: "acme/shop" } });
    const local = (ciRunId: string): RunKey => runKey({ provider: "local", ciRunId });
    await s.writeReport(header(local("local-aaaaaaaaaaaa"), "3".repeat(64)), content(results));
    const again = await s.writeReport(header(local("local-bbbbbbbbbbbb"), "3".repeat(64)), content(results));
    expect(again.created).toBe(false);
    expect(await s.listRuns({})).toHaveLength(1);
    // An explicit run id is the user's word: the same bytes there are another run's report.
    const explicit = await s.writeReport(header(runKey({ ciRunId: "ci-1" }), "3".repeat(64)), content(results));
    expect(explicit.created).toBe(true);
  });

  it("stores an artifact once when two writers race for the same bytes", async () => {
    const s = await store();
    const sha = "4".repeat(64);
    const open = () => Readable.from([Buffer.from("identical log")]);
    const [a, b] = await Promise.all([
      s.attachLog(runKey({ ciRunId: "race-1" }), "a.log", sha, open),
      s.attachLog(runKey({ ciRunId: "race-2" }), "b.log", sha, open),
    ]);
    expect(a.runId).not.toBe(b.runId);
    expect((await readArtifact(s.db, sha))?.toString()).toBe("identical log");
    expect(await s.db.selectFrom("run_artifacts").selectAll().where("sha256", "=", sha).execute()).toHaveLength(2);
  });

  it("keeps build logs as content-addressed artifacts of the run", async () => {
    const s = await store();
    const log = "step 1\nstep 2: ECONNREFUSED 127.0.0.1:5432\n";
    const sha = "1".repeat(64);
    const { runId } = await s.attachLog(runKey({ ciRunId: "log-run" }), "build.log", sha, () =>
      Readable.from([Buffer.from(log)]),
    );
    await s.attachLog(runKey({ ciRunId: "log-run" }), "build.log", sha, () => Readable.from([Buffer.from(log)]));
    expect((await readArtifact(s.db, sha))?.toString()).toBe(log);
    const links = await s.db.selectFrom("run_artifacts").selectAll().where("run_id", "=", runId).execute();
    expect(links).toEqual([{ run_id: runId, sha256: sha, kind: "log", name: "build.log" }]);
  });

  it("normalizes and stores what the normalizer produces", async () => {
    const s = await store();
    const normalizer = new ReportNormalizer({ project: "acme/shop" });
    const result = normalizer.accept({
      kind: "case",
      suite: ["pkg"],
      name: "works",
      attempts: [{ status: "error", failure: { message: "boom" }, stdout: "out", stderr: "err" }],
      properties: { owner: "team-a" },
      tags: ["slow"],
    });
    if (result === undefined) throw new Error("no result");
    await s.writeReport(header(runKey({ ciRunId: "norm" }), "2".repeat(64)), content([result]));
    const row = await s.db.selectFrom("results").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: "error",
      stdout: "out",
      stderr: "err",
      properties: '{"owner":"team-a"}',
      tags: '["slow"]',
    });
  });
});

describe("openStore failures", () => {
  it("names an unreachable PostgreSQL server", async () => {
    await expect(openStore({ databaseUrl: "postgres://nobody:secret@127.0.0.1:1/none" })).rejects.toMatchObject({
      code: "STORE_UNAVAILABLE",
      message: expect.stringContaining("postgres://nobody:***@127.0.0.1:1/none") as unknown,
    });
  });

  it("refuses a database URL that is not PostgreSQL", async () => {
    await expect(openStore({ databaseUrl: "mysql://x@y/z" })).rejects.toMatchObject({ code: "CONFIG" });
  });

  it("names a SQLite file that cannot be created", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kaizen-notdir-"));
    const notADirectory = join(dir, "plain-file");
    writeFileSync(notADirectory, "not a directory");
    const path = join(notADirectory, "sub", "k.db");
    await expect(openStore({ sqlitePath: path })).rejects.toMatchObject({ code: "STORE_UNAVAILABLE", file: path });
    rmSync(dir, { recursive: true, force: true });
  });
});
