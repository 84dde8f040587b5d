import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { GroundTruth } from "../../../src/simulate/ground-truth.js";
import { ingestSimulation } from "../../../src/simulate/ingest-simulation.js";
import { openStore } from "../../../src/store/open-store.js";
import { runCli, scratchDir } from "../../support/cli-harness.js";

interface SummaryJson {
  readonly dir: string;
  readonly seed: number;
  readonly files: number;
  readonly runs: number;
  readonly ciRuns: number;
  readonly reruns: number;
  readonly tests: number;
  readonly failures: number;
  readonly retriedThenPassed: number;
  readonly flakyTests: number;
  readonly regressions: number;
  readonly outages: number;
  readonly parameters: Record<string, unknown>;
  readonly outputs: Record<string, string>;
}

const readTruth = (dir: string): GroundTruth =>
  JSON.parse(readFileSync(join(dir, "ground-truth.json"), "utf8")) as GroundTruth;

/** The `kaizen ingest` arguments of each line of `ingest.sh`, with `$DIR` filled in (the script's words are simple). */
function ingestArguments(dir: string): string[][] {
  return readFileSync(join(dir, "ingest.sh"), "utf8")
    .split("\n")
    .filter((line) => line.startsWith("$KAIZEN ingest "))
    .map((line) =>
      [...line.replace(/ "\$@"$/, "").matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)]
        .map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : (m[2] ?? "")))
        .slice(1)
        .map((word) => word.replace('"$DIR"', dir)),
    );
}

