import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { PARSE_THREAD_MIN_BYTES } from "../../src/ingest/parse-in-thread.js";
import { caseSpecFactory, junitXml, type CaseSpec } from "../factories/test-report.js";

const root = resolve(import.meta.dirname, "../..");
const bin = join(root, "dist/cli/bin.js");
const dir = mkdtempSync(join(tmpdir(), "kaizen-thread-"));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the built CLI; `NODE_DEBUG=worker` makes Node say on stderr when it starts a thread. */
function kaizen(args: readonly string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: dir, NODE_DEBUG: "worker", ...env },
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const parseThreadsStarted = (stderr: string): number =>
  stderr.match(/instantiating Worker\. url: \S*parse-worker\.js/g)?.length ?? 0;
const startedParseThread = (stderr: string): boolean => parseThreadsStarted(stderr) > 0;

/** A JUnit report just over the size from which ingest parses in a thread, with failures and retries. */
function largeReport(name: string): string {
  const cases: CaseSpec[] = [];
  const path = join(dir, name);
  let text = "";
  while (Buffer.byteLength(text) < PARSE_THREAD_MIN_BYTES + 64 * 1024) {
    for (const spec of caseSpecFactory.buildList(2_000)) {
      const n = cases.length;
      cases.push({ ...spec, statuses: n % 97 === 0 ? ["failed", "passed"] : n % 89 === 0 ? ["error"] : ["passed"] });
    }
    text = junitXml(cases);
  }
  writeFileSync(path, text);
  return path;
}

/** Everything ingest stored, without the times of day it stored it at. */
function storedRows(db: string): Record<"tests" | "results" | "failures" | "executions" | "reports", unknown[]> {
  const connection = new BetterSqlite3(db, { readonly: true });
  try {
    const all = (query: string): unknown[] => connection.prepare(query).all();
    return {
      tests: all(`select id, project_id, suite, name, file, line from tests order by id`),
      results: all(
        `select run_id, report_id, test_id, seq, attempt, status, duration_ms, started_at, skip_reason, stdout, stderr, properties, tags
         from results order by id`,
      ),
      failures: all(
        `select f.test_id, r.seq, f.type, f.message, f.stack, f.passed_on_retry, f.category
         from failures f join results r on r.id = f.result_id order by f.id`,
      ),
      executions: all(`select * from test_executions order by report_id, test_id`),
      reports: all(
        `select run_id, sha256, format, tests, passed, failed, errors, skipped, flaky, attempts from reports order by id`,
      ),
    };
  } finally {
    connection.close();
  }
}

describe("ingest of a large report, parsed in a thread of its own", () => {
  const report = largeReport("large.xml");

  it("stores exactly what parsing in the storing thread stores, for new tests and for known ones", () => {
    expect(statSync(report).size).toBeGreaterThanOrEqual(PARSE_THREAD_MIN_BYTES);
    const threaded = join(dir, "threaded.db");
    const inline = join(dir, "inline.db");
    for (const run of ["first", "second"]) {
      const withThread = kaizen(["ingest", report, "--db", threaded, "--run-id", run, "--json"]);
      expect(withThread.code).toBe(0);
      expect(startedParseThread(withThread.stderr)).toBe(true);
      const without = kaizen(["ingest", report, "--db", inline, "--run-id", run, "--json"], {
        KAIZEN_PARSE_THREAD: "off",
      });
      expect(without.code).toBe(0);
      expect(startedParseThread(without.stderr)).toBe(false);
      const stored = JSON.parse(withThread.stdout) as { totals: { tests: number; flaky: number } };
      expect(stored.totals.tests).toBeGreaterThan(20_000);
      expect(stored.totals.flaky).toBeGreaterThan(200);
    }
    const expected = storedRows(inline);
    expect(expected.executions).toHaveLength(2 * expected.tests.length);
    expect(storedRows(threaded)).toEqual(expected);
  });

  it("starts the thread while it hashes the report and parses in that one, and ends one that no report took", () => {
    const db = join(dir, "warm.db");
    const first = kaizen(["ingest", report, "--db", db, "--run-id", "warm", "--json"]);
    expect(first.code).toBe(0);
    expect(parseThreadsStarted(first.stderr)).toBe(1);
    expect((JSON.parse(first.stdout) as { totals: { tests: number } }).totals.tests).toBeGreaterThan(20_000);
    // Stored already: the thread started for it parses nothing, and the command still ends.
    const again = kaizen(["ingest", report, "--db", db, "--run-id", "warm", "--json"]);
    expect(again.code).toBe(0);
    expect(parseThreadsStarted(again.stderr)).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ files: [{ status: "duplicate" }], totals: { tests: 0 } });
    expect(storedRows(db).reports).toHaveLength(1);
  });

  it("names the file and line of a broken large report, stores the good one beside it, and nothing of the broken", () => {
    const text = junitXml(caseSpecFactory.buildList(40_000));
    const broken = join(dir, "broken.xml");
    // Cut inside a tag, past the size from which a thread parses it.
    writeFileSync(
      broken,
      `${text.slice(0, PARSE_THREAD_MIN_BYTES + 1000).replace(/<[^<]*$/, "")}<testcase name="x" <oops`,
    );
    const db = join(dir, "broken.db");
    const outcome = kaizen(["ingest", broken, report, "--db", db, "--run-id", "mixed"]);
    expect(outcome.code).toBe(1);
    expect(startedParseThread(outcome.stderr)).toBe(true);
    expect(outcome.stderr).toMatch(/broken\.xml:\d+(:\d+)?: malformed XML/);
    const rows = storedRows(db);
    expect(rows.reports).toHaveLength(1);
    expect((rows.reports[0] as { sha256: string }).sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(rows.results.length).toBeGreaterThan(20_000);
    expect(new Set((rows.results as { report_id: number }[]).map((r) => r.report_id)).size).toBe(1);
  });
});
