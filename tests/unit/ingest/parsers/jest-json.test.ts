import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { jestJsonParser } from "../../../../src/ingest/parsers/jest-json.js";
import { vitestJsonParser } from "../../../../src/ingest/parsers/vitest-json.js";
import type { RawReportInfo } from "../../../../src/ingest/raw-records.js";
import { jestAssertionFactory, jestFileFactory, jestReportFactory, stackFor } from "../../../factories/jest-report.js";
import {
  caseNamed,
  casesOf,
  corpus,
  filesIn,
  finalCounts,
  fixture,
  itClaimsItsSamples,
  itClaimsNoOtherSamples,
  parseDocument,
  parseError,
  parseFile,
  sniffDocument,
  suiteFailuresOf,
} from "../../../support/json-report-harness.js";

const wellDefined = (name: string): string => fixture("jest-json", "well-defined", `jest-30.5.2-${name}.json`);
const mock = (name: string): string => corpus("jest-junit/__mocks__", `${name}.json`);

describe("jestJsonParser on real Jest 30.5.2 output", () => {
  it("reads passing tests with their suites, file, line and start time", async () => {
    const records = await parseFile(jestJsonParser, wellDefined("passing"));
    const info = records[0] as RawReportInfo;
    expect(info).toEqual({
      kind: "report",
      tool: "jest",
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
    });
    expect(casesOf(records).map((test) => [test.suite, test.name, test.line])).toEqual([
      [["math", "addition"], "adds two numbers", 3],
      [["math"], "multiplies", 5],
      [[], "top-level test", 7],
    ]);
    const first = caseNamed(records, "adds two numbers");
    expect(first.file).toBe("/tmp/kz-fx/jest/ok/math.test.js");
    expect(first.attempts).toEqual([{ status: "passed", durationMs: 3, startedAt: expect.any(String) as unknown }]);
  });

  it("splits assertion failures and thrown errors into type, message and stack", async () => {
    const records = await parseFile(jestJsonParser, wellDefined("failing"));
    expect(finalCounts(records)).toEqual({ passed: 1, failed: 2, error: 0, skipped: 0 });
    const diff = caseNamed(records, "compares objects").attempts[0].failure;
    expect(diff?.type).toBe("Error");
    expect(diff?.message).toMatch(/^expect\(received\)\.toEqual\(expected\) \/\/ deep equality\n\n- Expected {2}- 2/);
    expect(diff?.message).not.toMatch(/\bat Object\./);
    expect(diff?.stack).toMatch(/at Object\.toEqual \(\/tmp\/kz-fx\/jest\/fail\/fail\.test\.js:3:33\)/);
    const thrown = caseNamed(records, "throws an error").attempts[0].failure;
    expect(thrown).toMatchObject({ type: "TypeError", message: "cannot read property 'x' of undefined" });
  });

  it("maps pending and todo tests to skipped", async () => {
    const records = await parseFile(jestJsonParser, wellDefined("skipped"));
    expect(finalCounts(records)).toEqual({ passed: 1, failed: 0, error: 0, skipped: 3 });
    expect(caseNamed(records, "is todo").attempts).toHaveLength(1);
    expect(caseNamed(records, "is skipped").attempts[0]).not.toHaveProperty("durationMs");
  });

  it("turns jest.retryTimes invocations into failed attempts before the last one", async () => {
    const records = await parseFile(jestJsonParser, wellDefined("retried"));
    expect(caseNamed(records, "fails first then passes").attempts.map((attempt) => attempt.status)).toEqual([
      "failed",
      "passed",
    ]);
    const always = caseNamed(records, "always fails").attempts;
    expect(always.map((attempt) => attempt.status)).toEqual(["failed", "failed", "failed"]);
    expect(always[0]).toEqual({ status: "failed" });
    expect(always[2]?.failure?.message).toContain("Expected: 100");
  });

  it("gives each earlier attempt its retryReasons error with logErrorsBeforeRetry", async () => {
    const records = await parseFile(jestJsonParser, wellDefined("retried-logged"));
    const attempts = caseNamed(records, "fails twice then passes").attempts;
    expect(attempts.map((attempt) => attempt.status)).toEqual(["failed", "failed", "passed"]);
    expect(attempts[0].failure).toMatchObject({ type: "TypeError", message: "first failure" });
    expect(attempts[1]?.failure?.message).toMatch(/^expect\(received\)\.toBe\(expected\)/);
    expect(attempts[2]).not.toHaveProperty("failure");
  });

  it("reports test files that failed to run as suite errors", async () => {
    const records = await parseFile(jestJsonParser, wellDefined("import-failure"));
    expect(finalCounts(records)).toEqual({ passed: 3, failed: 0, error: 0, skipped: 0 });
    const failures = suiteFailuresOf(records);
    expect(failures.map((failure) => [failure.suite, failure.status])).toEqual([
      [["/tmp/kz-fx/jest/broken/broken.test.js"], "error"],
      [["/tmp/kz-fx/jest/broken/syntax.test.js"], "error"],
    ]);
    expect(failures[0]?.file).toBe("/tmp/kz-fx/jest/broken/broken.test.js");
    expect(failures[0]?.failure.message).toBe("Cannot find module './does-not-exist' from 'broken.test.js'");
    expect(failures[0]?.failure.stack).toContain('> 1 | const missing = require("./does-not-exist");');
    expect(failures[1]?.failure).toMatchObject({
      type: "SyntaxError",
      message: expect.stringContaining('Unexpected token, expected ","') as unknown,
    });
  });

  it("reports a failing afterAll as a suite error next to the tests that passed", async () => {
    const records = await parseFile(jestJsonParser, wellDefined("hooks"));
    const failures = suiteFailuresOf(records);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      suite: ["/tmp/kz-fx/jest/hooks/after.test.js"],
      status: "error",
      failure: { message: "afterAll exploded" },
    });
    expect(caseNamed(records, "passes before the hook fails").attempts[0].status).toBe("passed");
    expect(caseNamed(records, "cannot run").attempts[0].failure?.message).toBe("beforeAll exploded");
    expect(caseNamed(records, "times out").attempts[0].failure?.message).toMatch(/Exceeded timeout of 50 ms/);
    expect(caseNamed(records, "is expected to fail").attempts[0].status).toBe("passed");
  });
});

