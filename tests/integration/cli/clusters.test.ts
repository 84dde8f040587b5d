import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import { connectionRefused } from "../../factories/failure-text.js";
import { junitCaseFactory, junitSuiteFactory, renderJunitReport } from "../../factories/junit-xml.js";
import { runCli, scratchDir } from "../../support/cli-harness.js";

interface FailureJson {
  readonly id: number;
  readonly ci_run_id: string;
  readonly attempt: number;
  readonly test: { suite: string; name: string; file: string | null };
  readonly cluster_id: number;
  readonly category: string | null;
  readonly confidence: number | null;
  readonly source: string | null;
}

interface ClusterJson {
  readonly id: number;
  readonly failures: number;
  readonly tests: number;
  readonly category: string | null;
  readonly title: string;
  readonly firstSeen: { ciRunId: string };
  readonly lastSeen: { ciRunId: string };
}

/** A run where the database is down for `down` tests (one root cause) and one assertion fails in its own way. */
function runReport(cwd: string, name: string, down: number): string {
  const outage = Array.from({ length: down }, () => {
    const text = connectionRefused();
    return junitCaseFactory.build({ outcome: "error", type: "Error", message: text.message, stack: text.stack ?? "" });
  });
  const assertion = junitCaseFactory.build({
    name: "totals the cart",
    classname: "com.example.cart.CartTest",
    outcome: "failed",
    type: "java.lang.AssertionError",
    message: `expected:<${faker.number.int(99)}> but was:<${faker.number.int({ min: 100, max: 199 })}>`,
    stack: `java.lang.AssertionError: expected\n\tat com.example.cart.CartTest.totals(CartTest.java:${faker.number.int({ min: 10, max: 90 })})`,
  });
  const file = join(cwd, `${name}.xml`);
  writeFileSync(
    file,
    renderJunitReport([
      junitSuiteFactory.build({
        name: "com.example.Shop",
        cases: [...outage, assertion, ...junitCaseFactory.buildList(3)],
      }),
    ]),
  );
  return file;
}

// The caller names the shape it expects of the command's JSON: a cast, written once.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
const json = <T>(stdout: string): T => JSON.parse(stdout) as T;

