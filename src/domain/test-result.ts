import type { TestId } from "./test-identity.js";
import type { TestStatus } from "./test-status.js";

/** A test as the history store knows it: its stable identity and where it lives. */
export interface TestCase {
  /** Stable id computed from project, suite, name and file. */
  readonly id: TestId;
  /** Suite path joined with " › "; `""` when the format has none. */
  readonly suite: string;
  /** The test's name. */
  readonly name: string;
  /** Repository-relative path with `/` separators, or `null`. */
  readonly file: string | null;
  /** 1-based line of the test in its file, as last reported, or `null`. */
  readonly line: number | null;
}

/** A failure of one attempt, with its text bounded. */
export interface FailureDetail {
  /** Exception or assertion type, or `null` when the report gives none. */
  readonly type: string | null;
  /** The failure message (bounded). */
  readonly message: string;
  /** The stack trace or failure body (bounded), or `null`. */
  readonly stack: string | null;
}

/** One execution of a test within a run. */
export interface TestAttempt {
  /** 1-based attempt number within the run; retries count up. */
  readonly attempt: number;
  /** What happened. */
  readonly status: TestStatus;
  /** Wall time in milliseconds, or `null` when unknown. */
  readonly durationMs: number | null;
  /** ISO-8601 start, or `null`. */
  readonly startedAt: string | null;
  /** Present exactly when `status` is `failed` or `error`. */
  readonly failure: FailureDetail | null;
  /** Why it was skipped, for skipped attempts, or `null`. */
  readonly skipReason: string | null;
  /** Captured stdout (head and tail kept when long), or `null`. */
  readonly stdout: string | null;
  /** Captured stderr (head and tail kept when long), or `null`. */
  readonly stderr: string | null;
}

/**
 * The outcome of a test over all its attempts in one run:
 * `flaky` means it failed and then passed on a retry within the run.
 */
export type TestOutcome = TestStatus | "flaky";

/** Decides the outcome of a test from its attempts, oldest first. */
export function outcomeOf(attempts: readonly Pick<TestAttempt, "status">[]): TestOutcome {
  const last = attempts[attempts.length - 1];
  if (last === undefined) return "skipped";
  const failedBefore = attempts.some((a) => a.status === "failed" || a.status === "error");
  return last.status === "passed" && failedBefore ? "flaky" : last.status;
}

/** A test with all its attempts in one report, as `normalize` produces it. */
export interface NormalizedTestResult {
  /** The test. */
  readonly test: TestCase;
  /** Attempts, oldest first; never empty. */
  readonly attempts: readonly [TestAttempt, ...TestAttempt[]];
  /** Properties from the report. */
  readonly properties: Readonly<Record<string, string>>;
  /** Tags from the report. */
  readonly tags: readonly string[];
}
