import { faker } from "@faker-js/faker";
import { afterAll, describe, expect, it } from "vitest";
import type { FailureText } from "../../../src/analysis/failure-signature.js";
import type { NormalizedTestResult } from "../../../src/domain/test-result.js";
import type { KyselyStore } from "../../../src/store/kysely-store.js";
import { dialectsUnderTest, freshStore } from "../../support/store-dialects.js";
import { failingResult, passingResult, PROJECT, runKey, storeRun } from "../../support/stored-runs.js";

/** An assertion failure of cause `k`: its own words and code site, with values that vary. */
const assertion = (k: number): FailureText => ({
  type: "AssertionError",
  message: `${["total", "count", "price", "status", "length", "offset", "weight", "score", "rank", "tax"][k % 10]} of batch ${k} should be ${faker.number.int(99)} but was ${faker.number.int(99)}`,
  stack: `    at check${k} (src/module${k}/check.ts:${faker.number.int({ min: 2, max: 90 })}:5)`,
});

let commits = 0;
const commit = (): string => faker.git.commitSha() + String(commits++);

/**
 * A flaky cause: on two commits its test fails in one run and passes in another, with no
 * retry, so the rules call it a regression.
 */
async function flaky(s: KyselyStore, k: number): Promise<void> {
  const sha = commit();
  const failed = failingResult([assertion(k)]);
  await storeRun(s, runKey(`f${k}-a`, { commitSha: sha }), [failed]);
  await storeRun(s, runKey(`f${k}-b`, { commitSha: sha }), [passingResult(failed)]);
  const later = commit();
  await storeRun(s, runKey(`f${k}-c`, { commitSha: later }), [failingResult([assertion(k)], false, failed)]);
  await storeRun(s, runKey(`f${k}-d`, { commitSha: later }), [passingResult(failed)]);
}

/** A regression: a new cause on its commit, failing on every run of it. */
async function regression(s: KyselyStore, k: number): Promise<NormalizedTestResult> {
  const sha = commit();
  const failed = failingResult([assertion(k)]);
  await storeRun(s, runKey(`r${k}-a`, { commitSha: sha }), [failed]);
  await storeRun(s, runKey(`r${k}-b`, { commitSha: sha }), [failingResult([assertion(k)], false, failed)]);
  return failed;
}

async function clusterOf(s: KyselyStore, ciRunPrefix: string): Promise<number> {
  const failure = (await s.listFailures({})).find((f) => f.ciRunId.startsWith(ciRunPrefix));
  return failure?.clusterId ?? -1;
}

