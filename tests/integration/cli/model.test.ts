import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import { junitCaseFactory, junitSuiteFactory, renderJunitReport } from "../../factories/junit-xml.js";
import { runCli, scratchDir } from "../../support/cli-harness.js";

/** One word per cause: different causes say different things. */
const WORDS = [
  "total",
  "count",
  "price",
  "status",
  "length",
  "offset",
  "weight",
  "score",
  "rank",
  "tax",
  "depth",
  "width",
  "height",
  "margin",
  "ratio",
  "volume",
];

/** A report of one test of cause `k`, failing with that cause's assertion or passing. */
function report(cwd: string, name: string, k: number, outcome: "failed" | "passed"): string {
  const message = `${WORDS[k % WORDS.length]} of batch ${k} should be ${faker.number.int(99)} but was ${faker.number.int(99)}`;
  const testcase = junitCaseFactory.build({
    name: `checks batch ${k}`,
    classname: `com.acme.Batch${k}Test`,
    outcome,
    type: "java.lang.AssertionError",
    message,
    stack: `java.lang.AssertionError: ${message}\n\tat com.acme.batch${k}.Check.verify(Check.java:${faker.number.int({ min: 2, max: 90 })})`,
  });
  const file = join(cwd, `${name}.xml`);
  writeFileSync(file, renderJunitReport([junitSuiteFactory.build({ name: `Batch${k}`, cases: [testcase] })]));
  return file;
}

interface Failure {
  readonly id: number;
  readonly ci_run_id: string;
  readonly cluster_id: number;
  readonly category: string;
  readonly source: string;
}

describe("kaizen train and kaizen model", () => {
  it("train versions the model, label retrains it, model lists the metrics, explain names the version", async () => {
    const cwd = scratchDir();
    const db = join(cwd, "k.db");
    const cli = (args: readonly string[]) => runCli([...args, "--db", db], { cwd });
    expect((await cli(["model"])).stdout).toContain("No model versions yet");
    expect(JSON.parse((await cli(["train", "--json"])).stdout)).toEqual({ trained: [] });

    const ingest = async (name: string, k: number, outcome: "failed" | "passed", commit: string) =>
      cli(["ingest", report(cwd, name, k, outcome), "--run-id", name, "--commit", commit, "--branch", "main"]);
    // Flaky causes fail and pass on the same commits; regressions fail on every run of their commit.
    for (let k = 0; k < 6; k++)
      for (const c of ["a", "b"]) {
        const commit = faker.git.commitSha();
        await ingest(`f${k}${c}-1`, k, "failed", commit);
        await ingest(`f${k}${c}-2`, k, "passed", commit);
      }
    for (let k = 10; k < 16; k++) {
      const commit = faker.git.commitSha();
      await ingest(`r${k}-1`, k, "failed", commit);
      const last = await ingest(`r${k}-2`, k, "failed", commit);
      expect(last.code).toBe(0);
    }
    const failures = async (): Promise<Failure[]> =>
      (JSON.parse((await cli(["failures", "--json"])).stdout) as { failures: Failure[] }).failures;
    const before = await failures();
    expect(new Set(before.map((f) => f.source))).toEqual(new Set(["rule:regression.assertion"]));

    const first = JSON.parse((await cli(["train", "--json"])).stdout) as {
      trained: { promoted: boolean; reason: string }[];
    };
    expect(first.trained).toMatchObject([{ project: "default", version: 1, promoted: false }]);
    expect(first.trained[0]?.reason).toContain("0 labelled clusters");

    const clusterOf = (prefix: string) => before.find((f) => f.ci_run_id.startsWith(prefix))?.cluster_id;
    const labels = [
      ...[0, 1, 2, 3].map((k) => [`f${k}`, "flaky"] as const),
      ...[10, 11, 12, 13].map((k) => [`r${k}`, "regression"] as const),
    ];
    const outputs: string[] = [];
    for (const [prefix, category] of labels)
      outputs.push((await cli(["label", String(clusterOf(prefix)), "--category", category])).stdout);
    // The fifth label is enough for a version; the eighth is three more, which retrains again.
    expect(outputs.slice(0, 4).every((o) => !o.includes("category model"))).toBe(true);
    expect(outputs[4]).toMatch(/category model default v2 (promoted|not promoted)/);
    expect(outputs[7]).toMatch(/category model default v3 promoted: cross-validated accuracy/);

    const listed = await cli(["model"]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/default\s+v3\s+yes/);
    expect(listed.stdout).toContain("confusion (rows: label, columns: model)");
    const versions = (
      JSON.parse((await cli(["model", "--json"])).stdout) as {
        versions: { version: number; promoted: boolean; labelledClusters: number; evaluation: { folds: number } }[];
      }
    ).versions;
    expect(versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(versions[0]).toMatchObject({ promoted: true, labelledClusters: 8, evaluation: { folds: 5 } });

    const after = await failures();
    const unlabelled = after.filter((f) => f.ci_run_id.startsWith("f5") || f.ci_run_id.startsWith("r15"));
    expect(unlabelled.map((f) => [f.ci_run_id.slice(0, 1), f.category, f.source])).toEqual(
      unlabelled.map((f) => [
        f.ci_run_id.slice(0, 1),
        f.ci_run_id.startsWith("f") ? "flaky" : "regression",
        "model:v3",
      ]),
    );
    const explained = await cli(["explain", String(unlabelled[0]?.id)]);
    expect(explained.stdout).toContain("category    flaky (the learned model, v3)");
    expect(explained.stdout).toMatch(
      /model {7}v3 says flaky \(probability 0\.\d\d\), weighing most: .*history:same-commit-passed:true/,
    );
    expect(explained.stdout).toContain("passed on the same commit: yes");
    const json = JSON.parse((await cli(["explain", String(unlabelled[0]?.id), "--json"])).stdout) as {
      model: { version: number };
      facts: { passedOnSameCommit: boolean };
    };
    expect(json.model.version).toBe(3);
    expect(json.facts.passedOnSameCommit).toBe(true);

    const commit = faker.git.commitSha();
    await ingest("f5c-1", 5, "passed", commit);
    const ingested = JSON.parse(
      (await cli(["ingest", report(cwd, "f5c-2", 5, "failed"), "--run-id", "f5c-2", "--commit", commit, "--json"]))
        .stdout,
    ) as { trained: unknown[] };
    expect(ingested.trained).toEqual([]);
    expect((await failures()).find((f) => f.ci_run_id === "f5c-2")).toMatchObject({
      category: "flaky",
      source: "model:v3",
    });
  });

  it("has help for both commands", async () => {
    const cwd = scratchDir();
    expect((await runCli(["train", "--help"], { cwd })).stdout).toContain("promoted when at least 5 clusters");
    expect((await runCli(["model", "--help"], { cwd })).stdout).toContain("--json");
  });
});
