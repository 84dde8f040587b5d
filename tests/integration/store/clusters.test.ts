import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import type { NormalizedTestResult, TestAttempt } from "../../../src/domain/test-result.js";
import { emptySummary } from "../../../src/ingest/normalize.js";
import { assignClusters } from "../../../src/store/cluster-assigner.js";
import type { KyselyStore } from "../../../src/store/kysely-store.js";
import type { ReportContent, RunKey } from "../../../src/store/ports.js";
import { connectionRefused } from "../../factories/failure-text.js";
import { normalizedResultFactory } from "../../factories/test-report.js";
import { dialectsUnderTest, freshStore } from "../../support/store-dialects.js";

const run = (ciRunId: string): RunKey => ({
  project: "acme/shop",
  provider: "github-actions",
  ciRunId,
  attempt: 1,
  commitSha: "0123456789abcdef0123456789abcdef01234567",
  branch: "main",
  pullRequest: null,
  job: "test",
  workflow: "ci",
  url: null,
  repository: "acme/shop",
  startedAt: "2026-11-30T10:00:00.000Z",
});

/** A result whose attempts fail with the given texts (and pass last when `passes`). */
function failing(
  failures: readonly { type: string | null; message: string; stack: string | null }[],
  passes = false,
): NormalizedTestResult {
  const base = normalizedResultFactory.build({}, { transient: { project: "acme/shop" } });
  const attempts: TestAttempt[] = failures.map((failure, i) => ({
    attempt: i + 1,
    status: "failed",
    durationMs: 10,
    startedAt: null,
    failure,
    skipReason: null,
    stdout: null,
    stderr: null,
  }));
  if (passes)
    attempts.push({ ...(attempts[0] as TestAttempt), attempt: attempts.length + 1, status: "passed", failure: null });
  return { ...base, attempts: attempts as [TestAttempt, ...TestAttempt[]] };
}

function content(results: readonly NormalizedTestResult[]): ReportContent {
  return {
    openRaw: () => Readable.from([Buffer.from(JSON.stringify(results.map((r) => r.test.id)))]),
    produce: async (sink) => {
      for (const result of results) await sink.add(result);
      return { summary: { ...emptySummary(), tests: results.length }, info: undefined };
    },
  };
}

let reports = 0;
async function store(s: KyselyStore, ciRunId: string, results: readonly NormalizedTestResult[]): Promise<number> {
  const sha = `sha-${reports++}`.padEnd(64, "0");
  const stored = await s.writeReport(
    { run: run(ciRunId), sha256: sha, format: "junit-xml", path: `${sha}.xml`, size: 1 },
    content(results),
  );
  return stored.runId;
}

const assertion = (expected: number, received: number, word = "total") => ({
  type: "AssertionError",
  message: `${word} should be ${expected} but was ${received}`,
  stack: "    at checkTotals (src/cart/totals.ts:12:5)",
});

describe.each(dialectsUnderTest())("failure clusters on $name", (dialect) => {
  afterAll(() => dialect.cleanup());

  it("assigns every failure at ingest: one root cause across tests, near-duplicates merged, new causes apart", async () => {
    const s = await freshStore(dialect);
    try {
      const first = await store(s, "1", [
        failing([connectionRefused()]),
        failing([connectionRefused()]),
        failing([assertion(3, 4)]),
      ]);
      await store(s, "2", [
        failing([connectionRefused()]),
        // The same site and message but one word: a near-duplicate of the assertion's cluster.
        failing([assertion(5, 6, "subtotal")]),
        failing([{ type: "TimeoutError", message: "Timed out after 5000ms waiting for #submit", stack: null }]),
        failing([assertion(1, 2)], true),
      ]);
      const clusters = await s.listClusters({});
      expect(clusters.map((c) => [c.failures, c.tests, c.category])).toEqual([
        [3, 3, "infrastructure"],
        [3, 3, "regression"],
        [1, 1, "timeout"],
      ]);
      const infra = clusters[0];
      expect(infra?.firstSeen).toMatchObject({ ciRunId: "1", runId: first });
      expect(infra?.lastSeen.ciRunId).toBe("2");
      expect(clusters[1]?.template).toBe("<*> should be <*> but was <*>");

      const failures = await s.listFailures({});
      expect(failures).toHaveLength(7);
      expect(failures.every((f) => f.clusterId !== null)).toBe(true);
      const retried = failures.at(-1);
      expect(retried).toMatchObject({ category: "flaky", source: "rule:flaky.passed-on-retry", ciRunId: "2" });
      expect(await s.listFailures({ runId: first })).toHaveLength(3);

      const detail = await s.clusterById(infra?.id ?? -1);
      expect(detail?.samples).toHaveLength(3);
      expect(detail?.samples[0]?.ciRunId).toBe("2");
      expect(await s.clusterById(9999)).toBeUndefined();
      expect(await s.listClusters({ category: "timeout" })).toHaveLength(1);
      expect(await s.listClusters({ since: "2999-01-01T00:00:00.000Z" })).toEqual([]);

      const histories = await s.listVerdicts({ project: "acme/shop", branch: "main", job: "test" });
      expect(histories).toHaveLength(7);
      const outcomes = histories.flatMap((h) => h.verdicts.map((v) => v.outcome)).sort();
      expect(outcomes).toEqual(["failed", "failed", "failed", "failed", "failed", "failed", "flaky"]);
      expect(histories[0]?.verdicts[0]?.commitSha).toBe("0123456789abcdef0123456789abcdef01234567");
      expect(await s.listVerdicts({ branch: "release" })).toEqual([]);
      const one = histories[0]?.test;
      expect(await s.findTests(one?.id ?? "", "acme/shop")).toEqual([one]);
      expect(await s.findTests((one?.name ?? "").toUpperCase())).toEqual([one]);
      expect(await s.findTests("100%_sure")).toEqual([]);
      const record = await s.failureById(retried?.id ?? -1);
      expect(record).toMatchObject({ passedOnRetry: true, category: "flaky", ciRunId: "2" });
      expect(await s.failureById(123456)).toBeUndefined();

      const timeout = clusters[2];
      expect(await s.label({ clusterId: timeout?.id ?? -1 }, "environment", "slow runner")).toEqual({
        clusterId: timeout?.id,
        failures: 1,
      });
      expect(await s.label({ clusterId: 99999 }, "flaky", null)).toBeUndefined();
      expect(await s.label({ failureId: 99999 }, "flaky", null)).toBeUndefined();

      expect(await s.recluster("acme/shop")).toEqual({ assigned: 7, created: 3 });
      expect((await s.listClusters({ category: "environment" })).map((c) => c.categorySource)).toEqual(["human"]);
      expect((await s.listClusters({ project: "acme/shop" })).map((c) => c.failures)).toEqual([3, 3, 1]);
      expect(await s.recluster()).toEqual({ assigned: 7, created: 3 });

      // With room for a single site in memory the assignment writes and reloads as it goes, to the same clusters.
      await s.db.updateTable("failures").set({ cluster_id: null }).execute();
      await s.db.deleteFrom("cluster_keys").execute();
      await s.db.deleteFrom("clusters").execute();
      const project = await s.db.selectFrom("projects").select("id").executeTakeFirstOrThrow();
      expect(await assignClusters(s.db, project.id, undefined, 1)).toEqual({ assigned: 7, created: 3 });
      expect((await s.listClusters({})).map((c) => [c.failures, c.tests])).toEqual([
        [3, 3],
        [3, 3],
        [1, 1],
      ]);
    } finally {
      await s.close();
    }
  });
});
