import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import { analyzeRun } from "../../../src/cli/commands/analyze.js";
import { openStore } from "../../../src/store/open-store.js";
import { junitCaseFactory, junitSuiteFactory, renderJunitReport } from "../../factories/junit-xml.js";
import { runCli, scratchDir } from "../../support/cli-harness.js";

interface Analysis {
  readonly failures: number;
  readonly summary: { clusters: number; knownFlaky: number };
  readonly clusters: { title: string; failures: number; knownFlakyTests: number }[];
}

interface Flaky {
  readonly tests: { name: string; flaky: boolean }[];
}

/**
 * One CI job's report. `payment` fails in the first job on every commit and passes in the
 * second (a failure the same code passed: flaky); `broken` fails in every job from run 5 on
 * (a regression); `steady` always passes.
 */
function report(cwd: string, run: number): string {
  const firstJob = run % 2 === 1;
  const assertion = (test: string) => ({
    type: "java.lang.AssertionError",
    message: `expected:<${faker.number.int(9)}> but was:<${faker.number.int({ min: 10, max: 99 })}>`,
    stack: `java.lang.AssertionError\n\tat shop.${test}Test.${test}(${test}Test.java:${faker.number.int({ min: 1, max: 99 })})`,
  });
  const cases = [
    junitCaseFactory.build({
      name: "payment",
      classname: "Shop",
      outcome: firstJob ? "failed" : "passed",
      ...assertion("Payment"),
    }),
    junitCaseFactory.build({
      name: "broken",
      classname: "Shop",
      outcome: run >= 5 ? "failed" : "passed",
      ...assertion("Broken"),
    }),
    junitCaseFactory.build({ name: "steady", classname: "Shop", outcome: "passed" }),
  ];
  const file = join(cwd, `run-${run}.xml`);
  writeFileSync(file, renderJunitReport([junitSuiteFactory.build({ name: "Shop", cases })]));
  return file;
}

describe("kaizen analyze over a history", () => {
  it("calls a failing test known flaky exactly when kaizen flaky does", async () => {
    const cwd = scratchDir();
    const db = join(cwd, "k.db");
    const commits = Array.from({ length: 6 }, () => faker.git.commitSha());
    for (let run = 1; run <= 11; run++) {
      // Two jobs (two CI runs) per commit.
      const env = { KAIZEN_BRANCH: "main", KAIZEN_COMMIT: commits[Math.floor((run - 1) / 2)] };
      const ingested = await runCli(["ingest", report(cwd, run), "--run-id", String(run), "--db", db], { cwd, env });
      expect(ingested.code).toBe(0);
    }
    const analysis = JSON.parse((await runCli(["analyze", "--json", "--db", db], { cwd })).stdout) as Analysis;
    const flaky = JSON.parse((await runCli(["flaky", "--all", "--json", "--db", db], { cwd })).stdout) as Flaky;
    expect(flaky.tests.filter((t) => t.flaky).map((t) => t.name)).toEqual(["payment"]);
    expect(analysis.failures).toBe(2);
    expect(analysis.summary).toMatchObject({ clusters: 2, knownFlaky: 1 });
    expect(analysis.clusters.map((c) => [c.title.includes("Payment"), c.knownFlakyTests]).sort()).toEqual([
      [false, 0],
      [true, 1],
    ]);
  });

  it("counts failures no cluster holds without grouping them, tags unclassified root causes, refuses unknown runs", async () => {
    const cwd = scratchDir();
    const db = join(cwd, "k.db");
    const env = { KAIZEN_BRANCH: "main", KAIZEN_COMMIT: faker.git.commitSha() };
    expect((await runCli(["ingest", report(cwd, 5), "--run-id", "5", "--db", db], { cwd, env })).code).toBe(0);
    const store = await openStore({ sqlitePath: db });
    try {
      // What a store holds while its clusters are rebuilt, or after a person clears a category.
      const [first] = await store.listFailures({});
      await store.db
        .updateTable("failures")
        .set({ cluster_id: null })
        .where("id", "=", first?.id ?? 0)
        .execute();
      await store.db.updateTable("clusters").set({ category: null, category_source: null }).execute();
      const [run] = await store.listRuns({});
      const analysis = await analyzeRun(store, run?.id ?? 0);
      expect(analysis.failures).toBe(2);
      expect(analysis.summary).toMatchObject({ clusters: 1, newRootCauses: 1, unclassified: 1 });
      await expect(analyzeRun(store, 999_999)).rejects.toMatchObject({ code: "NOT_FOUND" });
    } finally {
      await store.close();
    }
    const text = await runCli(["analyze", "--db", db], { cwd });
    expect(text.stdout).toMatch(/^run 5 #1: 2 failures in 1 root causes .* 1 unclassified$/m);
    expect(text.stdout).toMatch(/^ {2}cluster \d+ \(new, unclassified\) ×1: /m);
  });
});
