import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { junitXmlParser } from "../../../src/ingest/parsers/junit-xml.js";
import { bufferSource } from "../../../src/ingest/report-source.js";
import type { RawRecord, RawTestCase } from "../../../src/ingest/raw-records.js";
import type { FailureText } from "../../../src/simulate/failure-text.js";
import {
  escapeAttribute,
  escapeText,
  REPORT_CLOSING,
  reportOpening,
  seconds,
  testsuiteXml,
} from "../../../src/simulate/junit-writer.js";
import type { RootCause } from "../../../src/simulate/root-causes.js";
import type { AttemptOutcome, TestExecution } from "../../../src/simulate/run-execution.js";
import { writeRunReport } from "../../../src/simulate/run-report.js";
import { populationOf } from "../../factories/simulation.js";

const [first, second, third, fourth] = populationOf(51, 40).tests.filter((t) => t.skipReason === null);
if (first === undefined || second === undefined || third === undefined || fourth === undefined)
  throw new Error("population too small");

const cause: RootCause = {
  id: "flaky-1",
  category: "flaky",
  summary: "a race",
  timesOut: false,
  render: () => text("x"),
};

function text(message: string, element: "failure" | "error" = "failure", stdout?: string): FailureText {
  return {
    element,
    type: element === "error" ? "java.lang.IllegalStateException" : undefined,
    message,
    body: `${message}\n\tat com.acme.Thing.run(Thing.java:12)`,
    ...(stdout === undefined ? {} : { stdout }),
  };
}

const failed = (durationMs: number, t: FailureText): AttemptOutcome => ({
  status: t.element === "error" ? "error" : "failed",
  durationMs,
  cause,
  text: t,
});

async function parse(xml: string): Promise<RawTestCase[]> {
  const records: RawRecord[] = [];
  await junitXmlParser.parse(bufferSource("suite.xml", xml), { emit: (record) => void records.push(record) });
  return records.filter((r): r is RawTestCase => r.kind === "case");
}

describe("the JUnit writer", () => {
  const executions: TestExecution[] = [
    { test: first, skipped: null, attempts: [{ status: "passed", durationMs: 12.4 }] },
    {
      test: second,
      skipped: null,
      attempts: [
        failed(30, text("expected: <3> but was: <2>")),
        failed(31, text("boom", "error")),
        { status: "passed", durationMs: 29 },
      ],
    },
    {
      test: third,
      skipped: null,
      attempts: [
        failed(5, text('a <tag> & "quotes"\nline two\ttab', "error", "log <line>")),
        failed(6, text("again", "error", "second log")),
        failed(7, text("")),
      ],
    },
    { test: fourth, skipped: "disabled until v2" },
  ];
  const xml =
    reportOpening("platform & co") +
    testsuiteXml(executions, {
      name: "Suite<1>",
      timestamp: "2025-03-03T08:00:00Z",
      hostname: "fv-az1-2",
      revision: 3,
    }) +
    REPORT_CLOSING;

  it("writes Surefire's dialect: flakyFailure before a pass, rerunFailure after a failure", async () => {
    const cases = await parse(xml);
    expect(cases.map((c) => c.name)).toEqual([first.name, second.name, third.name, fourth.name]);
    expect(cases[0]?.attempts.map((a) => a.status)).toEqual(["passed"]);
    expect(cases[1]?.attempts.map((a) => a.status)).toEqual(["failed", "error", "passed"]);
    expect(cases[2]?.attempts.map((a) => a.status)).toEqual(["error", "error", "failed"]);
    expect(cases[3]?.attempts.map((a) => a.status)).toEqual(["skipped"]);
    expect(cases[3]?.attempts[0].skipReason).toBe("disabled until v2");
    // A flaky test's time is its passing run's, a failing test's its first run's (as Surefire documents).
    expect(cases[1]?.attempts[2]?.durationMs).toBe(29);
    expect(cases[2]?.attempts[0].durationMs).toBe(5);
    expect(cases[0]?.className).toBe(first.suite);
    expect(cases[0]?.file).toBe(first.file);
  });

  it("escapes markup, quotes, line breaks and control characters, and keeps captured output per attempt", async () => {
    const cases = await parse(xml);
    const attempts = cases[2]?.attempts ?? [];
    expect(attempts[0]?.failure?.message).toBe('a <tag> & "quotes"\nline two\ttab');
    expect(attempts[0]?.failure?.type).toBe("java.lang.IllegalStateException");
    expect(attempts[0]?.stdout).toBe("log <line>");
    expect(attempts[1]?.stdout).toBe("second log");
    // No message attribute: the parser reads the message from the trace.
    expect(attempts[2]?.failure?.message).toBe("\tat com.acme.Thing.run(Thing.java:12)".trim());
    expect(escapeText("a\u0001b<")).toBe("a\ufffdb&lt;");
    expect(escapeAttribute("x\r\ny")).toBe("x&#13;&#10;y");
    expect(escapeAttribute("plain")).toBe("plain");
  });

  it("counts final outcomes in the suite's attributes", () => {
    expect(xml).toMatch(
      /<testsuite name="Suite&lt;1&gt;" tests="4" failures="1" errors="0" skipped="1" time="0\.\d{3}"/,
    );
    expect(xml).toContain('hostname="fv-az1-2"');
    expect(xml).toContain('<testsuites name="platform &amp; co">');
    expect(seconds(1234.5678)).toBe("1.235");
  });

  it("writes a run with no tests as an empty, well-formed report", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "kaizen-junit-")), "empty.xml");
    const counts = await writeRunReport(path, [], { name: "p", startedAt: 0, hostname: "h", revision: 0 }, () =>
      Promise.resolve(),
    );
    expect(counts).toEqual({ failures: 0, retriedThenPassed: 0, failedExecutions: 0 });
    expect(await parse(readFileSync(path, "utf8"))).toEqual([]);
  });
});
