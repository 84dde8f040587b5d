import { parseError } from "../../domain/errors.js";
import type { TestStatus } from "../../domain/test-status.js";
import type { RawAttempt, RawFailure, RawTestCase } from "../raw-records.js";
import type { XmlElement } from "../xml-stream.js";
import {
  addProperties,
  firstLine,
  isoTimestamp,
  lineNumber,
  nonBlank,
  secondsToMs,
  tidyText,
} from "./junit-xml-values.js";

/** What a `<testcase>` inherits from the `<testsuite>` elements around it. */
export interface TestCaseContext {
  /** The file being parsed, for error messages. */
  readonly path: string;
  /** Names of the enclosing suites, outermost first. */
  readonly suite: readonly string[];
  /** The nearest enclosing suite's `file` attribute (PHPUnit, mocha-junit-reporter). */
  readonly file?: string;
  /** pytest writes 0-based `line` attributes. */
  readonly zeroBasedLines: boolean;
}

/** Outcome words that CTest (`status`), GoogleTest (`status`, `result`) and others use instead of child elements. */
const SKIPPED_WORDS = new Set(["notrun", "disabled", "skipped", "skip", "ignored", "pending", "suppressed", "todo"]);
const FAILED_WORDS = new Set(["fail", "failed", "failure"]);
const ERROR_WORDS = new Set(["error", "errored"]);

/** Surefire's (and Gradle's `mergeReruns`) elements for executions other than the one the testcase describes. */
const EARLIER_ATTEMPTS = new Map<string, TestStatus>([
  ["flakyFailure", "failed"],
  ["flakyError", "error"],
]);
const LATER_ATTEMPTS = new Map<string, TestStatus>([
  ["rerunFailure", "failed"],
  ["rerunError", "error"],
]);

/** Builds a {@link RawFailure} from `<failure>`/`<error>`-like elements, leaving out what they do not say. */
function failureOf(element: XmlElement, stackText: string): RawFailure {
  const type = nonBlank(element.attributes.type);
  const stack = tidyText(stackText);
  const message = nonBlank(element.attributes.message)?.trim() ?? firstLine(stack);
  return {
    ...(type === undefined ? {} : { type }),
    ...(message === undefined ? {} : { message }),
    ...(stack === undefined ? {} : { stack }),
  };
}

/**
 * The failure of one execution: the first `<failure>`/`<error>` gives type and message; the
 * others (Catch2 and GoogleTest write one per failed assertion, pytest adds a teardown
 * `<error>` after a `<failure>`) are appended to the stack so that nothing is lost.
 */
function mergedFailure(first: XmlElement, rest: readonly XmlElement[]): RawFailure {
  const failure = failureOf(first, first.text);
  if (rest.length === 0) return failure;
  const parts = [failure.stack, ...rest.map((element) => describeFailure(failureOf(element, element.text)))];
  const stack = parts.filter((part) => part !== undefined && part !== "").join("\n\n");
  return { ...failure, ...(stack === "" ? {} : { stack }) };
}

/** One further failure as text for the stack: its stack, headed by type and message unless the stack says them. */
function describeFailure({ type, message, stack }: RawFailure): string {
  const header = [type, stack !== undefined && message !== undefined && stack.includes(message) ? undefined : message]
    .filter((part) => part !== undefined && (stack === undefined || !stack.startsWith(part)))
    .join(": ");
  return [header, stack].filter((part) => part !== undefined && part !== "").join("\n");
}

/** Captured output: the text of every element, joined; `undefined` when all are blank. */
function outputOf(elements: readonly XmlElement[]): string | undefined {
  const texts = elements.map((element) => tidyText(element.text)).filter((text) => text !== undefined);
  return texts.length === 0 ? undefined : texts.join("\n");
}

