import { Readable } from "node:stream";
import type { FailureText } from "../../src/analysis/failure-signature.js";
import type { NormalizedTestResult, TestAttempt } from "../../src/domain/test-result.js";
import { emptySummary } from "../../src/ingest/normalize.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import type { ReportContent, RunKey } from "../../src/store/ports.js";
import { normalizedResultFactory } from "../factories/test-report.js";

/** The project the store tests write to. */
export const PROJECT = "acme/shop";

/** A GitHub Actions run of the project's `test` job on `main` (override any field). */
export const runKey = (ciRunId: string, overrides: Partial<RunKey> = {}): RunKey => ({
  project: PROJECT,
  provider: "github-actions",
  ciRunId,
  attempt: 1,
  commitSha: "0123456789abcdef0123456789abcdef01234567",
  branch: "main",
  pullRequest: null,
  job: "test",
  workflow: "ci",
  url: null,
  repository: PROJECT,
  startedAt: "2026-11-30T10:00:00.000Z",
  ...overrides,
});

/** A result of a test (a new one unless `of` names it) whose attempts fail with the given texts, passing last when `passes`. */
export function failingResult(
  failures: readonly FailureText[],
  passes = false,
  of?: NormalizedTestResult,
): NormalizedTestResult {
  const base = of ?? normalizedResultFactory.build({}, { transient: { project: PROJECT } });
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

/** The same test as `of`, passing at its first attempt. */
export const passingResult = (of: NormalizedTestResult): NormalizedTestResult => ({
  ...of,
  attempts: [
    {
      attempt: 1,
      status: "passed",
      durationMs: 9,
      startedAt: null,
      failure: null,
      skipReason: null,
      stdout: null,
      stderr: null,
    },
  ],
});

/** A report's content made of the given results (its raw bytes are the results' ids). */
export function reportContent(results: readonly NormalizedTestResult[]): ReportContent {
  return {
    openRaw: () => Readable.from([Buffer.from(JSON.stringify(results.map((r) => r.test.id)))]),
    produce: async (sink) => {
      for (const result of results) await sink.add(result);
      return { summary: { ...emptySummary(), tests: results.length }, info: undefined };
    },
  };
}

let reports = 0;

/** Stores one report of `results` in the run `key`; returns Kaizen's run id. */
export async function storeRun(s: KyselyStore, key: RunKey, results: readonly NormalizedTestResult[]): Promise<number> {
  const sha = `sha-${process.pid}-${reports++}`.padEnd(64, "0");
  const stored = await s.writeReport(
    { run: key, sha256: sha, format: "junit-xml", path: `${sha}.xml`, size: 1 },
    reportContent(results),
  );
  return stored.runId;
}
