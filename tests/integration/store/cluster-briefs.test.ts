import { Readable } from "node:stream";
import { faker } from "@faker-js/faker";
import { afterAll, describe, expect, it } from "vitest";
import type { FailureText } from "../../../src/analysis/failure-signature.js";
import type { NormalizedTestResult, TestAttempt } from "../../../src/domain/test-result.js";
import { emptySummary } from "../../../src/ingest/normalize.js";
import type { KyselyStore } from "../../../src/store/kysely-store.js";
import type { ReportContent, RunKey } from "../../../src/store/ports.js";
import { connectionRefused, jestAssertion } from "../../factories/failure-text.js";
import { normalizedResultFactory } from "../../factories/test-report.js";
import { dialectsUnderTest, freshStore } from "../../support/store-dialects.js";

const run = (ciRunId: string): RunKey => ({
  project: "acme/shop",
  provider: "github-actions",
  ciRunId,
  attempt: 1,
  commitSha: faker.git.commitSha(),
  branch: "main",
  pullRequest: null,
  job: "test",
  workflow: "ci",
  url: null,
  repository: "acme/shop",
  startedAt: null,
});

function failing(failure: FailureText): NormalizedTestResult {
  const base = normalizedResultFactory.build({}, { transient: { project: "acme/shop" } });
  const attempt: TestAttempt = {
    attempt: 1,
    status: "failed",
    durationMs: 10,
    startedAt: null,
    failure,
    skipReason: null,
    stdout: null,
    stderr: null,
  };
  return { ...base, attempts: [attempt] };
}

function content(results: readonly NormalizedTestResult[]): ReportContent {
  return {
    openRaw: () => Readable.from([Buffer.from(faker.string.uuid())]),
    produce: async (sink) => {
      for (const result of results) await sink.add(result);
      return { summary: { ...emptySummary(), tests: results.length }, info: undefined };
    },
  };
}

async function store(s: KyselyStore, ciRunId: string, results: readonly NormalizedTestResult[]): Promise<number> {
  const sha256 = faker.string.hexadecimal({ length: 64, casing: "lower", prefix: "" });
  const stored = await s.writeReport(
    { run: run(ciRunId), sha256, format: "junit-xml", path: `${sha256}.xml`, size: 1 },
    content(results),
  );
  return stored.runId;
}

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
