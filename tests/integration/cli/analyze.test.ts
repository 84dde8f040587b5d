import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import { connectionRefused } from "../../factories/failure-text.js";
import { junitCaseFactory, junitSuiteFactory, renderJunitReport } from "../../factories/junit-xml.js";
import { runCli, scratchDir } from "../../support/cli-harness.js";

interface Analysis {
  readonly run: { ciRunId: string };
  readonly failures: number;
  readonly summary: { clusters: number; newRootCauses: number; infrastructure: number; knownFlaky: number };
  readonly clusters: { new: boolean; category: string | null; suggestions: { id: string }[] }[];
}

function report(cwd: string, run: number): string {
  const outage = connectionRefused();
  const cases = [
    junitCaseFactory.build({
      name: "db",
      classname: "Shop",
      outcome: "error",
      type: "Error",
      message: outage.message,
      stack: outage.stack ?? "",
    }),
    junitCaseFactory.build({
      name: "retry",
      classname: "Shop",
      outcome: "passed",
      flaky: 1,
      type: "java.lang.AssertionError",
      message: `expected:<${faker.number.int(9)}> but was:<${faker.number.int({ min: 10, max: 99 })}>`,
      stack: `java.lang.AssertionError\n\tat shop.RetryTest.retry(RetryTest.java:${faker.number.int({ min: 1, max: 99 })})`,
    }),
  ];
  const file = join(cwd, `run-${run}.xml`);
  writeFileSync(file, renderJunitReport([junitSuiteFactory.build({ name: "Shop", cases })]));
  return file;
}

describe("kaizen analyze", () => {
  it("sorts a run's failures into new and known root causes, with suggestions, newest run by default", async () => {
    const cwd = scratchDir();
    const db = join(cwd, "k.db");
    for (const run of [1, 2, 3]) {
      const env = { KAIZEN_BRANCH: "main", KAIZEN_COMMIT: faker.git.commitSha() };
      expect((await runCli(["ingest", report(cwd, run), "--run-id", String(run), "--db", db], { cwd, env })).code).toBe(
        0,
      );
    }
    const first = JSON.parse(
      (await runCli(["analyze", "--run", "1", "--json", "--db", db], { cwd })).stdout,
    ) as Analysis;
    expect(first.summary).toMatchObject({ clusters: 2, newRootCauses: 2, infrastructure: 1 });
    const latest = JSON.parse((await runCli(["analyze", "--json", "--db", db], { cwd })).stdout) as Analysis;
    expect(latest.run.ciRunId).toBe("3");
    expect(latest.failures).toBe(2);
    expect(latest.summary).toMatchObject({ clusters: 2, newRootCauses: 0, knownFlaky: 1 });
    const infra = latest.clusters.find((c) => c.category === "infrastructure");
    expect(infra?.suggestions.map((s) => s.id)).toEqual(["stub-or-retry-network", "retry-infrastructure"]);
    const text = await runCli(["analyze", "--db", db], { cwd });
    expect(text.stdout).toMatch(/^run 3 #1: 2 failures in 2 root causes · 0 new · 1 flaky/m);
    expect(text.stdout).toContain("(known, flaky, 1 known flaky)");
    expect(text.stdout).toContain("→ stub the service");
  });

  it("runs after ingest with --analyze, in text and in JSON", async () => {
    const cwd = scratchDir();
    const db = join(cwd, "k.db");
    const text = await runCli(["ingest", report(cwd, 1), "--run-id", "1", "--analyze", "--db", db], { cwd });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^run 1 #1: 2 failures in 2 root causes · 2 new/m);
    const json = await runCli(["ingest", report(cwd, 2), "--run-id", "2", "--analyze", "--json", "--db", db], { cwd });
    const parsed = JSON.parse(json.stdout) as { analysis: Analysis };
    expect(parsed.analysis.run.ciRunId).toBe("2");
    expect(parsed.analysis.summary.infrastructure).toBe(1);
  });

  it("exits 4 when there is no run to analyze", async () => {
    const cwd = scratchDir();
    const db = join(cwd, "k.db");
    const none = await runCli(["analyze", "--db", db], { cwd });
    expect(none.code).toBe(4);
    expect(none.stderr).toContain("no runs stored yet");
    expect((await runCli(["analyze", "--run", "9", "--db", db], { cwd })).code).toBe(4);
  });
});
