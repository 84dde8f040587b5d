import type { TestStatus } from "../domain/test-status.js";

/**
 * Raw records: what a parser produces. They mirror what the report says, in the report's own
 * terms, with no identity computed and no defaults invented; `normalize.ts` alone turns them
 * into the domain model.
 */

/** A failure as the report states it. */
export interface RawFailure {
  /** Exception or assertion type (`java.lang.AssertionError`, `AssertionError`, `TimeoutError`). */
  readonly type?: string;
  /** The failure message. */
  readonly message?: string;
  /** The stack trace or failure body. */
  readonly stack?: string;
}

/** One execution of a test. A report with retries gives several, in the order they ran. */
export interface RawAttempt {
  /** The outcome of this attempt. */
  readonly status: TestStatus;
  /** Wall time in milliseconds, when the report gives it. */
  readonly durationMs?: number;
  /** ISO-8601 start time, when the report gives it. */
  readonly startedAt?: string;
  /** Why it failed or errored. */
  readonly failure?: RawFailure;
  /** Why it was skipped, for `skipped` attempts. */
  readonly skipReason?: string;
  /** Captured standard output. */
  readonly stdout?: string;
  /** Captured standard error. */
  readonly stderr?: string;
}

/** A test case with all its attempts in one report. */
export interface RawTestCase {
  readonly kind: "case";
  /** Enclosing suites, outermost first (nested `testsuite` names, `describe` blocks, a Playwright project). */
  readonly suite: readonly string[];
  /** The class or module the test belongs to, for formats that have one (JUnit `classname`). */
  readonly className?: string;
  /** The test's name as the report gives it. */
  readonly name: string;
  /** Source file as the report gives it (absolute or relative, any separator). */
  readonly file?: string;
  /** 1-based line of the test in {@link RawTestCase.file}. */
  readonly line?: number;
  /** At least one attempt, oldest first. */
  readonly attempts: readonly [RawAttempt, ...RawAttempt[]];
  /** Key/value properties (JUnit `properties`, Playwright annotations, TRX properties). */
  readonly properties?: Readonly<Record<string, string>>;
  /** Tags (Cucumber tags, Playwright tags, NUnit categories, xUnit traits). */
  readonly tags?: readonly string[];
}

/**
 * A failure that belongs to a suite, package or file rather than to one test: a Go package
 * whose build failed, a Jest test file that could not run, a testsuite-level `<error>`.
 */
export interface RawSuiteFailure {
  readonly kind: "suite-failure";
  /** The suite (package, file) that failed, outermost first; never empty. */
  readonly suite: readonly [string, ...string[]];
  /** Source file, when known. */
  readonly file?: string;
  /** What went wrong. */
  readonly failure: RawFailure;
  /** `error` for crashes and build failures, `failed` for a failing hook. */
  readonly status: "failed" | "error";
  /** Wall time in milliseconds, when known. */
  readonly durationMs?: number;
  /** Captured output of the suite, when the report gives it. */
  readonly stdout?: string;
  /** Captured standard error of the suite, when the report gives it. */
  readonly stderr?: string;
}

/** Facts about the whole report. */
export interface RawReportInfo {
  readonly kind: "report";
  /** The tool that wrote the report, when it says (`jest`, `pytest`, `playwright`). */
  readonly tool?: string;
  /** The tool's version, when it says. */
  readonly toolVersion?: string;
  /** ISO-8601 start of the run. */
  readonly startedAt?: string;
  /** Total wall time in milliseconds. */
  readonly durationMs?: number;
  /** Host the tests ran on. */
  readonly hostname?: string;
  /** Report-level properties. */
  readonly properties?: Readonly<Record<string, string>>;
}

/** Any record a parser emits. */
export type RawRecord = RawTestCase | RawSuiteFailure | RawReportInfo;

/**
 * Where a parser sends records. `emit` may return a promise: parsers await it, which gives
 * the store back-pressure on huge reports.
 */
export interface RawRecordSink {
  /** Receives one record. */
  emit(record: RawRecord): void | Promise<void>;
}
