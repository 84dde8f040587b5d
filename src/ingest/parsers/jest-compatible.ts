import type { TestStatus } from "../../domain/test-status.js";
import type { ReportSniff, ReportSource } from "../parser.js";
import type {
  RawAttempt,
  RawFailure,
  RawRecordSink,
  RawReportInfo,
  RawSuiteFailure,
  RawTestCase,
} from "../raw-records.js";
import { errorTypeOf, failureFromParts, failureFromText, stripAnsi, withoutTypePrefix } from "./failure-text.js";
import {
  jestReportSchema,
  type JestAssertionResult,
  type JestFileResult,
  type JestReport,
  type JestTestStatus,
} from "./jest-compatible-schema.js";
import { sniffShape } from "./json-scan.js";
import { readValidatedJson } from "./validated-json.js";

/**
 * The Jest-compatible JSON report shape, shared by `jest --json` and Vitest's `json`
 * reporter. Both parsers read it with the code here and differ in how the report says a
 * test was retried; {@link jestCompatibleFlavor} decides which tool wrote a file, so the
 * two parsers never both claim one.
 */

/** Which tool wrote a Jest-compatible report. */
export type JestFlavor = "jest" | "vitest";

interface FlavorSpec {
  readonly label: string;
  readonly tool: string;
}

const FLAVORS: Readonly<Record<JestFlavor, FlavorSpec>> = {
  jest: { label: "Jest JSON report", tool: "jest" },
  vitest: { label: "Vitest JSON report", tool: "vitest" },
};

/** Members of the aggregated result that both tools write at the top. */
const AGGREGATE_KEYS = ["numTotalTests", "numTotalTestSuites", "numPassedTests", "numFailedTests"];
/** Top-level members only Jest writes (Vitest's reporter builds its own, smaller, object). */
const JEST_TOP_KEYS = ["numRuntimeErrorTestSuites", "openHandles", "wasInterrupted"];
/** Members of a test only Vitest writes. */
const VITEST_KEYS = ["testResults[].assertionResults[].meta"];
/** Deeper members only Jest writes: jest-circus fields, or the unformatted `AggregatedResult`. */
const JEST_DEEP_KEYS = [
  "testResults[].testFilePath",
  "testResults[].perfStats",
  "testResults[].testResults",
  "testResults[].assertionResults[].invocations",
  "testResults[].assertionResults[].numPassingAsserts",
];

/**
 * Whether the file is a Jest-compatible JSON report and, if so, which tool wrote it. Vitest
 * mirrors Jest's format but never writes Jest's `numRuntimeErrorTestSuites`, `openHandles`
 * or `wasInterrupted`, which Jest writes before `testResults`, so they are in any sniff.
 */
export function jestCompatibleFlavor(sniff: ReportSniff): JestFlavor | undefined {
  if (sniff.syntax !== "json") return undefined;
  const { root, paths } = sniffShape(sniff);
  if (root !== "object" || !paths.has("testResults")) return undefined;
  if (!AGGREGATE_KEYS.some((key) => paths.has(key))) return undefined;
  if (JEST_TOP_KEYS.some((key) => paths.has(key))) return "jest";
  if (VITEST_KEYS.some((key) => paths.has(key))) return "vitest";
  return JEST_DEEP_KEYS.some((key) => paths.has(key)) ? "jest" : "vitest";
}

const STATUS: Readonly<Record<JestTestStatus, TestStatus>> = {
  passed: "passed",
  failed: "failed",
  skipped: "skipped",
  pending: "skipped",
  todo: "skipped",
  disabled: "skipped",
  // Jasmine-era status with no outcome attached; the test is not known to have run.
  focused: "skipped",
};

/** Largest epoch value `Date` accepts. */
const MAX_EPOCH_MS = 8.64e15;

function isoFromEpochMs(ms: number | null | undefined): string | undefined {
  return typeof ms === "number" && Number.isFinite(ms) && ms > 0 && ms <= MAX_EPOCH_MS
    ? new Date(ms).toISOString()
    : undefined;
}