describe("jestJsonParser on the jest-junit corpus (Jest AggregatedResult objects)", () => {
  const expected: Record<string, { passed: number; failed: number; skipped: number; suiteFailures: number }> = {
    "empty-suite": { passed: 0, failed: 0, skipped: 0, suiteFailures: 1 },
    "failing-compilation": { passed: 1, failed: 0, skipped: 0, suiteFailures: 1 },
    "failing-import": { passed: 0, failed: 0, skipped: 0, suiteFailures: 1 },
    "failing-tests-with-esc": { passed: 0, failed: 1, skipped: 0, suiteFailures: 0 },
    "failing-tests-with-failure-details": { passed: 0, failed: 1, skipped: 0, suiteFailures: 0 },
    "failing-tests": { passed: 0, failed: 1, skipped: 0, suiteFailures: 0 },
    "multi-project-no-failing-tests": { passed: 2, failed: 0, skipped: 0, suiteFailures: 0 },
    "no-failing-tests-with-testexec-failure": { passed: 1, failed: 0, skipped: 0, suiteFailures: 1 },
    "no-failing-tests-with-testexec-null": { passed: 1, failed: 0, skipped: 0, suiteFailures: 0 },
    "no-failing-tests": { passed: 1, failed: 0, skipped: 0, suiteFailures: 0 },
    "retried-tests": { passed: 1, failed: 0, skipped: 0, suiteFailures: 0 },
    "test-with-console-output": { passed: 2, failed: 0, skipped: 0, suiteFailures: 0 },
  };

  it("covers every file of the corpus folder", () => {
    const names = filesIn(corpus("jest-junit/__mocks__")).map((file) => path.basename(file, ".json"));
    expect(names.sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [name, counts] of Object.entries(expected)) {
    it(`${name}.json: ${JSON.stringify(counts)}`, async () => {
      const records = await parseFile(jestJsonParser, mock(name));
      const { passed, failed, skipped } = finalCounts(records);
      expect({ passed, failed, skipped, suiteFailures: suiteFailuresOf(records).length }).toEqual(counts);
      expect(records[0]).toMatchObject({ kind: "report", tool: "jest" });
    });
  }

  it("reads retryReasons as the failed attempt before the passing one", async () => {
    const records = await parseFile(jestJsonParser, mock("retried-tests"));
    expect(caseNamed(records, "should bar").attempts).toEqual([
      { status: "failed", failure: { message: "error" } },
      { status: "passed", durationMs: 1 },
    ]);
  });

  it("drops the printed heading of old-style failure messages and the ANSI colours", async () => {
    const records = await parseFile(jestJsonParser, mock("failing-tests"));
    const failure = caseNamed(records, "Should fail").attempts[0].failure;
    expect(failure?.message).toBe("foobar");
    expect(failure?.stack).toMatch(/^foobar\n/);
    expect(failure?.stack).not.toContain("\u001b[");
    expect(caseNamed(records, "Should fail").suite).toEqual(["Sample Failing Test", "Inner", "Inner Inner"]);
  });

  it("puts the Jest project (displayName) first in the suite path", async () => {
    const records = await parseFile(jestJsonParser, mock("multi-project-no-failing-tests"));
    expect(casesOf(records).map((test) => test.suite)).toEqual([
      ["project1", "a thing"],
      ["project2", "another thing"],
    ]);
  });

  it("takes a file's failure from testExecError, with the run time from perfStats", async () => {
    const compilation = suiteFailuresOf(await parseFile(jestJsonParser, mock("failing-compilation")));
    expect(compilation[0]).toMatchObject({ suite: ["/path/to/spec/test.spec.ts"], durationMs: 5523, status: "error" });
    expect(compilation[0]?.failure.message).toMatch(/^spec\/test\.spec\.ts:10:35 - error TS2339/);
    const crashed = suiteFailuresOf(await parseFile(jestJsonParser, mock("no-failing-tests-with-testexec-failure")));
    expect(crashed[0]?.failure).toEqual({ message: "beforeAll has crashed" });
    const empty = suiteFailuresOf(await parseFile(jestJsonParser, mock("empty-suite")));
    expect(empty[0]?.failure.message).toBe("Your test suite must contain at least one test.");
    expect(empty[0]?.failure.stack).toMatch(
      /^Error: Your test suite must contain at least one test\.\n {4}at onResult/,
    );
    expect(empty[0]).not.toHaveProperty("durationMs");
    const imported = suiteFailuresOf(await parseFile(jestJsonParser, mock("failing-import")));
    expect(imported[0]?.failure.message).toBe("Cannot find module './mult' from 'mul.test.js'");
  });
});

describe("jestJsonParser on generated reports", () => {
  it("maps every Jest status", async () => {
    const statuses = ["passed", "failed", "skipped", "pending", "todo", "disabled", "focused"];
    const report = jestReportFactory.build({
      testResults: [
        jestFileFactory.build({
          assertionResults: statuses.map((status) => jestAssertionFactory.build({ status, title: status })),
        }),
      ],
    });
    const records = await parseDocument(jestJsonParser, "statuses.json", report);
    expect(casesOf(records).map((test) => [test.name, test.attempts[0].status])).toEqual([
      ["passed", "passed"],
      ["failed", "failed"],
      ["skipped", "skipped"],
      ["pending", "skipped"],
      ["todo", "skipped"],
      ["disabled", "skipped"],
      ["focused", "skipped"],
    ]);
  });

  it("leaves out what the report does not say", async () => {
    const records = await parseFile(jestJsonParser, fixture("jest-json", "missing", "only-titles-and-statuses.json"));
    expect(records[0]).toEqual({ kind: "report", tool: "jest" });
    expect(casesOf(records)).toEqual([
      {
        kind: "case",
        suite: [],
        name: "compares objects",
        file: "/tmp/kz-fx/jest/fail/fail.test.js",
        attempts: [{ status: "failed" }],
      },
      {
        kind: "case",
        suite: [],
        name: "throws an error",
        file: "/tmp/kz-fx/jest/fail/fail.test.js",
        attempts: [{ status: "failed" }],
      },
      {
        kind: "case",
        suite: [],
        name: "passes",
        file: "/tmp/kz-fx/jest/fail/fail.test.js",
        attempts: [{ status: "passed" }],
      },
    ]);
  });

  it("emits no file and no suite failure for a file entry without a path", async () => {
    const report = jestReportFactory.build({
      testResults: [
        {
          status: "failed",
          message: "  ● Test suite failed to run\n\n    boom\n",
          assertionResults: [{ title: "t", status: "passed" }],
        },
      ],
    });
    const records = await parseDocument(jestJsonParser, "no-path.json", report);
    expect(casesOf(records)[0]).not.toHaveProperty("file");
    expect(suiteFailuresOf(records)).toEqual([]);
  });

  it("drops optional members of the wrong type instead of failing the report", async () => {
    const test = jestAssertionFactory.build({
      title: "tolerated",
      duration: "fast" as unknown as number,
      location: "here" as unknown as null,
      failureMessages: "not a list",
      invocations: "twice" as unknown as number,
      ancestorTitles: "nope" as unknown as string[],
    });
    const report = jestReportFactory.build({
      startTime: "yesterday" as unknown as number,
      testResults: [jestFileFactory.build({ assertionResults: [test] })],
    });
    const records = await parseDocument(jestJsonParser, "tolerant.json", report);
    expect(records[0]).toEqual({ kind: "report", tool: "jest" });
    expect(caseNamed(records, "tolerated")).toMatchObject({ suite: [], attempts: [{ status: "passed" }] });
    expect(caseNamed(records, "tolerated").attempts[0]).not.toHaveProperty("durationMs");
  });

  it("ignores start times outside what a date can hold and negative durations", async () => {
    const test = jestAssertionFactory.build({ title: "odd times", startAt: 9e15, duration: -5 });
    const report = jestReportFactory.build({
      startTime: 0,
      testResults: [jestFileFactory.build({ assertionResults: [test] })],
    });
    const records = await parseDocument(jestJsonParser, "times.json", report);
    expect(records[0]).toEqual({ kind: "report", tool: "jest" });
    expect(caseNamed(records, "odd times").attempts).toEqual([{ status: "passed" }]);
  });

  it("falls back to failureDetails when there are no failure messages", async () => {
    const test = jestAssertionFactory.build({
      title: "details only",
      status: "failed",
      failureMessages: [],
      failureDetails: [
        { name: "RangeError", message: "out of range", stack: stackFor("RangeError", "out of range") },
        "not an object",
        {},
      ],
    });
    const records = await parseDocument(
      jestJsonParser,
      "details.json",
      jestReportFactory.build({ testResults: [jestFileFactory.build({ assertionResults: [test] })] }),
    );
    expect(caseNamed(records, "details only").attempts[0].failure).toMatchObject({
      type: "RangeError",
      message: "out of range",
    });
  });

  it("keeps a failed test without any failure text as a bare failure", async () => {
    const test = jestAssertionFactory.build({
      title: "silent",
      status: "failed",
      failureMessages: [],
      failureDetails: [{}],
    });
    const records = await parseDocument(
      jestJsonParser,
      "silent.json",
      jestReportFactory.build({ testResults: [jestFileFactory.build({ assertionResults: [test] })] }),
    );
    expect(caseNamed(records, "silent").attempts[0]).not.toHaveProperty("failure");
  });

  it("joins several failure messages of one attempt into one failure", async () => {
    const test = jestAssertionFactory.build({
      title: "two errors",
      status: "failed",
      failureMessages: [stackFor("Error", "first"), stackFor("TypeError", "second")],
    });
    const records = await parseDocument(
      jestJsonParser,
      "two.json",
      jestReportFactory.build({ testResults: [jestFileFactory.build({ assertionResults: [test] })] }),
    );
    const failure = caseNamed(records, "two errors").attempts[0].failure;
    expect(failure).toMatchObject({ type: "Error", message: "first" });
    expect(failure?.stack).toMatch(/^Error: first\n[\s\S]*\n\nTypeError: second\n/);
  });

  it("counts earlier attempts from retryReasons when invocations is missing, and folds surplus reasons into the last retry", async () => {
    const reasonsOnly = jestAssertionFactory.build({
      title: "reasons only",
      retryReasons: [stackFor("Error", "one"), stackFor("Error", "two")],
    });
    const surplus = jestAssertionFactory.build({
      title: "surplus",
      invocations: 2,
      retryReasons: [stackFor("Error", "a"), stackFor("Error", "b")],
    });
    const report = jestReportFactory.build({
      testResults: [jestFileFactory.build({ assertionResults: [reasonsOnly, surplus] })],
    });
    const records = await parseDocument(jestJsonParser, "retries.json", report);
    expect(caseNamed(records, "reasons only").attempts.map((attempt) => attempt.failure?.message)).toEqual([
      "one",
      "two",
      undefined,
    ]);
    const folded = caseNamed(records, "surplus").attempts;
    expect(folded).toHaveLength(2);
    expect(folded[0].failure?.message).toBe("a");
    expect(folded[0].failure?.stack).toMatch(/Error: a[\s\S]*Error: b/);
  });

  it("reads testExecError objects and strings, console output and project names of AggregatedResult files", async () => {
    const exec = jestFileFactory.build({
      name: undefined,
      testFilePath: "/repo/src/exec.test.ts",
      displayName: { name: "api", color: "blue" },
      testExecError: { message: "setup crashed", stack: stackFor("Error", "setup crashed") },
      perfStats: { start: 1000, end: 1500 },
      console: [
        { message: "starting", origin: "x.ts:1", type: "log" },
        { message: "careful", origin: "x.ts:2", type: "warn" },
        { message: "broken", origin: "x.ts:3", type: "error" },
        { message: "details", origin: "x.ts:4", type: "info" },
      ],
      assertionResults: undefined,
      testResults: [],
    });
    const textual = jestFileFactory.build({
      name: "/repo/src/text.test.ts",
      testExecError: "module crashed",
      failureMessage: "  ● Test suite failed to run\n\n    module crashed\n\n      at x (a.js:1:1)\n",
    });
    const codeOnly = jestFileFactory.build({
      name: "/repo/src/code.test.ts",
      testExecError: { code: "MODULE_NOT_FOUND" },
      message: "",
    });
    const stackless = jestFileFactory.build({
      name: "/repo/src/stackless.test.ts",
      testExecError: { message: "no stack" },
      message: "  ● Test suite failed to run\n\n    no stack\n\n      at y (b.js:2:2)\n",
    });
    const records = await parseDocument(
      jestJsonParser,
      "exec.json",
      jestReportFactory.build({ testResults: [exec, textual, codeOnly, stackless] }),
    );
    const [first, second, third, fourth] = suiteFailuresOf(records);
    expect(first).toMatchObject({
      suite: ["api", "/repo/src/exec.test.ts"],
      file: "/repo/src/exec.test.ts",
      status: "error",
      durationMs: 500,
      failure: { type: "Error", message: "setup crashed" },
      stdout: "starting\ndetails",
      stderr: "careful\nbroken",
    });
    expect(second?.failure).toMatchObject({
      message: "module crashed",
      stack: expect.stringContaining("at x (a.js:1:1)") as unknown,
    });
    expect(third?.failure).toEqual({});
    expect(fourth?.failure).toMatchObject({
      message: "no stack",
      stack: expect.stringContaining("at y (b.js:2:2)") as unknown,
    });
  });

  it("reads exec errors with a stack alone, headings with nothing under them, and blank messages", async () => {
    const stackOnly = jestFileFactory.build({
      name: "/repo/src/stack.test.ts",
      testExecError: { stack: stackFor("ReferenceError", "x is not defined") },
    });
    const headingOnly = jestFileFactory.build({
      name: "/repo/src/heading.test.ts",
      message: "  ● Test suite failed to run\n\n",
    });
    const blank = jestAssertionFactory.build({
      title: "blank messages",
      status: "failed",
      failureMessages: ["", "Error:"],
    });
    const bare = jestFileFactory.build({ name: "/repo/src/bare.test.ts", assertionResults: undefined });
    const records = await parseDocument(
      jestJsonParser,
      "edge.json",
      jestReportFactory.build({
        testResults: [stackOnly, headingOnly, jestFileFactory.build({ assertionResults: [blank] }), bare],
      }),
    );
    const [first, second] = suiteFailuresOf(records);
    expect(first?.failure).toMatchObject({ type: "ReferenceError", message: "x is not defined" });
    expect(second?.failure).toEqual({});
    expect(caseNamed(records, "blank messages").attempts[0].failure).toEqual({ type: "Error" });
    expect(casesOf(records).filter((test) => test.file === "/repo/src/bare.test.ts")).toEqual([]);
  });

  it("reports a file marked failed with no failed test to account for it", async () => {
    const file = jestFileFactory.build({ name: "/repo/src/odd.test.ts", status: "failed", message: "" });
    const records = await parseDocument(jestJsonParser, "odd.json", jestReportFactory.build({ testResults: [file] }));
    expect(suiteFailuresOf(records)).toEqual([
      {
        kind: "suite-failure",
        suite: ["/repo/src/odd.test.ts"],
        file: "/repo/src/odd.test.ts",
        failure: {},
        status: "error",
        durationMs: expect.any(Number) as unknown,
      },
    ]);
  });
});

describe("jestJsonParser on invalid input", () => {
  it("rejects truncated JSON with the file and the line where it ends", async () => {
    const file = fixture("jest-json", "invalid", "truncated.json");
    const error = await parseError(jestJsonParser, file, readFileSync(file, "utf8"));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.file).toBe(file);
    expect(error.message).toMatch(/truncated/);
    expect(error.position?.line).toBeGreaterThan(20);
  });

  it("rejects an unknown test status, naming the member and its line", async () => {
    const file = fixture("jest-json", "invalid", "unknown-status.json");
    const text = readFileSync(file, "utf8");
    const error = await parseError(jestJsonParser, file, text);
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.message).toMatch(/^not a valid Jest JSON report: testResults\[0\]\.assertionResults\[1\]\.status: /);
    const line = text.split("\n").findIndex((row) => row.includes('"exploded"')) + 1;
    expect(error.position?.line).toBe(line);
    expect(error.describe()).toContain(`${file}:${line}:`);
  });

  it("rejects a title that is not a string, where it is", async () => {
    const report = jestReportFactory.build();
    const files = report.testResults as { assertionResults: { title: unknown }[] }[];
    (files[1]?.assertionResults[0] ?? { title: 0 }).title = 42;
    const text = JSON.stringify(report, null, 2);
    const error = await parseError(jestJsonParser, "bad-title.json", text);
    expect(error.message).toMatch(/testResults\[1\]\.assertionResults\[0\]\.title: .*expected string/);
    expect(error.position?.line).toBe(text.split("\n").findIndex((row) => row.includes('"title": 42')) + 1);
  });

  it("says what is missing when the document is not a Jest report", async () => {
    const missing = await parseError(jestJsonParser, "other.json", { numTotalTests: 0, results: [] });
    expect(missing.message).toBe('not a Jest JSON report: missing "testResults"');
    expect(missing.file).toBe("other.json");
    const array = await parseError(jestJsonParser, "array.json", [{ testResults: [] }]);
    expect(array.message).toBe("not a Jest JSON report: the document is an array, not an object");
    const scalar = await parseError(jestJsonParser, "scalar.json", "42");
    expect(scalar.message).toBe("not a Jest JSON report: the document is a number, not an object");
    const nothing = await parseError(jestJsonParser, "null.json", "null");
    expect(nothing.message).toBe("not a Jest JSON report: the document is null, not an object");
  });

  it("rejects testResults that is not a list, at the line of the member", async () => {
    const error = await parseError(jestJsonParser, "not-list.json", '{\n  "numTotalTests": 0,\n  "testResults": {}\n}');
    expect(error.message).toMatch(/^not a valid Jest JSON report: testResults: /);
    expect(error.position).toEqual({ line: 3, column: 18 });
  });
});