describe("kaizen failures, clusters, cluster show, recluster and rules", () => {
  it("puts every failure of one root cause in one cluster, across tests and runs, with its category", async () => {
    const cwd = scratchDir();
    const db = join(cwd, "k.db");
    for (const [run, down] of [
      ["101", 4],
      ["102", 3],
    ] as const) {
      const ingest = await runCli(["ingest", runReport(cwd, `run-${run}`, down), "--run-id", run, "--db", db], { cwd });
      expect(ingest.code).toBe(0);
    }
    const { failures } = json<{ failures: FailureJson[] }>(
      (await runCli(["failures", "--json", "--db", db], { cwd })).stdout,
    );
    expect(failures).toHaveLength(9);
    const outage = failures.filter((f) => f.category === "infrastructure");
    expect(outage).toHaveLength(7);
    expect(new Set(outage.map((f) => f.cluster_id)).size).toBe(1);
    expect(outage[0]).toMatchObject({ source: "rule:infrastructure.network", confidence: 0.85 });
    const assertions = failures.filter((f) => f.category === "regression");
    expect(new Set(assertions.map((f) => f.cluster_id)).size).toBe(1);
    expect(assertions.map((f) => f.ci_run_id)).toEqual(["101", "102"]);

    const onlyRun = json<{ failures: FailureJson[] }>(
      (await runCli(["failures", "--run", "102", "--json", "--db", db], { cwd })).stdout,
    );
    expect(onlyRun.failures.map((f) => f.ci_run_id)).toEqual(["102", "102", "102", "102"]);

    const { clusters } = json<{ clusters: ClusterJson[] }>(
      (await runCli(["clusters", "--json", "--db", db], { cwd })).stdout,
    );
    expect(clusters.map((c) => [c.failures, c.tests, c.category])).toEqual([
      [7, 7, "infrastructure"],
      [2, 1, "regression"],
    ]);
    expect(clusters[0]).toMatchObject({ firstSeen: { ciRunId: "101" }, lastSeen: { ciRunId: "102" } });
    expect(clusters[0]?.title).toContain("ECONNREFUSED <*>");

    const regressions = await runCli(["clusters", "--category", "regression", "--json", "--db", db], { cwd });
    expect(json<{ clusters: ClusterJson[] }>(regressions.stdout).clusters).toHaveLength(1);
    const future = await runCli(["clusters", "--since", "2999-01-01", "--db", db], { cwd });
    expect(future.stdout).toContain("No failure clusters");

    const show = await runCli(["cluster", "show", String(clusters[0]?.id), "--db", db], { cwd });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain("category    infrastructure (rule, confidence 0.85)");
    expect(show.stdout).toContain("frames      src/db/client.ts:Client.connect");
    expect(show.stdout).toMatch(/failures {4}7 in 7 tests/);
    const showJson = json<{ cluster: { samples: unknown[] } }>(
      (await runCli(["cluster", "show", String(clusters[0]?.id), "--json", "--db", db], { cwd })).stdout,
    );
    expect(showJson.cluster.samples).toHaveLength(5);

    const table = await runCli(["clusters", "--db", db], { cwd });
    expect(table.stdout).toMatch(/^id\s+failures\s+tests\s+category\s+last seen\s+title$/m);
    const failuresTable = await runCli(["failures", "--db", db], { cwd });
    expect(failuresTable.stdout).toContain("infrastructure");

    const recluster = json<{ assigned: number; created: number }>(
      (await runCli(["recluster", "--json", "--db", db], { cwd })).stdout,
    );
    expect(recluster).toEqual({ assigned: 9, created: 2 });
    const again = json<{ clusters: ClusterJson[] }>((await runCli(["clusters", "--json", "--db", db], { cwd })).stdout);
    expect(again.clusters.map((c) => [c.failures, c.tests, c.category])).toEqual([
      [7, 7, "infrastructure"],
      [2, 1, "regression"],
    ]);
    expect((await runCli(["recluster", "--db", db], { cwd })).stdout).toBe("9 failures in 2 clusters");
  });

  it("says when nothing is there, and names a missing cluster or run with exit code 4", async () => {
    const cwd = scratchDir();
    const db = join(cwd, "k.db");
    expect((await runCli(["failures", "--db", db], { cwd })).stdout).toContain("No failures stored");
    expect((await runCli(["clusters", "--db", db], { cwd })).stdout).toContain("No failure clusters");
    const missing = await runCli(["cluster", "show", "42", "--db", db], { cwd });
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain("no cluster 42");
    const noRun = await runCli(["failures", "--run", "nope", "--db", db], { cwd });
    expect(noRun.code).toBe(4);
  });

  it("refuses bad filter values as usage errors", async () => {
    const cwd = scratchDir();
    expect((await runCli(["clusters", "--category", "weather"], { cwd })).code).toBe(2);
    expect((await runCli(["clusters", "--since", "someday"], { cwd })).code).toBe(2);
    expect((await runCli(["cluster", "show", "x"], { cwd })).code).toBe(2);
  });

  it("lists the category rules with their ids", async () => {
    const cwd = scratchDir();
    const rules = json<{ rules: { id: string; category: string }[] }>(
      (await runCli(["rules", "--json"], { cwd })).stdout,
    );
    expect(rules.rules.map((r) => r.id)).toContain("infrastructure.network");
    expect(new Set(rules.rules.map((r) => r.category))).toEqual(
      new Set(["flaky", "timeout", "infrastructure", "environment", "test-bug", "regression"]),
    );
    expect((await runCli(["rules"], { cwd })).stdout).toMatch(/^id\s+category\s+confidence\s+fires when$/m);
  });
});
