import { SUITE_SEPARATOR, testIdOf } from "../domain/test-identity.js";
import type { FailureDetail, NormalizedTestResult, TestAttempt, TestOutcome } from "../domain/test-result.js";
import { isFailingStatus } from "../domain/test-status.js";
import { TestTallies, type TestTally } from "./test-tallies.js";
import type { RawAttempt, RawFailure, RawRecord, RawReportInfo, RawTestCase } from "./raw-records.js";

/** Upper bounds on stored text, in characters. */
export interface TextLimits {
  /** Failure messages. */
  readonly message: number;
  /** Stack traces. */
  readonly stack: number;
  /** Captured stdout and stderr, each. */
  readonly output: number;
}

/** Default {@link TextLimits}: enough for any real assertion diff, bounded for hostile output. */
export const DEFAULT_TEXT_LIMITS: TextLimits = { message: 16 * 1024, stack: 64 * 1024, output: 64 * 1024 };

/** Options of {@link ReportNormalizer}. */
export interface NormalizeOptions {
  /** The project the tests belong to (part of their identity). */
  readonly project: string;
  /** Absolute directories stripped from file paths (the checkout, the CI workspace), so identity survives a move. */
  readonly rootDirs?: readonly string[];
  /** Text bounds; {@link DEFAULT_TEXT_LIMITS} when omitted. */
  readonly limits?: TextLimits;
}

/** Counts over one report, by outcome of each distinct test. */
export interface ReportSummary {
  /** Distinct tests. */
  tests: number;
  /** Tests whose last attempt passed and no attempt failed. */
  passed: number;
  /** Tests whose last attempt failed. */
  failed: number;
  /** Tests whose last attempt errored. */
  errors: number;
  /** Tests that were skipped. */
  skipped: number;
  /** Tests that failed and then passed on a retry (retried-then-passed). */
  flaky: number;
  /** Executions, retries included. */
  attempts: number;
}

/** An empty {@link ReportSummary}. */
export function emptySummary(): ReportSummary {
  return { tests: 0, passed: 0, failed: 0, errors: 0, skipped: 0, flaky: 0, attempts: 0 };
}

/** Adds `more` into `into`. */
export function addSummary(into: ReportSummary, more: ReportSummary): void {
  into.tests += more.tests;
  into.passed += more.passed;
  into.failed += more.failed;
  into.errors += more.errors;
  into.skipped += more.skipped;
  into.flaky += more.flaky;
  into.attempts += more.attempts;
}

/** The name given to the pseudo-test that carries a failure of a whole suite, package or file. */
export const SUITE_FAILURE_NAME = "(suite)";

/**
 * Past this many distinct tests in one report, the duplicate tracker is flushed: duplicates
 * further apart than this are then not merged into one test's attempts, but memory stays
 * bounded however large the report.
 */
export const MAX_TRACKED_TESTS = 50_000;

/**
 * Replaces NUL characters (JSON's `\u0000`, TAP YAML's `"\0"`) with U+FFFD: PostgreSQL text
 * columns refuse NUL, and one such character would otherwise fail a whole report there.
 */
export function withoutNul(text: string): string {
  return text.includes("\u0000") ? text.replaceAll("\u0000", "\uFFFD") : text;
}

/**
 * Keeps the head and the tail of a long text (the tail of a log says most about a failure),
 * replacing the middle with a marker that says how much was left out.
 */
export function boundText(raw: string, max: number): string {
  const text = withoutNul(raw);
  if (text.length <= max) return text;
  const head = Math.floor(max / 4);
  const tail = max - head;
  return `${text.slice(0, head)}\n…[${text.length - head - tail} characters omitted]…\n${text.slice(text.length - tail)}`;
}

function optionalText(text: string | undefined, max: number): string | null {
  if (text === undefined) return null;
  return text === "" ? null : boundText(text, max);
}

function finiteDuration(ms: number | undefined): number | null {
  return ms === undefined || !Number.isFinite(ms) || ms < 0 ? null : ms;
}

