import { Readable } from "node:stream";
import { faker } from "@faker-js/faker";
import { Factory } from "fishery";
import type { ReportSource } from "../../src/ingest/parser.js";

/** How a generated testcase ends. */
export type JunitOutcome = "passed" | "failed" | "error" | "skipped";

/** One `<testcase>` to render. `flaky` failed executions come before it, `reruns` after it (Surefire). */
export interface JunitCaseSpec {
  readonly name: string;
  readonly classname: string;
  /** The `time` attribute exactly as written, or undefined to leave it out. */
  readonly time: string | undefined;
  /** The milliseconds {@link JunitCaseSpec.time} stands for. */
  readonly ms: number | undefined;
  readonly outcome: JunitOutcome;
  readonly type: string;
  readonly message: string;
  readonly stack: string;
  readonly stdout: string | undefined;
  readonly flaky: number;
  readonly reruns: number;
}

/** One `<testsuite>` to render, with nested suites. */
export interface JunitSuiteSpec {
  readonly name: string;
  readonly cases: readonly JunitCaseSpec[];
  readonly suites: readonly JunitSuiteSpec[];
}

/** Testcases with realistic Java-style names and times, passing unless told otherwise. */
export const junitCaseFactory = Factory.define<JunitCaseSpec>(({ sequence }) => {
  const ms = faker.number.int({ min: 0, max: 5000 });
  const word = faker.word.noun().replace(/[^a-z]/gi, "") || "thing";
  const type = faker.helpers.arrayElement([
    "java.lang.AssertionError",
    "java.lang.IllegalStateException",
    "TimeoutError",
  ]);
  const message = `expected <${faker.number.int(999)}> but was <${faker.number.int(999)}> & "${word}"`;
  return {
    name: `${faker.word.verb()}s ${word} #${sequence}`,
    classname: `com.example.${word}.${faker.word.adjective().replace(/[^a-z]/gi, "") || "Plain"}Test`,
    time: (ms / 1000).toFixed(3),
    ms,
    outcome: "passed",
    type,
    message,
    stack: `${type}: ${message}\n\tat com.example.${word}.Test.run(Test.java:${faker.number.int({ min: 1, max: 400 })})`,
    stdout: faker.datatype.boolean() ? `log <${faker.lorem.words(3)}>` : undefined,
    flaky: 0,
    reruns: 0,
  };
});

/** Suites of a few testcases each. */
export const junitSuiteFactory = Factory.define<JunitSuiteSpec>(({ sequence }) => ({
  name: `com.example.Suite${sequence}`,
  cases: junitCaseFactory.buildList(faker.number.int({ min: 1, max: 4 })),
  suites: [],
}));

/** Escapes text for an XML attribute or element body. */
function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function rerunElement(tag: string, spec: JunitCaseSpec, attempt: number): string {
  return (
    `<${tag} message="${escapeXml(spec.message)}" type="${escapeXml(spec.type)}">` +
    `<stackTrace>${escapeXml(spec.stack)}</stackTrace>` +
    `<system-out>${escapeXml(`attempt ${attempt}`)}</system-out></${tag}>`
  );
}

/** Renders one testcase the way Surefire would. */
function renderJunitCase(spec: JunitCaseSpec): string {
  const time = spec.time === undefined ? "" : ` time="${escapeXml(spec.time)}"`;
  const parts: string[] = [];
  for (let i = 0; i < spec.flaky; i++) parts.push(rerunElement("flakyFailure", spec, i + 1));
  if (spec.outcome === "skipped") parts.push(`<skipped message="${escapeXml(spec.message)}"/>`);
  if (spec.outcome === "failed" || spec.outcome === "error") {
    const tag = spec.outcome === "failed" ? "failure" : "error";
    parts.push(
      `<${tag} message="${escapeXml(spec.message)}" type="${escapeXml(spec.type)}">${escapeXml(spec.stack)}</${tag}>`,
    );
  }
  if (spec.stdout !== undefined) parts.push(`<system-out><![CDATA[${spec.stdout}]]></system-out>`);
  for (let i = 0; i < spec.reruns; i++) parts.push(rerunElement("rerunFailure", spec, i + 2));
  const open = `<testcase name="${escapeXml(spec.name)}" classname="${escapeXml(spec.classname)}"${time}`;
  return parts.length === 0 ? `${open}/>` : `${open}>${parts.join("")}</testcase>`;
}

/** Renders a suite and its nested suites. */
function renderJunitSuite(spec: JunitSuiteSpec): string {
  const body = [...spec.cases.map(renderJunitCase), ...spec.suites.map(renderJunitSuite)].join("\n");
  return `<testsuite name="${escapeXml(spec.name)}" tests="${spec.cases.length}">\n${body}\n</testsuite>`;
}

/** A whole report: `<testsuites>` around the suites, with an XML declaration. */
export function renderJunitReport(suites: readonly JunitSuiteSpec[], rootName = "generated run"): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${escapeXml(rootName)}">\n${suites
    .map(renderJunitSuite)
    .join("\n")}\n</testsuites>\n`;
}

/**
 * A report of `cases` passing testcases that is generated while it is read, chunk by chunk,
 * and never held in memory whole. `produced()` tells how many chunks were handed out so far,
 * which lets a test check that records arrive before the end of the file.
 */
export function streamedJunitReport(
  cases: number,
  casesPerChunk = 500,
): { source: ReportSource; produced: () => number } {
  let produced = 0;
  function* chunks(): Generator<Buffer> {
    produced = 0;
    yield Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="big">\n');
    for (let start = 0; start < cases; start += casesPerChunk) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(cases, start + casesPerChunk); i++) {
        lines.push(
          `<testcase name="case ${i}" classname="big.Case" time="0.001"><system-out>line ${i}</system-out></testcase>\n`,
        );
      }
      produced++;
      yield Buffer.from(lines.join(""));
    }
    yield Buffer.from("</testsuite></testsuites>\n");
  }
  return {
    source: {
      path: "generated/big-junit.xml",
      size: cases * 100,
      open: () => Readable.from(chunks(), { objectMode: false }),
    },
    produced: () => produced,
  };
}
