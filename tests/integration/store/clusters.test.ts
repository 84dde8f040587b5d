import { faker } from "@faker-js/faker";
import { afterAll, describe, expect, it } from "vitest";
import { assignClusters } from "../../../src/store/cluster-assigner.js";
import type { KyselyStore } from "../../../src/store/kysely-store.js";
import { connectionRefused } from "../../factories/failure-text.js";
import { dialectsUnderTest, freshStore } from "../../support/store-dialects.js";
import { failingResult, runKey, storeRun } from "../../support/stored-runs.js";

const run = (ciRunId: string) => runKey(ciRunId);
const failing = (failures: Parameters<typeof failingResult>[0], passes = false) => failingResult(failures, passes);
const store = (s: KyselyStore, ciRunId: string, results: Parameters<typeof storeRun>[2]) =>
  storeRun(s, run(ciRunId), results);

const assertion = (expected: number, received: number, word = "total") => ({
  type: "AssertionError",
  message: `${word} should be ${expected} but was ${received}`,
  stack: "    at checkTotals (src/cart/totals.ts:12:5)",
});

describe.each(dialectsUnderTest())("failure clusters on $name", (dialect) => {
  afterAll(() => dialect.cleanup());

  it("makes one cause of tests that fail alike for the first time in one run, but not of retried ones", async () => {
    const s = await freshStore(dialect);
    try {
      // One regression breaks the assertions of three test files at once.
      const inFile = (file: string) => ({
        type: null,
        message: `expect(received).toEqual(expected) // deep equality\n\nExpected: ${faker.number.int(99)}`,
        stack: `Error: expect(received).toEqual(expected)\n    at Object.<anonymous> (src/${file}.test.ts:${faker.number.int(99)}:17)`,
      });
      await store(s, "1", [failing([inFile("cart")]), failing([inFile("orders")]), failing([inFile("refunds")])]);
      // Two flaky tests that fail alike and pass on retry stay apart: their failures are not one change.
      await store(s, "2", [failing([inFile("search")], true), failing([inFile("basket")], true)]);
      // Later, another test file failing alike is a cause of its own (it did not start with the
      // others), while one more failure in cart.test.ts joins the regression by its fingerprint.
      await store(s, "3", [failing([inFile("invoices")]), failing([inFile("cart")])]);
      const clusters = await s.listClusters({});
      expect(clusters.map((c) => [c.failures, c.tests]).sort()).toEqual([
        [1, 1],
        [1, 1],
        [1, 1],
        [4, 4],
      ]);
    } finally {
      await s.close();
    }
  });

  it("keys an outage on the host it names: a host name met beside its address joins the address's cluster", async () => {
    const s = await freshStore(dialect);
    try {
      const address = `10.9.${faker.number.int(255)}.${faker.number.int({ min: 1, max: 254 })}`;
      await store(s, "1", [
        failing([{ type: null, message: `connect ECONNREFUSED ${address}:443`, stack: null }]),
        failing([
          {
            type: "FetchError",
            message: `request to https://pay.example/charge failed, reason: connect ECONNREFUSED ${address}:443`,
            stack: null,
          },
        ]),
      ]);
      await store(s, "2", [
        failing([
          {
            type: "java.net.ConnectException",
            message: `I/O error on POST request for "https://pay.example/charge": Connection refused`,
            stack: null,
          },
        ]),
        failing([{ type: null, message: "java.io.IOException: No space left on device", stack: null }]),
      ]);
      const clusters = await s.listClusters({});
      expect(clusters.map((c) => [c.failures, c.category])).toEqual([
        [3, "infrastructure"],
        [1, "infrastructure"],
      ]);
      // Executions the environment failed are no evidence about their tests: not flaky, not failed.
      const histories = await s.listVerdicts({});
      expect(histories.flatMap((h) => h.verdicts.map((v) => v.outcome))).toEqual(Array(4).fill("infrastructure"));
      const one = histories[0];
      const [again] = await s.listVerdicts({ testIds: [one?.test.id ?? ""] });
      expect(again?.verdicts.map((v) => v.outcome)).toEqual(["infrastructure"]);
    } finally {
      await s.close();
    }
  });

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
      // The three refused connections are the environment's failures, not their tests'.
      expect(outcomes).toEqual([
        "failed",
        "failed",
        "failed",
        "flaky",
        "infrastructure",
        "infrastructure",
        "infrastructure",
      ]);
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
