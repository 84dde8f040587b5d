import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FileSink } from "../../../src/simulate/file-sink.js";
import {
  GROUND_TRUTH_VERSION,
  GroundTruthWriter,
  type GroundTruthFailure,
  type GroundTruthHead,
  type GroundTruthRun,
  type GroundTruthTail,
} from "../../../src/simulate/ground-truth.js";
import { ingestCommandLine, manifestSchema, shellQuote, writeManifest } from "../../../src/simulate/ingest-manifest.js";
import { readManifest } from "../../../src/simulate/ingest-simulation.js";
import { resolveSimulation } from "../../../src/simulate/simulation-options.js";
import { kaizenRejection } from "../../support/kaizen-error.js";

const scratch = (): string => mkdtempSync(join(tmpdir(), "kaizen-simulate-unit-"));

const head: GroundTruthHead = {
  seed: 9,
  parameters: resolveSimulation({ seed: 9, runs: 2, tests: 1 }).parameters,
  tests: [],
  causes: [{ id: "flaky-1", category: "flaky", summary: "a race" }],
  regressions: [],
  testBugs: [],
};

const run: GroundTruthRun = {
  file: "reports/run-0001-a1.xml",
  project: "acme",
  ciRunId: "7100000001",
  attempt: 1,
  commit: "a".repeat(40),
  branch: "feature/it's-quoted",
  pullRequest: 12,
  job: "test",
  startedAt: "2025-03-03T08:00:00.000Z",
  runner: "fv-az1-2",
};

const tail = (runs: GroundTruthRun[]): GroundTruthTail => ({
  runs,
  outages: [],
  environmentProblems: [],
  totals: {
    files: runs.length,
    ciRuns: runs.length,
    reruns: 0,
    tests: 0,
    failures: 0,
    retriedThenPassed: 0,
    failedExecutions: 0,
    flakyTests: 0,
    regressions: 0,
    testBugs: 0,
    outages: 0,
    environmentProblems: 0,
  },
});

describe("GroundTruthWriter", () => {
  it("writes one JSON document, one entry per line, with no failures or many", async () => {
    const dir = scratch();
    const empty = await GroundTruthWriter.open(join(dir, "none.json"), head);
    await empty.finish(tail([]));
    const none = JSON.parse(readFileSync(join(dir, "none.json"), "utf8")) as Record<string, unknown>;
    expect(none).toMatchObject({ version: GROUND_TRUTH_VERSION, seed: 9, failures: [], runs: [] });
    expect(Object.keys(none)).toEqual([
      "version",
      "seed",
      "parameters",
      "tests",
      "causes",
      "regressions",
      "testBugs",
      "failures",
      "runs",
      "outages",
      "environmentProblems",
      "totals",
    ]);

    const writer = await GroundTruthWriter.open(join(dir, "some.json"), head);
    const failure: GroundTruthFailure = {
      run: run.file,
      ciRunId: run.ciRunId,
      attempt: 1,
      test: 0,
      suite: "S",
      name: "n",
      testAttempt: 1,
      status: "failed",
      cause: "flaky-1",
      category: "flaky",
    };
    for (let i = 0; i < 3000; i++) await writer.failure({ ...failure, testAttempt: (i % 3) + 1 });
    await writer.finish(tail([run]));
    const text = readFileSync(join(dir, "some.json"), "utf8");
    const some = JSON.parse(text) as { failures: GroundTruthFailure[]; runs: GroundTruthRun[] };
    expect(some.failures).toHaveLength(3000);
    expect(some.runs).toEqual([run]);
    expect(text.split("\n").filter((line) => line.includes('"cause":"flaky-1"'))).toHaveLength(3000);
  });
});

