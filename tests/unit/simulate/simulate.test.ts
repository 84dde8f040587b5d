import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { NormalizedTestResult } from "../../../src/domain/test-result.js";
import { parseReport, prepareReport } from "../../../src/ingest/ingest.js";
import type { ReportHeader, RunWriter, StoredReport } from "../../../src/store/ports.js";
import type { GroundTruth } from "../../../src/simulate/ground-truth.js";
import { ingestSimulation } from "../../../src/simulate/ingest-simulation.js";
import { simulate } from "../../../src/simulate/simulate.js";
import { kaizenRejection } from "../../support/kaizen-error.js";

const scratch = (): string => mkdtempSync(join(tmpdir(), "kaizen-simulate-"));

/** Every file below `dir`, relative, with its bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    if (statSync(path).isFile()) files.set(name, readFileSync(path));
  }
  return files;
}

const readTruth = (dir: string): GroundTruth =>
  JSON.parse(readFileSync(join(dir, "ground-truth.json"), "utf8")) as GroundTruth;

const OPTIONS = { seed: 17, runs: 120, tests: 160, regressions: 4, outages: 2, testBugs: 2, environmentProblems: 2 };

describe("simulate", { timeout: 60_000 }, () => {
  let dir: string;
  let truth: GroundTruth;
  const progress: number[] = [];

  beforeAll(async () => {
    dir = scratch();
    await simulate(dir, OPTIONS, { onProgress: (done) => progress.push(done) });
    truth = readTruth(dir);
  }, 60_000);

  it("writes byte-identical files for the same options, and different ones for another seed", async () => {
    const again = scratch();
    await simulate(again, OPTIONS);
    const a = snapshot(dir);
    const b = snapshot(again);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [name, bytes] of a) expect(b.get(name)?.equals(bytes), name).toBe(true);
    const other = scratch();
    await simulate(other, { ...OPTIONS, seed: 18 });
    expect(readFileSync(join(other, "ground-truth.json")).equals(a.get("ground-truth.json") as Buffer)).toBe(false);
    expect(
      readFileSync(join(other, "reports/run-0001-a1.xml")).equals(a.get("reports/run-0001-a1.xml") as Buffer),
    ).toBe(false);
    expect(progress).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
  });

  it("writes reports Kaizen's own parser reads without an error, with exactly the ground truth's failures", async () => {
    const expected = new Map<string, string[]>();
    for (const f of truth.failures) {
      const list = expected.get(f.run) ?? [];
      list.push(`${f.suite}|${f.name}|${f.testAttempt}|${f.status}`);
      expected.set(f.run, list);
    }
    for (const run of truth.runs) {
      expect((await prepareReport(run.file, dir)).parser.format).toBe("junit-xml");
      const parsed = await parseReport(run.file, { project: "p", rootDirs: [], cwd: dir });
      expect(parsed.results).toHaveLength(truth.tests.length);
      const failures = parsed.results.flatMap((r: NormalizedTestResult) =>
        r.attempts
          .filter((a) => a.status === "failed" || a.status === "error")
          .map((a) => `${r.test.suite}|${r.test.name}|${a.attempt}|${a.status}`),
      );
      expect(failures.sort()).toEqual((expected.get(run.file) ?? []).sort());
    }
  });

  it("fails a regression's tests on exactly the commits that contain it", () => {
    const runsByFile = new Map(truth.runs.map((r) => [r.file, r]));
    expect(truth.regressions.length).toBeGreaterThan(0);
    for (const regression of truth.regressions) {
      const affected = new Set(regression.affectedCommits);
      const hits = truth.failures.filter((f) => f.cause === regression.id);
      for (const hit of hits) expect(affected.has(runsByFile.get(hit.run)?.commit ?? "")).toBe(true);
      // CI ran on the commit that introduced it, so it was seen at least once.
      const onAffected = truth.runs.filter((r) => affected.has(r.commit));
      expect(onAffected.length).toBeGreaterThan(0);
      expect(onAffected.some((r) => r.commit === regression.introducedIn)).toBe(true);
      for (const run of onAffected) {
        for (const test of regression.tests) {
          // Every attempt fails: with this regression, or with an outage or broken runner that hit the test first.
          const failed = truth.failures.filter((f) => f.run === run.file && f.test === test);
          expect(failed.map((f) => f.testAttempt)).toEqual([1, 2, 3]);
          expect(
            failed.every((f) => f.cause === regression.id || /^(outage|environment|test-bug)-/.test(f.cause)),
          ).toBe(true);
        }
      }
      if (regression.fixedIn !== null) expect(affected.has(regression.fixedIn)).toBe(false);
      expect(truth.causes.find((c) => c.id === regression.id)?.category).toBe("regression");
    }
  });

  it("fails many tests at once in an outage, with one cause", () => {
    expect(truth.outages.length).toBe(2);
    const hit = truth.outages.filter((o) => o.runs.length > 0);
    expect(hit.length).toBeGreaterThan(0);
    for (const outage of hit) {
      const perRun = new Map<string, Set<number>>();
      for (const f of truth.failures.filter((x) => x.cause === outage.id)) {
        expect(f.category).toBe("infrastructure");
        perRun.set(f.run, (perRun.get(f.run) ?? new Set()).add(f.test));
      }
      expect(Math.max(...[...perRun.values()].map((tests) => tests.size))).toBeGreaterThanOrEqual(
        Math.min(5, outage.tests.length),
      );
      expect([...perRun.keys()].sort()).toEqual([...outage.runs].sort());
    }
  });

  it("keeps its ground truth consistent: runs, re-runs, causes, tests and totals", () => {
    const files = new Set(truth.runs.map((r) => r.file));
    expect(files.size).toBe(truth.runs.length);
    expect(truth.totals).toMatchObject({
      files: truth.runs.length,
      ciRuns: 120,
      failures: truth.failures.length,
      tests: 160,
    });
    const causes = new Map(truth.causes.map((c) => [c.id, c.category]));
    for (const f of truth.failures) {
      expect(files.has(f.run)).toBe(true);
      expect(causes.get(f.cause)).toBe(f.category);
      expect(truth.tests[f.test]?.name).toBe(f.name);
    }
    const reruns = truth.runs.filter((r) => r.attempt > 1);
    expect(reruns.length).toBe(truth.totals.reruns);
    for (const rerun of reruns) {
      const previous = truth.runs.find((r) => r.ciRunId === rerun.ciRunId && r.attempt === rerun.attempt - 1);
      expect(previous?.commit).toBe(rerun.commit);
      expect(Date.parse(rerun.startedAt)).toBeGreaterThan(Date.parse(previous?.startedAt ?? ""));
    }
    for (const test of truth.tests) {
      expect(test.flaky).toBe(test.flakeRate > 0);
      expect(test.flaky).toBe(test.flakeCause !== null);
      if (!test.flaky)
        expect(truth.failures.some((f) => f.test === test.id && /^(flaky|timeout)-/.test(f.cause))).toBe(false);
    }
    expect(truth.failures.some((f) => f.category === "flaky")).toBe(true);
    const manifest = JSON.parse(readFileSync(join(dir, "runs.json"), "utf8")) as { runs: unknown[] };
    expect(manifest.runs).toEqual(truth.runs);
    const script = readFileSync(join(dir, "ingest.sh"), "utf8");
    expect(script.split("\n").filter((line) => line.startsWith("$KAIZEN ingest "))).toHaveLength(truth.runs.length);
    expect(statSync(join(dir, "ingest.sh")).mode & 0o111).not.toBe(0);
  });

  it("replaces the reports of an earlier simulation and leaves other files alone", async () => {
    const out = scratch();
    mkdirSync(join(out, "reports"));
    writeFileSync(join(out, "reports", "run-9999-a1.xml"), "<stale/>");
    writeFileSync(join(out, "reports", "notes.txt"), "mine");
    await simulate(out, { runs: 3, tests: 10 });
    const names = readdirSync(join(out, "reports"));
    expect(names).not.toContain("run-9999-a1.xml");
    expect(names).toContain("notes.txt");
    expect(names.filter((n) => n.endsWith(".xml")).length).toBeGreaterThanOrEqual(3);
  });

  it("refuses an output it cannot write, naming it, and options out of range", async () => {
    const parent = scratch();
    writeFileSync(join(parent, "a-file"), "");
    const blocked = await kaizenRejection(simulate(join(parent, "a-file", "sim"), { runs: 2, tests: 5 }));
    expect(blocked.code).toBe("USAGE");
    expect(blocked.describe()).toMatch(/a-file\/sim: cannot write the simulation here: ENOTDIR/);
    const range = await kaizenRejection(simulate(scratch(), { tests: 0 }));
    expect(range.message).toContain("tests must be an integer from 1");
    const occupied = scratch();
    mkdirSync(join(occupied, "ground-truth.json"));
    const midway = await kaizenRejection(simulate(occupied, { runs: 2, tests: 5 }));
    expect([midway.code, midway.file]).toEqual(["USAGE", occupied]);
    expect(midway.message).toMatch(/EISDIR/);
    // What is not a file-system error is no usage error: it goes on as it is.
    const bug = new Error("a bug in a progress callback");
    await expect(
      simulate(
        scratch(),
        { runs: 2, tests: 5 },
        {
          onProgress: () => {
            throw bug;
          },
        },
      ),
    ).rejects.toBe(bug);
    const nested = join(scratch(), "a", "b");
    await simulate(nested, { runs: 1, tests: 3 });
    expect(readTruth(nested).runs.length).toBeGreaterThanOrEqual(1);
  });
});

/** An in-memory {@link RunWriter}: keeps what each report produced. */
class MemoryRunWriter implements RunWriter {
  readonly reports: { header: ReportHeader; results: NormalizedTestResult[] }[] = [];