describe.each(dialectsUnderTest())("the learned category model on $name", (dialect) => {
  afterAll(() => dialect.cleanup());

  it("trains on labels and history, promotes, decides unlabelled failures, new runs and explains itself", async () => {
    const s = await freshStore(dialect);
    try {
      for (let k = 0; k < 8; k++) await flaky(s, k);
      for (let k = 10; k < 18; k++) await regression(s, k);
      expect(await s.train()).toMatchObject([{ project: PROJECT, version: 1, promoted: false, labelledClusters: 0 }]);
      const before = await s.listFailures({});
      expect(new Set(before.map((f) => f.category))).toEqual(new Set(["regression"]));

      // People label six flaky and six regressed causes; the last two of each stay unlabelled.
      for (let k = 0; k < 6; k++) await s.label({ clusterId: await clusterOf(s, `f${k}-`) }, "flaky", null);
      for (let k = 10; k < 16; k++) await s.label({ clusterId: await clusterOf(s, `r${k}-`) }, "regression", null);
      const [trained] = await s.train(PROJECT);
      expect(trained).toMatchObject({ version: 2, promoted: true, labelledClusters: 12 });
      expect(trained?.macroF1).toBeGreaterThan(trained?.rulesMacroF1 ?? 1);
      expect(trained?.reclassified).toBe(8);

      const after = await s.listFailures({});
      const unlabelled = (prefix: string) => after.filter((f) => f.ciRunId.startsWith(prefix));
      for (const f of [...unlabelled("f6-"), ...unlabelled("f7-")])
        expect(f).toMatchObject({ category: "flaky", source: "model:v2" });
      for (const f of [...unlabelled("r16-"), ...unlabelled("r17-")])
        expect(f).toMatchObject({ category: "regression", source: "model:v2" });
      expect(unlabelled("f0-").every((f) => f.source === "human" && f.category === "flaky")).toBe(true);
      const cluster = (await s.listClusters({})).find(
        (c) => c.id === after.find((f) => f.ciRunId === "f6-a")?.clusterId,
      );
      expect(cluster?.category).toBe("flaky");

      const versions = await s.listModels(PROJECT);
      expect(versions.map((v) => [v.version, v.promoted])).toEqual([
        [2, true],
        [1, false],
      ]);
      expect(versions[0]?.evaluation.model.examples).toBe(versions[0]?.humanExamples);
      expect(versions[0]?.evaluation.folds).toBe(5);
      expect(versions[1]?.reason).toContain("0 labelled clusters");

      // A new run where a cause nobody labelled recurs: the promoted version decides it, and nothing changed enough to retrain.
      const sha = commit();
      const fresh = failingResult([assertion(7)]);
      const runId = await storeRun(s, runKey("new-a", { commitSha: sha }), [fresh]);
      await storeRun(s, runKey("new-b", { commitSha: sha }), [passingResult(fresh)]);
      expect(await s.learnFromRuns([runId])).toEqual([]);
      const [decided] = await s.listFailures({ runId });
      expect(decided).toMatchObject({ category: "flaky", source: "model:v2" });

      const decision = await s.categoryDecision(decided?.id ?? -1);
      expect(decision?.model?.version).toBe(2);
      expect(decision?.model?.prediction.category).toBe("flaky");
      expect(decision?.facts).toMatchObject({
        passedOnSameCommit: true,
        passedOnRetry: false,
        testsWithCluster: 1,
        clusterNew: false,
        clusterCommits: 3,
      });
      expect(decision?.label).toBeNull();
      const labelled = await s.categoryDecision(after.find((f) => f.ciRunId === "f0-a")?.id ?? -1);
      expect(labelled?.label).toMatchObject({ category: "flaky", note: null });
      expect(await s.categoryDecision(999_999)).toBeUndefined();

      // A rebuild of the clusters keeps people's labels and the model's decisions.
      await s.recluster();
      const rebuilt = await s.listFailures({});
      expect(rebuilt.filter((f) => f.ciRunId.startsWith("f7-")).map((f) => f.source)).toEqual(["model:v2", "model:v2"]);
      expect(rebuilt.filter((f) => f.ciRunId.startsWith("f0-")).map((f) => f.source)).toEqual(["human", "human"]);
    } finally {
      await s.close();
    }
  });

  it("retrains on its own once enough labels changed, and not before", async () => {
    const s = await freshStore(dialect);
    try {
      for (let k = 0; k < 4; k++) await flaky(s, k);
      for (let k = 10; k < 14; k++) await regression(s, k);
      const label = async (prefix: string, category: "flaky" | "regression") => {
        const clusterId = await clusterOf(s, prefix);
        await s.label({ clusterId }, category, "from the test");
        return s.learnFromLabel(clusterId);
      };
      expect(await label("f0-", "flaky")).toBeUndefined();
      expect(await label("r10-", "regression")).toBeUndefined();
      expect(await label("f1-", "flaky")).toBeUndefined();
      expect(await label("r11-", "regression")).toBeUndefined();
      // The fifth labelled cluster is enough for a first version.
      expect(await label("f2-", "flaky")).toMatchObject({ version: 1, labelledClusters: 5 });
      expect(await label("r12-", "regression")).toBeUndefined();
      expect(await s.learnFromLabel(424_242)).toBeUndefined();
      expect(await s.learnFromRuns([])).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