describe("the run manifest and ingest.sh", () => {
  it("writes runs.json that its schema reads back, and refuses a broken one", async () => {
    const dir = scratch();
    await writeManifest(join(dir, "runs.json"), "acme", [run, { ...run, attempt: 2 }]);
    const manifest = await readManifest(dir);
    expect(manifest.runs.map((r) => r.attempt)).toEqual([1, 2]);
    expect(manifestSchema.parse(JSON.parse(readFileSync(join(dir, "runs.json"), "utf8")))).toEqual(manifest);
    const emptyDir = scratch();
    await writeManifest(join(emptyDir, "runs.json"), "acme", []);
    expect((await readManifest(emptyDir)).runs).toEqual([]);

    const missing = await kaizenRejection(readManifest(scratch()));
    expect(missing.code).toBe("INPUT_UNREADABLE");
    expect(missing.file).toMatch(/runs\.json$/);
    writeFileSync(join(dir, "runs.json"), "{ not json");
    const garbled = await kaizenRejection(readManifest(dir));
    expect([garbled.code, garbled.message]).toEqual(["PARSE_ERROR", expect.stringMatching(/^not JSON/)]);
    writeFileSync(join(dir, "runs.json"), JSON.stringify({ version: 1, project: "acme", runs: [{ file: "x" }] }));
    const wrong = await kaizenRejection(readManifest(dir));
    expect([wrong.code, wrong.message]).toEqual([
      "PARSE_ERROR",
      expect.stringMatching(/^not a simulation run manifest/),
    ]);
  });

  it("quotes what the shell would split or expand, and passes every run flag", () => {
    expect(shellQuote("main")).toBe("main");
    expect(shellQuote("it's a $HOME")).toBe(`'it'\\''s a $HOME'`);
    const line = ingestCommandLine(run);
    expect(line).toBe(
      `$KAIZEN ingest "$DIR"/reports/run-0001-a1.xml --project acme --run-id 7100000001 --attempt 1 --commit ${"a".repeat(40)} --branch 'feature/it'\\''s-quoted' --job test --started-at 2025-03-03T08:00:00.000Z "$@"\n`,
    );
  });
});

describe("FileSink", () => {
  it("writes large texts in chunks, and names a file it cannot open", async () => {
    const dir = scratch();
    const sink = await FileSink.open(join(dir, "big.txt"));
    const line = `${"x".repeat(99)}\n`;
    for (let i = 0; i < 20_000; i++) await sink.write(line);
    await sink.close();
    expect(readFileSync(join(dir, "big.txt"), "utf8")).toHaveLength(2_000_000);
    await expect(FileSink.open(join(dir, "missing", "x.txt"))).rejects.toThrow(/ENOENT/);
  });

  it("raises a write error (a full disk) on the write that meets it and on every later one", async () => {
    const sink = await FileSink.open("/dev/full");
    const chunk = "y".repeat(70_000);
    await expect(sink.write(chunk)).rejects.toThrow(/ENOSPC/);
    await expect(sink.write(chunk)).rejects.toThrow(/ENOSPC/);
    await expect(sink.close()).rejects.toThrow(/ENOSPC/);
  });
});

describe("resolveSimulation", () => {
  it("fills in defaults and scales incident counts with the history", () => {
    const { seed, parameters } = resolveSimulation({});
    expect(seed).toBe(1);
    expect(parameters).toMatchObject({
      runs: 200,
      tests: 300,
      regressions: 4,
      testBugs: 2,
      outages: 2,
      environmentProblems: 1,
    });
    expect(resolveSimulation({ runs: 1 }).parameters).toMatchObject({ regressions: 1, outages: 1, testBugs: 1 });
    expect(resolveSimulation({ runs: 1000, regressions: 0 }).parameters).toMatchObject({ regressions: 0, outages: 10 });
  });

  it("names the option that is out of range, as the caller names it", () => {
    expect(() => resolveSimulation({ runs: 0 })).toThrow(/runs must be an integer from 1 to 100000, got 0/);
    expect(() => resolveSimulation({ tests: 2.5 }, (o) => `--${o}`)).toThrow(/--tests must be an integer/);
    expect(() => resolveSimulation({ flakyShare: 1.5 })).toThrow(/flakyShare must be a number from 0 to 1/);
    expect(() => resolveSimulation({ prShare: Number.NaN })).toThrow(/prShare/);
    expect(() => resolveSimulation({ project: " " })).toThrow(/project must not be empty/);
    expect(() => resolveSimulation({ seed: -1 })).toThrow(/seed/);
  });
});