/** One `flakyFailure`/`rerunError`/...: message and type attributes, a `stackTrace` child (or body), its own output. */
function rerunAttempt(element: XmlElement, status: TestStatus): RawAttempt {
  const stackTrace = element.children.find((child) => child.name === "stackTrace");
  const stdout = outputOf(element.children.filter((child) => child.name === "system-out"));
  const stderr = outputOf(element.children.filter((child) => child.name === "system-err"));
  const durationMs = secondsToMs(element.attributes.time);
  const startedAt = isoTimestamp(element.attributes.timestamp);
  return {
    status,
    ...(durationMs === undefined ? {} : { durationMs }),
    ...(startedAt === undefined ? {} : { startedAt }),
    failure: failureOf(element, stackTrace?.text ?? element.text),
    ...(stdout === undefined ? {} : { stdout }),
    ...(stderr === undefined ? {} : { stderr }),
  };
}

/** Status from attributes, for writers that mark outcomes without a child element. */
function attributeStatus(attributes: Readonly<Record<string, string>>): TestStatus | undefined {
  const status = attributes.status?.trim().toLowerCase() ?? "";
  const result = attributes.result?.trim().toLowerCase() ?? "";
  if (SKIPPED_WORDS.has(status) || SKIPPED_WORDS.has(result)) return "skipped";
  if (FAILED_WORDS.has(status) || FAILED_WORDS.has(result)) return "failed";
  if (ERROR_WORDS.has(status) || ERROR_WORDS.has(result)) return "error";
  return undefined;
}

/** The children of a testcase, sorted by role. */
interface TestCaseParts {
  readonly failures: XmlElement[];
  readonly skipped: XmlElement[];
  readonly earlier: RawAttempt[];
  readonly later: RawAttempt[];
  readonly stdout: XmlElement[];
  readonly stderr: XmlElement[];
  readonly warnings: XmlElement[];
  readonly properties: Record<string, string>;
}

function partsOf(testcase: XmlElement): TestCaseParts {
  const parts: TestCaseParts = {
    failures: [],
    skipped: [],
    earlier: [],
    later: [],
    stdout: [],
    stderr: [],
    warnings: [],
    properties: {},
  };
  if (testcase.children.length === 0) return parts;
  const looseProperties: XmlElement = { name: "properties", attributes: {}, children: [], text: "" };
  for (const child of testcase.children) {
    const earlier = EARLIER_ATTEMPTS.get(child.name);
    const later = LATER_ATTEMPTS.get(child.name);
    if (earlier !== undefined) parts.earlier.push(rerunAttempt(child, earlier));
    else if (later !== undefined) parts.later.push(rerunAttempt(child, later));
    else if (child.name === "failure" || child.name === "error") parts.failures.push(child);
    else if (child.name === "skipped") parts.skipped.push(child);
    else if (child.name === "system-out") parts.stdout.push(child);
    else if (child.name === "system-err") parts.stderr.push(child);
    else if (child.name === "warning") parts.warnings.push(child);
    else if (child.name === "properties") addProperties(child, parts.properties);
    // Some writers put <property> straight into the testcase, without <properties>.
    else if (child.name === "property") looseProperties.children.push(child);
  }
  addProperties(looseProperties, parts.properties);
  return parts;
}

/** The execution the testcase element itself describes (its attributes, outcome child and output). */
function mainAttempt(testcase: XmlElement, parts: TestCaseParts): RawAttempt {
  const attempt: { -readonly [K in keyof RawAttempt]: RawAttempt[K] } = { status: "passed" };
  const durationMs = secondsToMs(testcase.attributes.time);
  if (durationMs !== undefined) attempt.durationMs = durationMs;
  const startedAt = isoTimestamp(testcase.attributes.timestamp);
  if (startedAt !== undefined) attempt.startedAt = startedAt;
  const [firstFailure, ...moreFailures] = parts.failures;
  const [skipped] = parts.skipped;
  if (firstFailure !== undefined) {
    attempt.status = firstFailure.name === "error" ? "error" : "failed";
    attempt.failure = mergedFailure(firstFailure, moreFailures);
  } else if (skipped !== undefined) {
    attempt.status = "skipped";
    const skipReason = nonBlank(skipped.attributes.message)?.trim() ?? tidyText(skipped.text);
    if (skipReason !== undefined) attempt.skipReason = skipReason;
  } else {
    attempt.status = attributeStatus(testcase.attributes) ?? "passed";
  }
  const stdout = parts.stdout.length === 0 ? undefined : outputOf(parts.stdout);
  if (stdout !== undefined) attempt.stdout = stdout;
  const stderr = parts.stderr.length === 0 ? undefined : outputOf(parts.stderr);
  if (stderr !== undefined) attempt.stderr = stderr;
  return attempt;
}