  async writeReport(header: ReportHeader, content: Parameters<RunWriter["writeReport"]>[1]): Promise<StoredReport> {
    const results: NormalizedTestResult[] = [];
    const { summary } = await content.produce({
      add: (result) => {
        results.push(result);
        return Promise.resolve();
      },
    });
    this.reports.push({ header, results });
    return { runId: this.reports.length, reportId: this.reports.length, created: true, summary };
  }

  attachLog(): Promise<{ runId: number }> {
    return Promise.resolve({ runId: 0 });
  }
}

describe("ingestSimulation", { timeout: 60_000 }, () => {
  it("ingests every run in order with the metadata ingest.sh passes", async () => {
    const dir = scratch();
    await simulate(dir, { seed: 3, runs: 25, tests: 40 });
    const truth = readTruth(dir);
    const writer = new MemoryRunWriter();
    const seen: number[] = [];
    const result = await ingestSimulation(writer, dir, { onProgress: (done, total) => seen.push(done / total) });
    expect(result.failed).toBe(0);
    expect(seen.at(-1)).toBe(1);
    expect(
      writer.reports.map((r) => [
        r.header.run.ciRunId,
        r.header.run.attempt,
        r.header.run.commitSha,
        r.header.run.branch,
      ]),
    ).toEqual(truth.runs.map((r) => [r.ciRunId, r.attempt, r.commit, r.branch]));
    expect(writer.reports.every((r) => r.results.length === 40)).toBe(true);
    expect(result.totals.flaky).toBe(truth.totals.retriedThenPassed);
    expect(result.totals.failed + result.totals.errors).toBe(truth.totals.failedExecutions);
  });

  it("counts a report that is gone as failed and goes on with the rest", async () => {
    const dir = scratch();
    await simulate(dir, { seed: 4, runs: 4, tests: 10 });
    const truth = readTruth(dir);
    writeFileSync(join(dir, truth.runs[1]?.file ?? ""), "not xml at all");
    const result = await ingestSimulation(new MemoryRunWriter(), dir);
    expect(result.failed).toBe(1);
    expect(result.runs).toHaveLength(truth.runs.length);
  });
});
