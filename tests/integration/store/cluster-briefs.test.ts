import { faker } from "@faker-js/faker";
import { afterAll, describe, expect, it } from "vitest";
import type { FailureText } from "../../../src/analysis/failure-signature.js";
import type { KyselyStore } from "../../../src/store/kysely-store.js";
import { connectionRefused, jestAssertion } from "../../factories/failure-text.js";
import { dialectsUnderTest, freshStore } from "../../support/store-dialects.js";
import { failingResult, runKey, storeRun } from "../../support/stored-runs.js";

// Each run on a commit of its own, as pushes are.
const store = (s: KyselyStore, ciRunId: string, results: Parameters<typeof storeRun>[2]) =>
  storeRun(s, runKey(ciRunId, { commitSha: faker.git.commitSha(), startedAt: null }), results);
const failing = (failure: FailureText) => failingResult([failure]);

describe.each(dialectsUnderTest())("cluster briefs on $name", (dialect) => {
  afterAll(() => dialect.cleanup());

  it("reads many clusters in one go, as their rows say, leaving unknown ids out", async () => {
    const s = await freshStore(dialect);
    try {
      const first = await store(s, "1", [failing(connectionRefused()), failing(connectionRefused())]);
      const second = await store(s, "2", [failing(connectionRefused()), failing(jestAssertion())]);
      const clusters = await s.listClusters({ project: "acme/shop" });
      expect(clusters).toHaveLength(2);
      const ids = clusters.map((c) => c.id);
      const briefs = await s.clustersByIds([...ids, ...ids, 999_999]);
      expect(briefs).toEqual(
        clusters
          .map((c) => ({
            id: c.id,
            title: c.title,
            category: c.category,
            categorySource: c.categorySource,
            confidence: c.confidence,
            failures: c.failures,
            firstSeenRunId: c.firstSeen.runId,
            lastSeenRunId: c.lastSeen.runId,
          }))
          .sort((a, b) => a.id - b.id),
      );
      const refused = briefs.find((b) => b.failures === 3);
      expect(refused).toMatchObject({ category: "infrastructure", firstSeenRunId: first, lastSeenRunId: second });
      expect(briefs.find((b) => b.failures === 1)?.firstSeenRunId).toBe(second);
      expect(await s.clustersByIds([])).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