describe("jestJsonParser.matches", () => {
  itClaimsItsSamples(jestJsonParser);
  itClaimsNoOtherSamples(jestJsonParser);

  it("claims a report from the beginning of the file alone", () => {
    const head = readFileSync(wellDefined("failing"), "utf8").slice(0, 600);
    expect(jestJsonParser.matches(sniffDocument("big.json", head, false))).toBe(true);
    expect(vitestJsonParser.matches(sniffDocument("big.json", head, false))).toBe(false);
  });

  it("tells generated Jest and Vitest reports apart, and claims neither without aggregate counts", () => {
    expect(
      jestJsonParser.matches(
        sniffDocument("jest.json", jestReportFactory.build({}, { transient: { flavor: "jest" } })),
      ),
    ).toBe(true);
    expect(
      jestJsonParser.matches(
        sniffDocument("vitest.json", jestReportFactory.build({}, { transient: { flavor: "vitest" } })),
      ),
    ).toBe(false);
    expect(jestJsonParser.matches(sniffDocument("bare.json", { testResults: [] }))).toBe(false);
    expect(vitestJsonParser.matches(sniffDocument("bare.json", { testResults: [] }))).toBe(false);
    expect(jestJsonParser.matches(sniffDocument("list.json", [{ numTotalTests: 1, testResults: [] }]))).toBe(false);
    expect(jestJsonParser.matches(sniffDocument("text.txt", "TAP version 13\nok 1"))).toBe(false);
  });

  it("recognises Jest by its per-test members when the aggregate members are Vitest-like", () => {
    const internal = { numTotalTests: 1, testResults: [{ testFilePath: "/a.test.js", testResults: [] }] };
    expect(jestJsonParser.matches(sniffDocument("internal.json", internal))).toBe(true);
    expect(vitestJsonParser.matches(sniffDocument("internal.json", internal))).toBe(false);
  });
});
