import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import { junitCaseFactory, junitSuiteFactory, renderJunitReport } from "../../factories/junit-xml.js";
import { runCli, scratchDir } from "../../support/cli-harness.js";

interface FlakyJson {
  readonly tests: {
    readonly name: string;
    readonly score: number;
    readonly interval: [number, number];
    readonly flaky: boolean;
    readonly evidence: { verdicts: number; retriedThenPassed: number; unexplainedFailures: number };
  }[];
}

/** One CI run of a fixed suite: `retry` fails once and passes on a rerun when told, `broken` fails from run `breaksAt` on. */
function report(cwd: string, run: number, retried: boolean, breaksAt: number): string {
  const cases = [
    junitCaseFactory.build({ name: "retry", classname: "Shop", outcome: "passed", flaky: retried ? 1 : 0 }),
    // An assertion: the factory's random words could name a host or a condition, which makes the failure the environment's.
    junitCaseFactory.build({
      name: "broken",
      classname: "Shop",
      outcome: run >= breaksAt ? "failed" : "passed",
      type: "java.lang.AssertionError",
      message: "expected <200> but was <500>",
      stack: "java.lang.AssertionError: expected <200> but was <500>\n\tat com.example.Shop.broken(ShopTest.java:42)",
    }),
    junitCaseFactory.build({ name: "steady", classname: "Shop", outcome: "passed" }),
  ];
  const file = join(cwd, `run-${run}.xml`);
  writeFileSync(file, renderJunitReport([junitSuiteFactory.build({ name: "Shop", cases })]));
  return file;
}

describe("kaizen flaky", () => {
  it("ranks the test that passes on retries as flaky and leaves the regression out", async () => {
    const cwd = scratchDir();
    const db = join(cwd, "k.db");
    for (let run = 1; run <= 12; run++) {
      const env = { KAIZEN_BRANCH: "main", KAIZEN_COMMIT: faker.git.commitSha() };
      const file = report(cwd, run, run === 3 || run === 9, 8);
      expect((await runCli(["ingest", file, "--run-id", String(run), "--db", db], { cwd, env })).code).toBe(0);
    }
    const flaky = JSON.parse((await runCli(["flaky", "--json", "--db", db], { cwd })).stdout) as FlakyJson;
    expect(flaky.tests.map((t) => [t.name, t.flaky])).toEqual([["retry", true]]);
    expect(flaky.tests[0]?.evidence).toMatchObject({ verdicts: 12, retriedThenPassed: 2, unexplainedFailures: 0 });
    const all = JSON.parse((await runCli(["flaky", "--all", "--json", "--db", db], { cwd })).stdout) as FlakyJson;
    const broken = all.tests.find((t) => t.name === "broken");
    expect(broken).toMatchObject({ flaky: false, evidence: { unexplainedFailures: 5 } });
    expect(all.tests).toHaveLength(3);

    const table = await runCli(["flaky", "--db", db], { cwd });
    expect(table.stdout).toMatch(/^flaky\s+score\s+90% interval/m);
    expect(table.stdout).toMatch(/^yes\s+\d+\.\d%/m);
    const high = await runCli(["flaky", "--min-score", "0.9", "--db", db], { cwd });
    expect(high.stdout).toContain("No flaky tests");
    expect((await runCli(["flaky", "--branch", "dev", "--json", "--db", db], { cwd })).stdout).toContain('"tests": []');
    expect((await runCli(["flaky", "--min-score", "2"], { cwd })).code).toBe(2);
  });
});
