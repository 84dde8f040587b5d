import type { FailureText } from "./failure-text.js";
import type { AttemptOutcome, TestExecution } from "./run-execution.js";
import type { SimulatedTest } from "./test-population.js";
import { lineAt } from "./varying-values.js";

// Characters XML 1.0 does not allow at all; failure texts never hold them, but a report must stay well-formed.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Escapes text content. */
export function escapeText(text: string): string {
  return text.replace(INVALID_XML, "\ufffd").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Escapes an attribute value; line breaks and tabs become character references, as Surefire writes them. */
export function escapeAttribute(text: string): string {
  return escapeText(text)
    .replace(/"/g, "&quot;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");
}

/** Seconds with millisecond precision, as Surefire writes `time`. */
export function seconds(ms: number): string {
  return (Math.round(ms) / 1000).toFixed(3);
}

/** Attributes in order; `undefined` leaves one out. */
function attributes(pairs: readonly (readonly [string, string | undefined])[]): string {
  return pairs
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`)
    .join("");
}

/** A test's escaped `name`/`classname` and `file` attributes: the same in every run, so built once. */
const IDENTITY_ATTRIBUTES = new WeakMap<SimulatedTest, { name: string; file: string }>();

function identityAttributes(test: SimulatedTest): { name: string; file: string } {
  let cached = IDENTITY_ATTRIBUTES.get(test);
  if (cached === undefined) {
    cached = {
      name: attributes([
        ["name", test.name],
        ["classname", test.suite],
      ]),
      file: attributes([["file", test.file]]),
    };
    IDENTITY_ATTRIBUTES.set(test, cached);
  }
  return cached;
}

type Failed = Extract<AttemptOutcome, { status: "failed" | "error" }>;

/** `<failure>`/`<error>` for the attempt the testcase describes: the body is the trace. */
function primaryFailure(text: FailureText): string {
  const out = text.stdout === undefined ? "" : `\n      <system-out>${escapeText(text.stdout)}</system-out>`;
  return `\n      <${text.element}${attributes([
    ["message", text.message === "" ? undefined : text.message],
    ["type", text.type],
  ])}>${escapeText(text.body)}</${text.element}>${out}`;
}

/** Surefire's `flakyFailure`/`rerunFailure` (and `...Error`): a `stackTrace` child and the attempt's own output. */
function rerunElement(prefix: "flaky" | "rerun", attempt: Failed): string {
  const name = `${prefix}${attempt.text.element === "error" ? "Error" : "Failure"}`;
  const out = attempt.text.stdout === undefined ? "" : `<system-out>${escapeText(attempt.text.stdout)}</system-out>`;
  return `\n      <${name}${attributes([
    ["message", attempt.text.message === "" ? undefined : attempt.text.message],
    ["type", attempt.text.type],
  ])}><stackTrace>${escapeText(attempt.text.body)}</stackTrace>${out}</${name}>`;
}

/**
 * One `<testcase>` in Surefire's dialect. A test that failed and then passed is a passing
 * testcase with a `flakyFailure` per failed attempt; a test that failed every attempt is a
 * `failure` (its first attempt) followed by a `rerunFailure` per rerun. Its `time` is that of
 * the attempt the testcase describes: the last (passing) one, or the first failing one.
 */
export function testcaseXml(execution: TestExecution, revision: number): string {
  const { test } = execution;
  const { name, file } = identityAttributes(test);
  const open = (durationMs: number | undefined) =>
    `    <testcase${name} time="${durationMs === undefined ? "0.000" : seconds(durationMs)}"${file} line="${lineAt(test.file, test.line, revision)}"`;
  if (execution.skipped !== null)
    return `${open(undefined)}>\n      <skipped${attributes([["message", execution.skipped]])}/>\n    </testcase>\n`;
  const attempts = execution.attempts;
  const last = attempts[attempts.length - 1] as AttemptOutcome;
  if (last.status === "passed") {
    if (attempts.length === 1) return `${open(last.durationMs)}/>\n`;
    const flakes = (attempts.slice(0, -1) as Failed[]).map((a) => rerunElement("flaky", a)).join("");
    return `${open(last.durationMs)}>${flakes}\n    </testcase>\n`;
  }
  const [first, ...reruns] = attempts as readonly Failed[] as [Failed, ...Failed[]];
  return `${open(first.durationMs)}>${primaryFailure(first.text)}${reruns.map((a) => rerunElement("rerun", a)).join("")}\n    </testcase>\n`;
}

/** The final outcome counts of a suite, as its `<testsuite>` attributes give them. */
interface SuiteCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  timeMs: number;
}

/** One `<testsuite>` with its testcases. */
export function testsuiteXml(
  executions: readonly TestExecution[],
  suite: { readonly name: string; readonly timestamp: string; readonly hostname: string; readonly revision: number },
): string {
  const counts: SuiteCounts = { tests: 0, failures: 0, errors: 0, skipped: 0, timeMs: 0 };
  for (const execution of executions) {
    counts.tests++;
    if (execution.skipped !== null) {
      counts.skipped++;
      continue;
    }
    const last = execution.attempts[execution.attempts.length - 1] as AttemptOutcome;
    if (last.status === "failed") counts.failures++;
    if (last.status === "error") counts.errors++;
    for (const attempt of execution.attempts) counts.timeMs += attempt.durationMs;
  }
  const head = `  <testsuite${attributes([
    ["name", suite.name],
    ["tests", String(counts.tests)],
    ["failures", String(counts.failures)],
    ["errors", String(counts.errors)],
    ["skipped", String(counts.skipped)],
    ["time", seconds(counts.timeMs)],
    ["timestamp", suite.timestamp],
    ["hostname", suite.hostname],
  ])}>\n`;
  return `${head}${executions.map((e) => testcaseXml(e, suite.revision)).join("")}  </testsuite>\n`;
}

/** The start of a report: the XML declaration and the `<testsuites>` root (its totals are left out: they come last). */
export function reportOpening(name: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attributes([["name", name]])}>\n`;
}

/** The end of a report. */
export const REPORT_CLOSING = "</testsuites>\n";
