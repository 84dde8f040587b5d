import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jestAssertion } from "../../factories/failure-text.js";
import { junitCaseFactory, junitSuiteFactory, renderJunitReport } from "../../factories/junit-xml.js";
import { runCli, scratchDir } from "../../support/cli-harness.js";

interface FailureJson {
  readonly id: number;
  readonly cluster_id: number;
  readonly category: string | null;
  readonly confidence: number | null;
  readonly source: string | null;
}

/** A run where one assertion in the cart tests fails. */
function report(cwd: string, run: number): string {
  const text = jestAssertion("tests/cart.test.ts");
  const cases = [
    junitCaseFactory.build({
      name: "cart",
      classname: "Cart",
      outcome: "failed",
      type: "",
      message: text.message,
      stack: text.stack ?? "",
    }),
  ];
  const file = join(cwd, `run-${run}.xml`);
  writeFileSync(file, renderJunitReport([junitSuiteFactory.build({ name: "Cart", cases })]));
  return file;
}

const failuresOf = async (cwd: string, db: string): Promise<FailureJson[]> =>
  (JSON.parse((await runCli(["failures", "--json", "--db", db], { cwd })).stdout) as { failures: FailureJson[] })
    .failures;

describe("kaizen label", () => {
  it("overrides the rule for the cluster, for later failures and across a recluster", async () => {
    const cwd = scratchDir();
    const db = join(cwd, "k.db");
    const ingested = await runCli(["ingest", report(cwd, 1), "--run-id", "1", "--db", db], { cwd });
    expect(ingested.stderr).toBe("");
    const [first] = await failuresOf(cwd, db);
    expect(first).toMatchObject({ category: "regression", source: "rule:regression.assertion" });

    const labelled = await runCli(
      ["label", `failure:${first?.id}`, "--category", "flaky", "--note", "fails on slow runners", "--db", db],
      { cwd },
    );
    expect(labelled.code).toBe(0);
    expect(labelled.stdout).toContain(`cluster ${first?.cluster_id} is flaky now (human label): 1 failures updated`);

    await runCli(["ingest", report(cwd, 2), "--run-id", "2", "--db", db], { cwd });
    const later = await failuresOf(cwd, db);
    expect(later.map((f) => [f.category, f.confidence, f.source])).toEqual([
      ["flaky", 1, "human"],
      ["flaky", 1, "human"],
    ]);
    const cluster = JSON.parse(
      (await runCli(["cluster", "show", String(first?.cluster_id), "--json", "--db", db], { cwd })).stdout,
    ) as {
      cluster: { category: string; categorySource: string };
    };
    expect(cluster.cluster).toMatchObject({ category: "flaky", categorySource: "human" });

    await runCli(["recluster", "--db", db], { cwd });
    const rebuilt = await failuresOf(cwd, db);
    expect(rebuilt.map((f) => f.source)).toEqual(["human", "human"]);

    const byCluster = JSON.parse(
      (
        await runCli(["label", `cluster:${rebuilt[0]?.cluster_id}`, "--category", "test-bug", "--json", "--db", db], {
          cwd,
        })
      ).stdout,
    ) as { failures: number; category: string };
    expect(byCluster).toMatchObject({ failures: 2, category: "test-bug", source: "human" });
  });

  it("refuses unknown targets and categories", async () => {
    const cwd = scratchDir();
    const db = join(cwd, "k.db");
    expect((await runCli(["label", "7", "--category", "flaky", "--db", db], { cwd })).code).toBe(4);
    expect((await runCli(["label", "failure:7", "--category", "flaky", "--db", db], { cwd })).code).toBe(4);
    expect((await runCli(["label", "7", "--category", "weather"], { cwd })).code).toBe(2);
    expect((await runCli(["label", "run:7", "--category", "flaky"], { cwd })).code).toBe(2);
    expect((await runCli(["label", "7"], { cwd })).code).toBe(2);
  });
});