/** Whether an object has any own enumerable key, without building the array `Object.keys` would. */
function hasKeys(object: Readonly<Record<string, string>>): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return true;
  return false;
}

/**
 * Turns one collected `<testcase>` into a {@link RawTestCase}. Surefire's `flakyFailure`/
 * `flakyError` are failed executions *before* the one the testcase describes (it passed in
 * the end); `rerunFailure`/`rerunError` are failed re-runs *after* it. The testcase's own
 * `time`, `timestamp` and output belong to the execution it describes: Surefire documents the
 * time of a flaky test as that of its last, passing run, and of a failing one as its first run.
 */
export function testCaseRecord(testcase: XmlElement, context: TestCaseContext): RawTestCase {
  const { attributes } = testcase;
  const name = attributes.name;
  if (name === undefined) {
    const where = context.suite.length === 0 ? "" : ` in suite "${context.suite.join(" › ")}"`;
    throw parseError(context.path, `not a valid JUnit XML report: a <testcase>${where} has no name attribute`);
  }
  const parts = partsOf(testcase);
  for (const warning of parts.warnings) {
    // PHPUnit's <warning> does not fail the test (its exit code stays 0); keep the text anyway.
    const text = failureOf(warning, warning.text);
    const value = [text.type, text.stack ?? text.message].filter((part) => part !== undefined).join(": ");
    const previous = parts.properties.warning;
    parts.properties.warning = previous === undefined ? value : `${previous}\n${value}`;
  }
  const className = nonBlank(attributes.classname) ?? nonBlank(attributes.class);
  const file = nonBlank(attributes.file) ?? nonBlank(attributes.filepath) ?? context.file;
  const line = lineNumber(attributes.line, context.zeroBasedLines);
  const tags =
    attributes.group === undefined
      ? []
      : attributes.group
          .split(",")
          .map((tag) => tag.trim())
          .filter((tag) => tag !== "");
  const main = mainAttempt(testcase, parts);
  const attempts: [RawAttempt, ...RawAttempt[]] =
    parts.earlier.length === 0 && parts.later.length === 0
      ? [main]
      : ([...parts.earlier, main, ...parts.later] as [RawAttempt, ...RawAttempt[]]);
  // Built by assignment rather than conditional spreads: this runs once per testcase, millions of times.
  const record: { -readonly [K in keyof RawTestCase]: RawTestCase[K] } = {
    kind: "case",
    suite: context.suite,
    name,
    attempts,
  };
  if (className !== undefined) record.className = className;
  if (file !== undefined) record.file = file;
  if (line !== undefined) record.line = line;
  if (hasKeys(parts.properties)) record.properties = parts.properties;
  if (tags.length > 0) record.tags = tags;
  return record;
}

/** A testsuite-level `<error>`/`<failure>`: the failure and whether it was an error. */
export function suiteFailureOf(element: XmlElement): { status: "failed" | "error"; failure: RawFailure } {
  return { status: element.name === "error" ? "error" : "failed", failure: failureOf(element, element.text) };
}

/** Captured output of a suite's `<system-out>`/`<system-err>` element, tidied. */
export function suiteOutputOf(element: XmlElement): string | undefined {
  return tidyText(element.text);
}