function durationOf(ms: number | null | undefined): number | undefined {
  return typeof ms === "number" && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** One failure made of several texts: the first gives type and message, all of them the stack. */
function combine(all: readonly RawFailure[]): RawFailure | undefined {
  const failures = all.filter(hasContent);
  const [first, ...rest] = failures;
  if (first === undefined) return undefined;
  if (rest.length === 0) return first;
  const stack = failures
    .map((failure) => failure.stack ?? failure.message)
    .filter((text) => text !== undefined)
    .join("\n\n");
  return { ...first, ...(stack === "" ? {} : { stack }) };
}

function detailFailure(detail: unknown): RawFailure | undefined {
  if (detail === null || typeof detail !== "object") return undefined;
  const { message, stack, name } = detail as { message?: unknown; stack?: unknown; name?: unknown };
  const failure = failureFromParts({
    ...(typeof name === "string" ? { type: name } : {}),
    ...(typeof message === "string" ? { message } : {}),
    ...(typeof stack === "string" ? { stack } : {}),
  });
  return Object.keys(failure).length === 0 ? undefined : failure;
}

/**
 * A failure message as Jest writes it. Before Jest 22 or so a message was the printed
 * block, `● Suite › test` heading first; the heading repeats the test's name, so it goes.
 */
function jestMessageFailure(raw: string): RawFailure {
  const text = stripAnsi(raw);
  const heading = /^\s*● [^\n]*\n/.exec(text);
  return failureFromText(heading === null ? text : dedent(text.slice(heading[0].length).split("\n")).join("\n"));
}

function testFailure(test: JestAssertionResult): RawFailure | undefined {
  const messages = test.failureMessages ?? [];
  if (messages.length > 0) return combine(messages.map(jestMessageFailure));
  const details = (test.failureDetails ?? []).map(detailFailure).filter((failure) => failure !== undefined);
  return combine(details);
}

function chronological(earlier: readonly RawAttempt[], last: RawAttempt): [RawAttempt, ...RawAttempt[]] {
  const first = earlier[0];
  return first === undefined ? [last] : [first, ...earlier.slice(1), last];
}

/** Whether a failure says anything: a blank failure text yields `{}`, which is no failure. */
function hasContent(failure: RawFailure | undefined): failure is RawFailure {
  return failure !== undefined && Object.keys(failure).length > 0;
}

function failedAttempt(failure: RawFailure | undefined): RawAttempt {
  return hasContent(failure) ? { status: "failed", failure } : { status: "failed" };
}

/**
 * Attempts before the last, as Jest reports them: `invocations` counts every run, and with
 * `logErrorsBeforeRetry` each entry of `retryReasons` is the error of one failed attempt.
 */
function jestEarlierAttempts(test: JestAssertionResult): RawAttempt[] {
  const reasons = test.retryReasons ?? [];
  const invocations = test.invocations ?? 0;
  const count = invocations > 1 ? invocations - 1 : reasons.length;
  const attempts: RawAttempt[] = [];
  for (let i = 0; i < count; i++) {
    // An attempt can fail with several errors; any reasons beyond one per attempt belong to the last.
    const own = i < count - 1 ? reasons.slice(i, i + 1) : reasons.slice(i);
    attempts.push(failedAttempt(combine(own.map(jestMessageFailure))));
  }
  return attempts;
}

function scalarProperties(meta: Readonly<Record<string, unknown>> | null | undefined): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(meta ?? {})) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      properties[key] = String(value);
    }
  }
  return properties;
}

function lastAttempt(test: JestAssertionResult, status: TestStatus, failure: RawFailure | undefined): RawAttempt {
  const durationMs = durationOf(test.duration);
  const startedAt = isoFromEpochMs(test.startAt);
  return {
    status,
    ...(durationMs === undefined ? {} : { durationMs }),
    ...(startedAt === undefined ? {} : { startedAt }),
    ...(hasContent(failure) ? { failure } : {}),
  };
}

/**
 * The attempts of one test. Jest keeps only the last attempt's errors and counts runs in
 * `invocations`. Vitest keeps the errors of every attempt in `failureMessages` and no count:
 * each message is taken as one failed attempt, which is exact for a retried test that
 * passed, and for one that kept failing unless an attempt failed with several errors.
 */
function attemptsOf(test: JestAssertionResult, flavor: JestFlavor): [RawAttempt, ...RawAttempt[]] {
  const status = STATUS[test.status];
  if (flavor === "jest") {
    return chronological(
      jestEarlierAttempts(test),
      lastAttempt(test, status, status === "failed" ? testFailure(test) : undefined),
    );
  }
  const failures = (test.failureMessages ?? []).map(failureFromText);
  if (status === "passed") return chronological(failures.map(failedAttempt), lastAttempt(test, status, undefined));
  if (status !== "failed" || failures.length === 0) return [lastAttempt(test, status, undefined)];
  return chronological(
    failures.slice(0, -1).map(failedAttempt),
    lastAttempt(test, status, failures[failures.length - 1]),
  );
}

function testCaseOf(
  test: JestAssertionResult,
  file: string | undefined,
  project: string | undefined,
  flavor: JestFlavor,
): RawTestCase {
  const properties = scalarProperties(test.meta);
  const tags = test.tags ?? [];
  const line = test.location?.line;
  return {
    kind: "case",
    suite: project === undefined ? test.ancestorTitles : [project, ...test.ancestorTitles],
    name: test.title,
    ...(file === undefined ? {} : { file }),
    ...(line === undefined ? {} : { line }),
    attempts: attemptsOf(test, flavor),
    ...(Object.keys(properties).length === 0 ? {} : { properties }),
    ...(tags.length === 0 ? {} : { tags }),
  };
}

const FAILED_TO_RUN = "● Test suite failed to run";

