import { FileSink } from "./file-sink.js";
import { REPORT_CLOSING, reportOpening, testsuiteXml } from "./junit-writer.js";
import type { AttemptOutcome, TestExecution } from "./run-execution.js";

/** A failed attempt, as the report that holds it numbers it. */
export interface ReportedFailure {
  readonly execution: TestExecution;
  /** 1-based attempt within the run. */
  readonly testAttempt: number;
  readonly attempt: Extract<AttemptOutcome, { status: "failed" | "error" }>;
}

/** Counts of one written report. */
export interface RunReportCounts {
  /** Failed attempts. */
  readonly failures: number;
  /** Tests that failed and then passed on a rerun. */
  readonly retriedThenPassed: number;
  /** Tests whose last attempt failed. */
  readonly failedExecutions: number;
}

/** What a report's suites are stamped with. */
export interface ReportStamp {
  /** The `<testsuites>` name. */
  readonly name: string;
  readonly startedAt: number;
  readonly hostname: string;
  readonly revision: number;
}

/** ISO-8601 to the second, as JUnit writers stamp suites. */
const stampOf = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/**
 * Writes one run's JUnit report: executions arrive in population order, consecutive ones
 * of the same suite become one `<testsuite>`, and only one suite is held in memory at a time.
 * Every failed attempt is passed to `onFailure` in file order.
 */
export async function writeRunReport(
  path: string,
  executions: Iterable<TestExecution>,
  stamp: ReportStamp,
  onFailure: (failure: ReportedFailure) => Promise<void>,
): Promise<RunReportCounts> {
  const sink = await FileSink.open(path);
  await sink.write(reportOpening(stamp.name));
  let suite: TestExecution[] = [];
  let elapsed = 0;
  let failures = 0;
  let retriedThenPassed = 0;
  let failedExecutions = 0;
  const flush = async (): Promise<void> => {
    const first = suite[0];
    if (first === undefined) return;
    await sink.write(
      testsuiteXml(suite, {
        name: first.test.suite,
        // Runners work through suites in parallel; a quarter of the serial time is a fair stamp.
        timestamp: stampOf(stamp.startedAt + elapsed / 4),
        hostname: stamp.hostname,
        revision: stamp.revision,
      }),
    );
    for (const execution of suite) {
      if (execution.skipped !== null) continue;
      for (const attempt of execution.attempts) elapsed += attempt.durationMs;
    }
    suite = [];
  };
  for (const execution of executions) {
    if (suite.length > 0 && suite[0]?.test.suite !== execution.test.suite) await flush();
    suite.push(execution);
    if (execution.skipped !== null) continue;
    const attempts = execution.attempts;
    for (let i = 0; i < attempts.length; i++) {
      const attempt = attempts[i] as AttemptOutcome;
      if (attempt.status === "passed") continue;
      failures++;
      await onFailure({ execution, testAttempt: i + 1, attempt });
    }
    const last = attempts[attempts.length - 1] as AttemptOutcome;
    if (last.status === "passed" && attempts.length > 1) retriedThenPassed++;
    if (last.status !== "passed") failedExecutions++;
  }
  await flush();
  await sink.write(REPORT_CLOSING);
  await sink.close();
  return { failures, retriedThenPassed, failedExecutions };
}
