import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { caseSpecFactory, junitXml } from "../factories/test-report.js";

const root = resolve(import.meta.dirname, "../..");
const bin = join(root, "dist/cli/bin.js");

function kaizen(args: readonly string[], options: { cwd: string; env?: Record<string, string> }) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: options.cwd, ...options.env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the built kaizen binary", () => {
  it("is built (npm test builds before running the suites)", () => {
    expect(existsSync(bin)).toBe(true);
  });

  it("ingests the bundled examples on the embedded default database, as the quick start does", () => {
    const cwd = mkdtempSync(join(tmpdir(), "kaizen-e2e-"));
    const first = kaizen(["ingest", join(root, "examples/reports"), "--analyze"], { cwd });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Ingested \d+ reports into run local-[0-9a-f]{12}/);
    expect(first.stdout).toContain("Passed only on retry");
    // What it learned: root causes with their categories and suggestions.
    expect(first.stdout).toMatch(/^run local-[0-9a-f]{12} #1: \d+ failures in \d+ root causes · \d+ new/m);
    expect(first.stdout).toMatch(/^ {2}cluster \d+ \(new, infrastructure\)/m);
    expect(first.stdout).toContain("→ ");
    expect(existsSync(join(cwd, ".kaizen/kaizen.db"))).toBe(true);
    const again = kaizen(["ingest", join(root, "examples/reports")], { cwd });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("were already stored for this run and added nothing");
    const runs = JSON.parse(kaizen(["runs", "--json"], { cwd }).stdout) as { runs: unknown[] };
    expect(runs.runs).toHaveLength(1);
  });

  it("prints no colour when not on a terminal, and help for every command", () => {
    const cwd = mkdtempSync(join(tmpdir(), "kaizen-e2e-"));
    for (const command of [
      [],
      ["ingest"],
      ["parse"],
      ["runs"],
      ["tests"],
      ["failures"],
      ["clusters"],
      ["cluster", "show"],
      ["recluster"],
      ["rules"],
      ["label"],
      ["flaky"],
      ["explain"],
      ["test", "show"],
      ["analyze"],
      ["templates"],
      ["db", "migrate"],
    ]) {
      const help = kaizen([...command, "--help"], { cwd });
      expect(help.code).toBe(0);
      expect(help.stdout).toContain("Usage: kaizen");
      expect(help.stdout).not.toContain("\u001b[");
    }
  });

  it("exits 1 and names each bad file, 2 on a wrong flag, 3 when the database is down", () => {
    const cwd = mkdtempSync(join(tmpdir(), "kaizen-e2e-"));
    writeFileSync(join(cwd, "good.xml"), junitXml(caseSpecFactory.buildList(4)));
    writeFileSync(join(cwd, "bad.json"), '{"numTotalTests": 3, "testResults": [');
    const ingest = kaizen(["ingest", "good.xml", "bad.json", "--run-id", "e2e-1"], { cwd });
    expect(ingest.code).toBe(1);
    expect(ingest.stderr).toMatch(/bad\.json:\d+:\d+: truncated JSON/);
    expect(ingest.stdout).toContain("tests 4");
    expect(kaizen(["runs", "--no-such-flag"], { cwd }).code).toBe(2);
    const down = kaizen(["runs"], { cwd, env: { KAIZEN_DATABASE_URL: "postgres://k:pw@127.0.0.1:1/k" } });
    expect(down.code).toBe(3);
    expect(down.stderr).toContain("cannot reach the database");
  });

  it("stores into PostgreSQL when KAIZEN_DATABASE_URL is set", () => {
    const cwd = mkdtempSync(join(tmpdir(), "kaizen-e2e-"));
    writeFileSync(join(cwd, "r.xml"), junitXml(caseSpecFactory.buildList(5)));
    const env = { KAIZEN_DATABASE_URL: inject("postgresUrl") };
    const runId = `e2e-pg-${Date.now()}`;
    const ingest = kaizen(["ingest", "r.xml", "--run-id", runId, "--project", "e2e"], { cwd, env });
    expect(ingest.code).toBe(0);
    const runs = JSON.parse(kaizen(["runs", "--json", "--project", "e2e"], { cwd, env }).stdout) as {
      runs: { ciRunId: string; tests: number }[];
    };
    expect(runs.runs.find((run) => run.ciRunId === runId)?.tests).toBe(5);
  });
});