function dedent(lines: readonly string[]): string[] {
  const indent = lines
    .filter((line) => line.trim() !== "")
    .reduce((least, line) => Math.min(least, line.length - line.trimStart().length), Number.POSITIVE_INFINITY);
  return lines.map((line) => line.slice(indent));
}

/**
 * The failure in a file's printed failure output. Jest prints the cause of a file that
 * failed to run under a `● Test suite failed to run` heading, first paragraph first; Vitest
 * writes the bare error message.
 */
function suiteMessageFailure(raw: string): RawFailure {
  const text = stripAnsi(raw);
  const at = text.indexOf(FAILED_TO_RUN);
  const block = dedent((at === -1 ? text : text.slice(at + FAILED_TO_RUN.length)).split("\n"))
    .join("\n")
    .trim();
  const paragraph = block.replace(/\n[ \t]*\n[\s\S]*$/, "");
  const type = errorTypeOf(paragraph);
  const message = withoutTypePrefix(paragraph, type);
  return {
    ...(type === undefined ? {} : { type }),
    ...(message === "" ? {} : { message }),
    ...(block === paragraph ? {} : { stack: block }),
  };
}

function execFailure(file: JestFileResult, text: string | undefined): RawFailure {
  const exec = file.testExecError;
  const fromText = text === undefined ? {} : suiteMessageFailure(text);
  if (typeof exec === "string") {
    return { ...failureFromText(exec), ...(fromText.stack === undefined ? {} : { stack: fromText.stack }) };
  }
  if (exec === null || exec === undefined || (exec.message == null && exec.stack == null)) return fromText;
  const failure = failureFromParts({
    ...(exec.message == null ? {} : { message: exec.message }),
    ...(exec.stack == null ? {} : { stack: exec.stack }),
  });
  return failure.stack === undefined && fromText.stack !== undefined ? { ...failure, stack: fromText.stack } : failure;
}

function consoleOutput(file: JestFileResult): { stdout?: string; stderr?: string } {
  const entries = file.console ?? [];
  const stderr = entries.filter((entry) => entry.type === "error" || entry.type === "warn");
  const stdout = entries.filter((entry) => !stderr.includes(entry));
  return {
    ...(stdout.length === 0 ? {} : { stdout: stdout.map((entry) => entry.message).join("\n") }),
    ...(stderr.length === 0 ? {} : { stderr: stderr.map((entry) => entry.message).join("\n") }),
  };
}

/**
 * The failure of a test file as a whole (it could not be loaded, a hook outside any test
 * threw), if the report states one: a `testExecError`, Jest's "Test suite failed to run"
 * output, or a file marked failed without any failed test to account for it.
 */
function fileFailureOf(
  file: JestFileResult,
  tests: readonly JestAssertionResult[],
  path: string | undefined,
  project: string | undefined,
): RawSuiteFailure | undefined {
  if (path === undefined) return undefined;
  const raw = file.failureMessage ?? file.message ?? undefined;
  const text = raw === undefined || raw.trim() === "" ? undefined : raw;
  const failedToRun = text !== undefined && stripAnsi(text).includes(FAILED_TO_RUN);
  const unexplained = file.status === "failed" && !tests.some((test) => test.status === "failed");
  if (file.testExecError == null && !failedToRun && !unexplained) return undefined;
  const start = file.perfStats?.start ?? file.startTime;
  const end = file.perfStats?.end ?? file.endTime;
  const durationMs =
    typeof start === "number" && typeof end === "number" && start > 0 && end > start ? end - start : undefined;
  return {
    kind: "suite-failure",
    suite: project === undefined ? [path] : [project, path],
    file: path,
    failure: execFailure(file, text),
    status: "error",
    ...(durationMs === undefined ? {} : { durationMs }),
    ...consoleOutput(file),
  };
}

function projectOf(file: JestFileResult): string | undefined {
  const name = typeof file.displayName === "string" ? file.displayName : file.displayName?.name;
  return name === undefined || name === "" ? undefined : name;
}

function reportInfoOf(report: JestReport, spec: FlavorSpec): RawReportInfo {
  const startedAt = isoFromEpochMs(report.startTime);
  return { kind: "report", tool: spec.tool, ...(startedAt === undefined ? {} : { startedAt }) };
}

/** Parses a Jest-compatible JSON report written by `flavor`, streaming records to `sink`. */
export async function parseJestCompatible(
  source: ReportSource,
  sink: RawRecordSink,
  flavor: JestFlavor,
): Promise<void> {
  const spec = FLAVORS[flavor];
  const report = await readValidatedJson(source, jestReportSchema, { label: spec.label, required: ["testResults"] });
  await sink.emit(reportInfoOf(report, spec));
  for (const file of report.testResults) {
    const path = file.name ?? file.testFilePath ?? undefined;
    const project = projectOf(file);
    const tests = file.assertionResults ?? file.testResults ?? [];
    for (const test of tests) await sink.emit(testCaseOf(test, path, project, flavor));
    const failure = fileFailureOf(file, tests, path, project);
    if (failure !== undefined) await sink.emit(failure);
  }
}