function isoTime(value: string | undefined): string | null {
  if (value === undefined || value.trim() === "") return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/**
 * Makes a file path repository-relative with `/` separators, so that the same test keeps
 * its identity on every machine and CI runner.
 */
export function normalizeFilePath(file: string | undefined, rootDirs: readonly string[]): string | null {
  if (file === undefined) return null;
  let path = withoutNul(file)
    .trim()
    .replace(/^file:\/\//, "")
    .replace(/\\/g, "/");
  if (path === "") return null;
  for (const root of rootDirs) {
    const prefix = root.replace(/\\/g, "/").replace(/\/+$/, "") + "/";
    if (path.startsWith(prefix)) {
      path = path.slice(prefix.length);
      break;
    }
  }
  path = path.replace(/^(\.\/)+/, "").replace(/\/{2,}/g, "/");
  return path === "" ? null : path;
}

/** Joins a suite path and class name into one suite string, dropping empty and repeated levels. */
export function suiteOf(suite: readonly string[], className?: string): string {
  const levels: string[] = [];
  for (const level of [...suite, className ?? ""]) {
    const trimmed = withoutNul(level).trim();
    if (trimmed !== "" && levels[levels.length - 1] !== trimmed) levels.push(trimmed);
  }
  return levels.join(SUITE_SEPARATOR);
}

function failureOf(raw: RawFailure | undefined, limits: TextLimits): FailureDetail {
  const stack = raw?.stack?.trim();
  const message = raw?.message?.trim() || stack?.split("\n", 1)[0]?.trim() || "";
  const type = raw?.type?.trim();
  return {
    type: type === undefined || type === "" ? null : boundText(type, 512),
    message: boundText(message, limits.message),
    stack: stack === undefined || stack === "" ? null : boundText(stack, limits.stack),
  };
}

function boundedProperties(properties: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (properties === undefined) return out;
  let count = 0;
  for (const [key, value] of Object.entries(properties)) {
    if (count++ >= 200) break;
    out[boundText(key, 256)] = boundText(value, 4096);
  }
  return out;
}

/**
 * Turns the raw records of one report into the domain model: computes test identity,
 * numbers attempts (a test listed again in the same report is a retry of it), bounds text,
 * and keeps the report's summary. The one place where identity is decided.
 */
export class ReportNormalizer {
  private readonly rootDirs: readonly string[];
  private readonly limits: TextLimits;
  private readonly tracked = new TestTallies(MAX_TRACKED_TESTS);
  private readonly counted = emptySummary();
  private info: RawReportInfo | undefined;

  constructor(private readonly options: NormalizeOptions) {
    this.rootDirs = [...(options.rootDirs ?? [])].sort((a, b) => b.length - a.length);
    this.limits = options.limits ?? DEFAULT_TEXT_LIMITS;
  }

  /** Normalizes one record; report-level records return `undefined` and are kept for {@link ReportNormalizer.reportInfo}. */
  accept(record: RawRecord): NormalizedTestResult | undefined {
    switch (record.kind) {
      case "report":
        this.info = { ...this.info, ...record };
        return undefined;
      case "suite-failure":
        return this.testCase({
          kind: "case",
          suite: record.suite,
          name: SUITE_FAILURE_NAME,
          ...(record.file === undefined ? {} : { file: record.file }),
          attempts: [
            {
              status: record.status,
              failure: record.failure,
              ...(record.durationMs === undefined ? {} : { durationMs: record.durationMs }),
              ...(record.stdout === undefined ? {} : { stdout: record.stdout }),
              ...(record.stderr === undefined ? {} : { stderr: record.stderr }),
            },
          ],
          properties: { "kaizen.kind": "suite-failure" },
        });
      case "case":
        return this.testCase(record);
    }
  }

  /** What the report said about itself, merged over all its report records. */
  reportInfo(): RawReportInfo | undefined {
    return this.info;
  }

  /** Counts by outcome of each distinct test; call once the report is complete. */
  summary(): ReportSummary {
    this.flushTracked();
    return { ...this.counted };
  }

  private flushTracked(): void {
    this.tracked.forEach((tally) => this.count(tally));
    this.tracked.clear();
  }

  private count(tally: TestTally): void {
    const outcome: TestOutcome = tally.last === "passed" && tally.failedBefore ? "flaky" : tally.last;
    this.counted.tests++;
    if (outcome === "passed") this.counted.passed++;
    else if (outcome === "failed") this.counted.failed++;
    else if (outcome === "error") this.counted.errors++;
    else if (outcome === "skipped") this.counted.skipped++;
    else this.counted.flaky++;
  }

  /** The last suite computed, by its inputs: consecutive tests of one suite share them (parsers reuse the array). */
  private lastSuite: { path: readonly string[]; className: string | undefined; suite: string } | undefined;
  /** The last file path normalized, likewise. */
  private lastFile: { raw: string | undefined; file: string | null } | undefined;

  private testCase(raw: RawTestCase): NormalizedTestResult {
    const last = this.lastSuite;
    const suite =
      last !== undefined && last.path === raw.suite && last.className === raw.className
        ? last.suite
        : (this.lastSuite = { path: raw.suite, className: raw.className, suite: suiteOf(raw.suite, raw.className) })
            .suite;
    const trimmed = withoutNul(raw.name).trim();
    const name = trimmed === "" ? "(unnamed)" : trimmed;
    const file =
      this.lastFile?.raw === raw.file && this.lastFile !== undefined
        ? this.lastFile.file
        : (this.lastFile = { raw: raw.file, file: normalizeFilePath(raw.file, this.rootDirs) }).file;
    const id = testIdOf({ project: this.options.project, suite, name, file });
    let slot = this.tracked.slotOf(id);
    if (slot < 0) {
      this.flushTracked();
      slot = this.tracked.slotOf(id);
    }
    const attempts: TestAttempt[] = [];
    for (const rawAttempt of raw.attempts) {
      this.counted.attempts++;
      attempts.push(this.attempt(rawAttempt, this.tracked.record(slot, rawAttempt.status)));
    }
    const line = raw.line !== undefined && Number.isInteger(raw.line) && raw.line > 0 ? raw.line : null;
    return {
      test: { id, suite, name, file, line },
      attempts: attempts as [TestAttempt, ...TestAttempt[]],
      properties: boundedProperties(raw.properties),
      tags:
        raw.tags === undefined || raw.tags.length === 0
          ? []
          : [...new Set(raw.tags)].slice(0, 100).map((tag) => boundText(tag, 256)),
    };
  }

  private attempt(raw: RawAttempt, attempt: number): TestAttempt {
    return {
      attempt,
      status: raw.status,
      durationMs: finiteDuration(raw.durationMs),
      startedAt: isoTime(raw.startedAt),
      failure: isFailingStatus(raw.status) ? failureOf(raw.failure, this.limits) : null,
      skipReason: raw.status === "skipped" ? optionalText(raw.skipReason, this.limits.message) : null,
      stdout: optionalText(raw.stdout, this.limits.output),
      stderr: optionalText(raw.stderr, this.limits.output),
    };
  }
}
