import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { GroundTruth } from "../../src/simulate/ground-truth.js";

const root = resolve(import.meta.dirname, "../..");
const bin = join(root, "dist/cli/bin.js");

describe("a simulated history's ingest.sh", () => {
  it("ingests every run with the built kaizen, in order, passing on its flags", () => {
    const cwd = mkdtempSync(join(tmpdir(), "kaizen-e2e-simulate-"));
    const env = { PATH: process.env.PATH ?? "", HOME: cwd };
    const simulate = spawnSync(
      process.execPath,
      [bin, "simulate", "--out", "sim", "--runs", "4", "--tests", "30", "--seed", "4"],
      {
        cwd,
        env,
        encoding: "utf8",
      },
    );
    expect(simulate.stderr).toBe("");
    expect(simulate.status).toBe(0);
    const truth = JSON.parse(readFileSync(join(cwd, "sim", "ground-truth.json"), "utf8")) as GroundTruth;
    // Run from another directory: the script finds its reports, and --db stays relative to where it was called.
    const script = spawnSync("sh", [join(cwd, "sim", "ingest.sh"), "--db", "history.db", "--json"], {
      cwd,
      env: { ...env, KAIZEN: `${process.execPath} ${bin}` },
      encoding: "utf8",
      timeout: 110_000,
    });
    expect(script.stderr).toBe("");
    expect(script.status).toBe(0);
    const runs = spawnSync(process.execPath, [bin, "runs", "--db", "history.db", "--json"], {
      cwd,
      env,
      encoding: "utf8",
    });
    const stored = (JSON.parse(runs.stdout) as { runs: { ciRunId: string; attempt: number; flaky: number }[] }).runs;
    expect(stored.map((r) => `${r.ciRunId}#${r.attempt}`).sort()).toEqual(
      truth.runs.map((r) => `${r.ciRunId}#${r.attempt}`).sort(),
    );
    expect(stored.reduce((sum, r) => sum + r.flaky, 0)).toBe(truth.totals.retriedThenPassed);
  });
});
