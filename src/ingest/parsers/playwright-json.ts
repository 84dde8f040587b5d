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
import { failureFromParts, failureFromText, stripAnsi } from "./failure-text.js";
import { sniffShape } from "./json-scan.js";
import {
  playwrightReportSchema,
  type PlaywrightAnnotation,
  type PlaywrightError,
  type PlaywrightReport,
  type PlaywrightResult,
  type PlaywrightResultStatus,
  type PlaywrightSpec,
  type PlaywrightSuite,
  type PlaywrightTest,
} from "./playwright-json-schema.js";
import { readValidatedJson } from "./validated-json.js";

const KIND = { label: "Playwright JSON report", required: ["config", "suites"] } as const;

function isPlaywrightJson(sniff: ReportSniff): boolean {
  if (sniff.syntax !== "json") return false;
  const { root, paths } = sniffShape(sniff);
  if (root !== "object" || !paths.has("config")) return false;
  // `config` comes first and can be long; its own members identify the report when `suites` is past the sniff.
  return (
    paths.has("suites") ||
    (paths.has("config.rootDir") && ["configFile", "projects", "version"].some((key) => paths.has(`config.${key}`)))
  );
}

function durationOf(ms: number | null | undefined): number | undefined {
  return typeof ms === "number" && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

function nonEmpty(text: string | null | undefined): string | undefined {
  return text === null || text === undefined || text === "" ? undefined : text;
}

/**
 * What an attempt's outcome means. A result that matches `expectedStatus` passed, so a
 * `test.fail()` test that failed passed and one that passed failed; a timeout is a failure
 * of the test (Playwright has no separate error outcome), an interruption is not the test's
 * doing and is an error.
 */
function statusOf(actual: PlaywrightResultStatus, expected: PlaywrightResultStatus | null | undefined): TestStatus {
  if (actual === "skipped") return "skipped";
  if (actual === expected) return "passed";
  if (actual === "passed") return expected === "failed" ? "failed" : "passed";
  return actual === "interrupted" ? "error" : "failed";
}

function errorText(error: PlaywrightError): string | undefined {
  return nonEmpty(error.stack) ?? nonEmpty(error.message) ?? nonEmpty(error.value);
}

/**
 * The failure of one attempt. `error` is the first error as thrown (message and stack
 * apart); `errors` holds every error as printed, message, source excerpt and frames in one
 * text, and is all older reports and extra errors have.
 */
function failureOf(result: PlaywrightResult): RawFailure | undefined {
  const timeout = result.status === "timedOut" ? { type: "TimeoutError" } : {};
  const printed = result.errors ?? [];
  const thrown = result.error ?? undefined;
  const primary = thrown ?? printed[0];
  if (primary === undefined) return result.status === "timedOut" ? timeout : undefined;
  const message = nonEmpty(primary.message) ?? nonEmpty(primary.value);
  const stack = nonEmpty(primary.stack);
  const base =
    thrown === undefined
      ? failureFromText(errorText(primary) ?? "")
      : failureFromParts({ ...(message === undefined ? {} : { message }), ...(stack === undefined ? {} : { stack }) });
  const extra = printed
    .slice(1)
    .map(errorText)
    .filter((text) => text !== undefined)
    .map(stripAnsi);
  const stacks = [base.stack ?? base.message, ...extra].filter((text) => text !== undefined);
  const failure = { ...base, ...timeout, ...(extra.length === 0 ? {} : { stack: stacks.join("\n\n") }) };
  return Object.keys(failure).length === 0 ? undefined : failure;
}

function outputOf(chunks: PlaywrightResult["stdout"]): string | undefined {
  const text = (chunks ?? [])
    .map((chunk) => ("text" in chunk ? chunk.text : Buffer.from(chunk.buffer, "base64").toString("utf8")))
    .join("");
  return nonEmpty(text);
}

function annotationsOf(test: PlaywrightTest): PlaywrightAnnotation[] {
  return [...(test.annotations ?? []), ...test.results.flatMap((result) => result.annotations ?? [])];
}

/** Annotations as properties: type to description, distinct descriptions of one type joined. */
function propertiesOf(annotations: readonly PlaywrightAnnotation[]): Record<string, string> {
  const byType = new Map<string, string[]>();
  for (const { type, description } of annotations) {
    const values = byType.get(type) ?? [];
    const value = description ?? "";
    if (!values.includes(value)) values.push(value);
    byType.set(type, values);
  }
  const properties: Record<string, string> = {};
  for (const [type, values] of byType)
    properties[type] = values.filter((value) => value !== "" || values.length === 1).join(", ");
  return properties;
}

function skipReasonOf(annotations: readonly PlaywrightAnnotation[]): string | undefined {
  return (
    annotations.find(
      (annotation) => (annotation.type === "skip" || annotation.type === "fixme") && nonEmpty(annotation.description),
    )?.description ?? undefined
  );
}

function attemptOf(result: PlaywrightResult, test: PlaywrightTest, skipReason: string | undefined): RawAttempt {
  const status = statusOf(result.status, test.expectedStatus);
  const durationMs = durationOf(result.duration);
  const startedAt = nonEmpty(result.startTime);
  const failure = status === "failed" || status === "error" ? failureOf(result) : undefined;
  const stdout = outputOf(result.stdout);
  const stderr = outputOf(result.stderr);
  return {
    status,
    ...(durationMs === undefined ? {} : { durationMs }),
    ...(startedAt === undefined ? {} : { startedAt }),
    ...(failure === undefined ? {} : { failure }),
    ...(status === "skipped" && skipReason !== undefined ? { skipReason } : {}),
    ...(stdout === undefined ? {} : { stdout }),
    ...(stderr === undefined ? {} : { stderr }),
  };
}

/** A test that never ran (interrupted before it started) has no results, only a verdict. */
const VERDICT_STATUS: Readonly<Record<string, TestStatus>> = {
  expected: "passed",
  flaky: "passed",
  unexpected: "failed",
  skipped: "skipped",
};

function attemptsOf(test: PlaywrightTest, skipReason: string | undefined): [RawAttempt, ...RawAttempt[]] {
  // Results are in the order they ran, but a merged or hand-edited report may not keep it: `retry` is the truth.
  const ordered = test.results
    .map((result, index) => ({ result, order: result.retry ?? index }))
    .sort((a, b) => a.order - b.order)
    .map(({ result }) => attemptOf(result, test, skipReason));
  const [first, ...rest] = ordered;
  if (first !== undefined) return [first, ...rest];
  const status = VERDICT_STATUS[test.status ?? ""] ?? "skipped";
  return [status === "skipped" && skipReason !== undefined ? { status, skipReason } : { status }];
}

function testCaseOf(
  spec: PlaywrightSpec,
  test: PlaywrightTest,
  describes: readonly string[],
  fileSuite: PlaywrightSuite,
): RawTestCase {
  const project = nonEmpty(test.projectName);
  const file = nonEmpty(spec.file) ?? nonEmpty(fileSuite.file);
  const line = typeof spec.line === "number" && spec.line > 0 ? spec.line : undefined;
  const annotations = annotationsOf(test);
  const properties = propertiesOf(annotations);
  const tags = spec.tags ?? [];
  return {
    kind: "case",
    suite: [...(project === undefined ? [] : [project]), ...(describes.length === 0 ? [fileSuite.title] : describes)],
    name: spec.title,
    ...(file === undefined ? {} : { file }),
    ...(line === undefined ? {} : { line }),
    attempts: attemptsOf(test, skipReasonOf(annotations)),
    ...(Object.keys(properties).length === 0 ? {} : { properties }),
    ...(tags.length === 0 ? {} : { tags }),
  };
}

async function emitSuite(
  suite: PlaywrightSuite,
  describes: readonly string[],
  fileSuite: PlaywrightSuite,
  sink: RawRecordSink,
): Promise<void> {
  for (const spec of suite.specs ?? []) {
    for (const test of spec.tests) await sink.emit(testCaseOf(spec, test, describes, fileSuite));
  }
  for (const child of suite.suites ?? []) await emitSuite(child, [...describes, child.title], fileSuite, sink);
}

/** `file` relative to the root directory, as the report gives spec files, when it lies inside it. */
function relativeTo(rootDir: string | undefined, file: string): string {
  if (rootDir === undefined) return file;
  const prefix = rootDir.endsWith("/") || rootDir.endsWith("\\") ? rootDir : `${rootDir}/`;
  return file.startsWith(prefix) ? file.slice(prefix.length) : file;
}

/**
 * An error outside any test (a file that failed to load, a global setup that threw, "No
 * tests found"), as the failure of the file it points at, or else of the configuration.
 */
function globalFailureOf(error: PlaywrightError, config: PlaywrightReport["config"]): RawSuiteFailure | undefined {
  const location = nonEmpty(error.location?.file);
  const file = location === undefined ? undefined : relativeTo(nonEmpty(config.rootDir), location);
  const where = file ?? nonEmpty(config.configFile) ?? nonEmpty(config.rootDir);
  if (where === undefined) return undefined;
  const message = nonEmpty(error.message) ?? nonEmpty(error.value);
  const stack = nonEmpty(error.stack);
  return {
    kind: "suite-failure",
    suite: [where],
    ...(file === undefined ? {} : { file }),
    failure: failureFromParts({
      ...(message === undefined ? {} : { message }),
      ...(stack === undefined ? {} : { stack }),
    }),
    status: "error",
  };
}

function reportInfoOf(report: PlaywrightReport): RawReportInfo {
  const toolVersion = nonEmpty(report.config.version);
  const startedAt = nonEmpty(report.stats?.startTime);
  const durationMs = durationOf(report.stats?.duration);
  const shard = report.config.shard;
  return {
    kind: "report",
    tool: "playwright",
    ...(toolVersion === undefined ? {} : { toolVersion }),
    ...(startedAt === undefined ? {} : { startedAt }),
    ...(durationMs === undefined ? {} : { durationMs }),
    ...(shard === null || shard === undefined ? {} : { properties: { shard: `${shard.current}/${shard.total}` } }),
  };
}

async function parsePlaywrightJson(source: ReportSource, sink: RawRecordSink): Promise<void> {
  const report = await readValidatedJson(source, playwrightReportSchema, KIND);
  await sink.emit(reportInfoOf(report));
  for (const fileSuite of report.suites) await emitSuite(fileSuite, [], fileSuite, sink);
  for (const error of report.errors ?? []) {
    const failure = globalFailureOf(error, report.config);
    if (failure !== undefined) await sink.emit(failure);
  }
}

/**
 * Playwright JSON reports. Each project's run of a spec is one test whose suite path is
 * the project then the `describe` titles (the file when there is none); every entry of
 * `results` is an attempt, in retry order; annotations become properties and tags tags.
 */
export const playwrightJsonParser: ResultParser = {
  format: "playwright-json",
  description: "Playwright JSON report (reporter: [['json', { outputFile: 'report.json' }]])",
  matches: isPlaywrightJson,
  parse: parsePlaywrightJson,
};
