import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import { junitCaseFactory, junitSuiteFactory, renderJunitReport } from "../../factories/junit-xml.js";
import { runCli, scratchDir } from "../../support/cli-harness.js";

/** Two runs of a suite: `retry` fails then passes on a rerun each time, `mute` fails with no message. */
async function history(cwd: string, db: string): Promise<void> {
  for (let run = 1; run <= 2; run++) {
    const cases = [
      // An assertion, not a timeout: a timeout that passed on retry is categorized a timeout.
      junitCaseFactory.build({
        name: "retry_50%",
        classname: "Shop",
        outcome: "passed",
        flaky: 1,
        type: "java.lang.AssertionError",
        message: `expected <${faker.number.int(9)}> but was <${faker.number.int({ min: 10, max: 99 })}>`,
        stack: `java.lang.AssertionError\n\tat shop.RetryTest.retry(RetryTest.java:${faker.number.int({ min: 1, max: 99 })})`,
      }),
      junitCaseFactory.build({ name: "mute", classname: "Shop", outcome: "failed", type: "", message: "", stack: "" }),
      junitCaseFactory.build({ name: "retry again", classname: "Other", outcome: "passed" }),
    ];
    const file = join(cwd, `run-${run}.xml`);
    writeFileSync(file, renderJunitReport([junitSuiteFactory.build({ name: "Shop", cases })]));
    const env = { KAIZEN_BRANCH: "main", KAIZEN_COMMIT: faker.git.commitSha() };
    expect((await runCli(["ingest", file, "--run-id", String(run), "--db", db], { cwd, env })).code).toBe(0);
  }
}

describe("kaizen explain and kaizen test show", () => {
  it("explains a failure's category by its rule, and says why when no rule decided", async () => {
    const cwd = scratchDir();
    const db = join(cwd, "k.db");
    await history(cwd, db);
    const failures = JSON.parse((await runCli(["failures", "--json", "--db", db], { cwd })).stdout) as {
      failures: { id: number; test: { name: string } }[];
    };
    const retried = failures.failures.find((f) => f.test.name === "retry_50%");
    const mute = failures.failures.find((f) => f.test.name === "mute");
    const flaky = await runCli(["explain", String(retried?.id), "--db", db], { cwd });
    expect(flaky.stdout).toContain("category    flaky (rule flaky.passed-on-retry)");
    expect(flaky.stdout).toContain("rule        flaky.passed-on-retry says flaky (confidence 0.90)");
    expect(flaky.stdout).toContain("model       none promoted yet");
    expect(flaky.stdout).toContain("history     passed on retry: yes");
    const silent = await runCli(["explain", String(mute?.id), "--json", "--db", db], { cwd });
    const explained = JSON.parse(silent.stdout) as { explanation: { category: { decided: boolean; because: string } } };
    expect(explained.explanation.category.decided).toBe(false);
    expect(explained.explanation.category.because).toContain("no rule matched");
    const unclassified = (await runCli(["explain", String(mute?.id), "--db", db], { cwd })).stdout;
    expect(unclassified).toContain(
      "category    unclassified (nothing decided: no rule fired and no model is promoted)",
    );
    expect(unclassified).toContain("rule        none: no rule matched");
  });

  it("explains a test's flaky decision and shows its history, by id or by part of its name", async () => {
    const cwd = scratchDir();
    const db = join(cwd, "k.db");
    await history(cwd, db);
    const explained = await runCli(["explain", "retry_50%", "--db", db], { cwd });
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain("evidence: 2 retried then passed");
    expect(explained.stdout).toContain("flaky: at least 2 flaky executions");
    const json = JSON.parse((await runCli(["explain", "Shop › retry_50", "--json", "--db", db], { cwd })).stdout) as {
      test: { id: string };
      flakiness: { flaky: boolean };
    };
    expect(json.flakiness.flaky).toBe(true);
    const show = await runCli(["test", "show", json.test.id, "--db", db], { cwd });
    expect(show.stdout).toContain("flaky: flake rate");
    expect(show.stdout.match(/ flaky$/gm)).toHaveLength(2);
    const showJson = JSON.parse((await runCli(["test", "show", "MUTE", "--json", "--db", db], { cwd })).stdout) as {
      history: { outcome: string }[];
    };
    expect(showJson.history.map((h) => h.outcome)).toEqual(["failed", "failed"]);
    const unflaky = await runCli(["explain", "mute", "--db", db], { cwd });
    expect(unflaky.stdout).toContain("not flaky: 0 flaky executions");
  });

  it("asks for one id when a name matches several tests, and exits 4 for none", async () => {
    const cwd = scratchDir();
    const db = join(cwd, "k.db");
    await history(cwd, db);
    const several = await runCli(["explain", "retry", "--db", db], { cwd });
    expect(several.code).toBe(2);
    expect(several.stderr).toContain('"retry" names 2 tests; give one id');
    const none = await runCli(["test", "show", "nothing-like-it", "--db", db], { cwd });
    expect(none.code).toBe(4);
    expect((await runCli(["explain", "999999", "--db", db], { cwd })).code).toBe(4);
  });
});
