import type { TestStatus } from "../../domain/test-status.js";
import type { ReportSniff, ReportSource, ResultParser } from "../parser.js";
import type {
  RawAttempt,
  RawFailure,
  RawRecordSink,
  RawReportInfo,
  RawSuiteFailure,
  RawTestCase,
} from "../raw-records.js";
import { failureFromParts } from "./failure-text.js";
import { sniffShape } from "./json-scan.js";
import { mochaReportSchema, type MochaError, type MochaReport, type MochaTest } from "./mocha-json-schema.js";
import { readValidatedJson } from "./validated-json.js";

const KIND = { label: "Mocha JSON report", required: ["tests"] } as const;

/**
 * Mocha's `stats` counts passes, pending and failures; the top-level `tests` list sets the
 * report apart from reporters that borrow those counters (mochawesome nests its tests in
 * `results`).
 */
function isMochaJson(sniff: ReportSniff): boolean {
  if (sniff.syntax !== "json") return false;
  const { root, paths } = sniffShape(sniff);
  return (
    root === "object" &&
    paths.has("stats.passes") &&
    paths.has("stats.pending") &&
    paths.has("stats.failures") &&
    paths.has("tests") &&
    !paths.has("results")
  );
}

function durationOf(ms: number | null | undefined): number | undefined {
  return typeof ms === "number" && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

function nonEmpty(text: string | null | undefined): string | undefined {
  return text === null || text === undefined || text === "" ? undefined : text;
}

/** Tests are matched across `tests`, `pending` and `failures` by file and full title: the JSON has no ids. */
function keyOf(test: MochaTest): string {
  return `${test.file ?? ""}\u0000${test.fullTitle}`;
}

function hasError(err: MochaError | null | undefined): err is MochaError {
  return err !== null && err !== undefined && Object.keys(err).length > 0;
}

/**
 * The enclosing suites: `fullTitle` is the titles of the enclosing suites and the test,
 * joined by spaces, so what precedes the title is the suites' path. Suite titles may hold
 * spaces themselves, so the path cannot be split further and is kept as one level.
 */
function suiteOf(test: MochaTest): string[] {
  if (!test.fullTitle.endsWith(test.title)) return [];
  const prefix = test.fullTitle.slice(0, test.fullTitle.length - test.title.length);
  const suite = prefix.endsWith(" ") ? prefix.slice(0, -1) : prefix;
  return suite === "" ? [] : [suite];
}

function failureOf(err: MochaError): RawFailure {
  const message = nonEmpty(err.message);
  const stack = nonEmpty(err.stack);
  // Mocha marks its own timeouts with a code; the error itself is a plain `Error`.
  const type = err.code === "ERR_MOCHA_TIMEOUT" ? "TimeoutError" : nonEmpty(err.name);
  return failureFromParts({
    ...(type === undefined ? {} : { type }),
    ...(message === undefined ? {} : { message }),
    ...(stack === undefined ? {} : { stack }),
  });
}

interface Membership {
  readonly pending: ReadonlySet<string> | undefined;
  readonly failures: ReadonlySet<string>;
}

function statusOf(test: MochaTest, membership: Membership): TestStatus {
  const failed = hasError(test.err);
  const key = keyOf(test);
  // Without a `pending` list, a test that never ran is the one without a duration.
  const skipped = membership.pending === undefined ? test.duration == null : membership.pending.has(key);
  if (skipped && !failed) return "skipped";
  return failed || membership.failures.has(key) ? "failed" : "passed";
}

/**
 * The attempts of a test. Mocha reports only the last attempt; `currentRetry` says how many
 * failed before it (Mocha retries only after a failure), with nothing else known of them.
 */
function attemptsOf(test: MochaTest, status: TestStatus): [RawAttempt, ...RawAttempt[]] {
  const durationMs = durationOf(test.duration);
  const last: RawAttempt = {
    status,
    ...(durationMs === undefined ? {} : { durationMs }),
    ...(status === "failed" && hasError(test.err) ? { failure: failureOf(test.err) } : {}),
  };
  const retries = Math.max(0, Math.floor(test.currentRetry ?? 0));
  const earlier: RawAttempt[] = Array.from({ length: retries }, () => ({ status: "failed" }));
  const first = earlier[0];
  return first === undefined ? [last] : [first, ...earlier.slice(1), last];
}

function testCaseOf(test: MochaTest, membership: Membership): RawTestCase {
  const file = nonEmpty(test.file);
  return {
    kind: "case",
    suite: suiteOf(test),
    name: test.title,
    ...(file === undefined ? {} : { file }),
    attempts: attemptsOf(test, statusOf(test, membership)),
  };
}

/**
 * A failure listed without a matching test: a hook (`"before all" hook for "…"`) that
 * failed, which keeps the tests it guards from running (they are then absent from the
 * report), or an error Mocha caught outside any test.
 */
function hookFailureOf(entry: MochaTest): RawSuiteFailure {
  const file = nonEmpty(entry.file);
  const [suite] = suiteOf(entry);
  const durationMs = durationOf(entry.duration);
  return {
    kind: "suite-failure",
    suite: [suite ?? file ?? entry.fullTitle],
    ...(file === undefined ? {} : { file }),
    failure: entry.err == null ? {} : failureOf(entry.err),
    status: "failed",
    ...(durationMs === undefined ? {} : { durationMs }),
  };
}

function reportInfoOf(report: MochaReport): RawReportInfo {
  const startedAt = nonEmpty(report.stats?.start);
  const durationMs = durationOf(report.stats?.duration);
  return {
    kind: "report",
    tool: "mocha",
    ...(startedAt === undefined ? {} : { startedAt }),
    ...(durationMs === undefined ? {} : { durationMs }),
  };
}

async function parseMochaJson(source: ReportSource, sink: RawRecordSink): Promise<void> {
  const report = await readValidatedJson(source, mochaReportSchema, KIND);
  await sink.emit(reportInfoOf(report));
  const membership: Membership = {
    pending: report.pending == null ? undefined : new Set(report.pending.map(keyOf)),
    failures: new Set((report.failures ?? []).map(keyOf)),
  };
  const tests = new Set<string>();
  for (const test of report.tests) {
    tests.add(keyOf(test));
    await sink.emit(testCaseOf(test, membership));
  }
  for (const entry of report.failures ?? []) {
    if (!tests.has(keyOf(entry))) await sink.emit(hookFailureOf(entry));
  }
}

/**
 * Mocha `json` reporter output. The suite path is the full title minus the test's title
 * (one level: Mocha joins suite titles with spaces); `currentRetry` gives the failed
 * attempts before the reported one; failed hooks become suite failures.
 */
export const mochaJsonParser: ResultParser = {
  format: "mocha-json",
  description: "Mocha JSON report (mocha --reporter json --reporter-option output=report.json)",
  matches: isMochaJson,
  parse: parseMochaJson,
};