describe("kaizen simulate", () => {
  it("writes a history, prints its summary as JSON, and the store holds what the ground truth says after ingest", async () => {
    const cwd = scratchDir();
    const run = await runCli(
      [
        "simulate",
        "--out",
        "sim",
        "--runs",
        "60",
        "--tests",
        "120",
        "--seed",
        "9",
        "--flaky-share",
        "0.1",
        "--regressions",
        "3",
        "--outages",
        "2",
        "--pr-share",
        "0.3",
        "--json",
      ],
      { cwd },
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as SummaryJson;
    const dir = join(cwd, "sim");
    const truth = readTruth(dir);
    expect(summary).toMatchObject({
      dir,
      seed: 9,
      runs: truth.runs.length,
      files: truth.runs.length,
      ciRuns: 60,
      tests: 120,
      failures: truth.failures.length,
      flakyTests: truth.tests.filter((t) => t.flaky).length,
      regressions: truth.regressions.length,
      outages: 2,
    });
    expect(summary.parameters).toMatchObject({ runs: 60, tests: 120, flakyShare: 0.1, prShare: 0.3, regressions: 3 });
    expect(summary.outputs.groundTruth).toBe(join(dir, "ground-truth.json"));

    const store = await openStore({ sqlitePath: join(cwd, "kaizen.db") });
    try {
      const ingested = await ingestSimulation(store, dir);
      expect(ingested.failed).toBe(0);
      const runs = await store.listRuns({ limit: 10_000 });
      expect(runs).toHaveLength(truth.runs.length);
      expect(runs.map((r) => `${r.ciRunId}#${r.attempt}@${r.commitSha}:${r.branch}`).sort()).toEqual(
        truth.runs.map((r) => `${r.ciRunId}#${r.attempt}@${r.commit}:${r.branch}`).sort(),
      );
      expect(runs.reduce((sum, r) => sum + r.flaky, 0)).toBe(truth.totals.retriedThenPassed);
      expect(runs.reduce((sum, r) => sum + r.failed + r.errors, 0)).toBe(truth.totals.failedExecutions);
      const failures = await store.listFailures({ limit: 1_000_000 });
      const stored = failures
        .map((f) => `${f.ciRunId}#${f.attempt}|${f.test.suite}|${f.test.name}|${f.testAttempt}`)
        .sort();
      expect(stored).toEqual(
        truth.failures.map((f) => `${f.ciRunId}#${f.attempt}|${f.suite}|${f.name}|${f.testAttempt}`).sort(),
      );
      const files = new Set(failures.map((f) => f.test.file));
      expect([...files].every((file) => truth.tests.some((t) => t.file === file))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it("makes ingest.sh call kaizen ingest with flags it accepts, one run after another", async () => {
    const cwd = scratchDir();
    expect(
      (await runCli(["simulate", "--out", "sim", "--runs", "5", "--tests", "30", "--seed", "2"], { cwd })).code,
    ).toBe(0);
    const dir = join(cwd, "sim");
    const truth = readTruth(dir);
    const lines = ingestArguments(dir);
    expect(lines).toHaveLength(truth.runs.length);
    for (const args of lines) {
      const ingest = await runCli([...args, "--db", "kaizen.db", "--json"], { cwd });
      expect(ingest.stderr).toBe("");
      expect(ingest.code).toBe(0);
    }
    const runs = JSON.parse((await runCli(["runs", "--json", "--db", "kaizen.db"], { cwd })).stdout) as {
      runs: { ciRunId: string; attempt: number; tests: number; startedAt: string; job: string }[];
    };
    expect(runs.runs.map((r) => `${r.ciRunId}#${r.attempt}`).sort()).toEqual(
      truth.runs.map((r) => `${r.ciRunId}#${r.attempt}`).sort(),
    );
    for (const stored of runs.runs) {
      const expected = truth.runs.find((r) => r.ciRunId === stored.ciRunId && r.attempt === stored.attempt);
      expect(stored).toMatchObject({ tests: 30, startedAt: expected?.startedAt, job: "test" });
    }
  });

  it("prints a human summary, and its help names every flag and output file", async () => {
    const cwd = scratchDir();
    const run = await runCli(["simulate", "--out", "out/sim", "--runs", "4", "--tests", "12", "--project", "shop"], {
      cwd,
      interactive: true,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Simulated \d+ runs \(4 CI runs, \d+ re-runs\) × 12 tests into out\/sim$/m);
    expect(run.stdout).toContain("ground truth  out/sim/ground-truth.json");
    expect(readTruth(join(cwd, "out/sim")).runs.every((r) => r.project === "shop")).toBe(true);
    const here = scratchDir();
    const one = await runCli(["simulate", "--out", ".", "--runs", "1", "--tests", "1", "--flaky-share", "0"], {
      cwd: here,
    });
    expect(one.stdout).toMatch(/^Simulated 1 run \(1 CI runs, 0 re-runs\) × 1 tests into \.$/m);
    const help = await runCli(["simulate", "--help"], { cwd });
    expect(help.code).toBe(0);
    for (const flag of [
      "--out <dir>",
      "--runs <n>",
      "--tests <n>",
      "--seed <n>",
      "--flaky-share <x>",
      "--regressions <k>",
      "--outages <k>",
      "--pr-share <x>",
      "--json",
    ])
      expect(help.stdout).toContain(flag);
    for (const file of ["ground-truth.json", "runs.json", "ingest.sh", "reports/"]) expect(help.stdout).toContain(file);
  });

  it("exits 2 on a bad flag, naming it, and on an --out it cannot write, naming the path", async () => {
    const cwd = scratchDir();
    for (const [args, message] of [
      [["--runs", "ten"], '--runs must be a whole number, got "ten"'],
      [["--tests", "0"], "--tests must be an integer from 1 to 100000, got 0"],
      [["--flaky-share", "1.2"], "--flaky-share must be a number from 0 to 1, got 1.2"],
      [["--pr-share", "-1"], '--pr-share must be a number from 0 to 1, got "-1"'],
      [["--seed", "1.5"], '--seed must be a whole number, got "1.5"'],
      [["--regressions", "-3"], '--regressions must be a whole number, got "-3"'],
      [["--project", " "], "--project must not be empty"],
    ] as const) {
      const run = await runCli(["simulate", "--out", "sim", ...args], { cwd });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
    }
    expect((await runCli(["simulate"], { cwd })).code).toBe(2);
    expect((await runCli(["simulate", "--out", "x", "--no-such-flag"], { cwd })).code).toBe(2);
    writeFileSync(join(cwd, "taken"), "a file, not a directory");
    const blocked = await runCli(["simulate", "--out", "taken/sim"], { cwd });
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toContain(`${join(cwd, "taken/sim")}: cannot write the simulation here`);
  });
});
