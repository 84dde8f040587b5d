import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mochaJsonParser } from "../../../../src/ingest/parsers/mocha-json.js";
import { assertionErr, mochaReport, mochaTestFactory } from "../../../factories/mocha-report.js";
import {
  caseNamed,
  casesOf,
  corpus,
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

const wellDefined = (name: string): string => fixture("mocha-json", "well-defined", `mocha-12.0.3-${name}.json`);
const dorny = (name: string): string => corpus("dorny-test-reporter/__tests__/fixtures", name);

describe("mochaJsonParser on real Mocha 12.0.3 output", () => {
  it("reads passing tests with the suite path from the full title", async () => {
    const records = await parseFile(mochaJsonParser, wellDefined("passing"));
    expect(records[0]).toEqual({ kind: "report", tool: "mocha", startedAt: "2026-12-01T18:33:28.720Z", durationMs: 1 });
    expect(casesOf(records).map((test) => [test.suite, test.name, test.attempts])).toEqual([
      [[], "top-level test", [{ status: "passed", durationMs: 0 }]],
      [["math"], "multiplies", [{ status: "passed", durationMs: 0 }]],
      [["math addition"], "adds two numbers", [{ status: "passed", durationMs: 0 }]],
    ]);
    expect(caseNamed(records, "multiplies").file).toBe("/tmp/kz-fx/mocha/ok/math.spec.js");
  });

  it("reads assertion errors, exceptions and timeouts as failures", async () => {
    const records = await parseFile(mochaJsonParser, wellDefined("failing"));
    expect(finalCounts(records)).toEqual({ passed: 1, failed: 3, error: 0, skipped: 0 });
    const diff = caseNamed(records, "compares objects").attempts[0].failure;
    expect(diff?.type).toBe("AssertionError");
    expect(diff?.message).toMatch(/^Expected values to be strictly deep-equal:\n\+ actual - expected/);
    expect(diff?.stack).toMatch(
      /^AssertionError \[ERR_ASSERTION\]:[\s\S]*at Context\.<anonymous> \(fail\/fail\.spec\.js:4:12\)/,
    );
    expect(caseNamed(records, "throws an error").attempts[0].failure).toMatchObject({
      type: "TypeError",
      message: "cannot read property 'x' of undefined",
    });
    expect(caseNamed(records, "times out").attempts[0]).toMatchObject({
      status: "failed",
      durationMs: 22,
      failure: { type: "TimeoutError", message: expect.stringMatching(/^Timeout of 20ms exceeded\./) as unknown },
    });
  });

  it("maps it.skip, tests without a function, this.skip() and describe.skip to skipped", async () => {
    const records = await parseFile(mochaJsonParser, wellDefined("skipped"));
    expect(finalCounts(records)).toEqual({ passed: 1, failed: 0, error: 0, skipped: 4 });
    expect(caseNamed(records, "skips at runtime").attempts).toEqual([{ status: "skipped", durationMs: 0 }]);
    expect(caseNamed(records, "inside a skipped block").suite).toEqual(["skipped block"]);
  });

  it("turns currentRetry into failed attempts before the reported one", async () => {
    const records = await parseFile(mochaJsonParser, wellDefined("retried"));
    expect(caseNamed(records, "fails first then passes").attempts).toEqual([
      { status: "failed" },
      { status: "passed", durationMs: 0 },
    ]);
    const always = caseNamed(records, "always fails").attempts;
    expect(always.map((attempt) => attempt.status)).toEqual(["failed", "failed"]);
    expect(always[1]?.failure?.message).toBe("Expected values to be strictly equal:\n\n2 !== 100");
  });

  it("reports failed hooks as suite failures of the suite they belong to", async () => {
    const records = await parseFile(mochaJsonParser, wellDefined("hooks"));
    expect(finalCounts(records)).toEqual({ passed: 2, failed: 0, error: 0, skipped: 0 });
    expect(suiteFailuresOf(records).map((failure) => [failure.suite, failure.status, failure.failure.message])).toEqual(
      [
        [["before fails"], "failed", "before all exploded"],
        [["after fails"], "failed", "after all exploded"],
        [["each fails"], "failed", "beforeEach exploded"],
      ],
    );
    expect(suiteFailuresOf(records)[1]).toMatchObject({
      file: "/tmp/kz-fx/mocha/hooks/hooks.spec.js",
      durationMs: 3,
      failure: { type: "Error" },
    });
  });
});

describe("mochaJsonParser on the dorny-test-reporter corpus", () => {
  it("mocha-json.json: 1 passed, 4 failed, 1 skipped (as dorny renders it)", async () => {
    const records = await parseFile(mochaJsonParser, dorny("mocha-json.json"));
    expect(finalCounts(records)).toEqual({ passed: 1, failed: 4, error: 0, skipped: 1 });
    expect(caseNamed(records, "Failing test").suite).toEqual(["Test 1 Test 1.1"]);
    expect(caseNamed(records, "Timeout test")).toMatchObject({
      suite: [],
      attempts: [{ failure: { type: "TimeoutError" } }],
    });
    expect(caseNamed(records, "Exception in target unit").attempts[0].failure).toMatchObject({
      type: "Error",
      message: "Some error",
    });
    expect(records[0]).toEqual({
      kind: "report",
      tool: "mocha",
      startedAt: "2021-02-24T20:26:09.297Z",
      durationMs: 12,
    });
  });

  it("empty/mocha-json.json: no tests", async () => {
    const records = await parseFile(mochaJsonParser, dorny("empty/mocha-json.json"));
    expect(records).toEqual([{ kind: "report", tool: "mocha", startedAt: "2021-03-08T20:01:44.391Z", durationMs: 0 }]);
  });

  it("external/mocha/mocha-test-results.json: 833 passed, 6 skipped", async () => {
    const records = await parseFile(mochaJsonParser, dorny("external/mocha/mocha-test-results.json"));
    expect(finalCounts(records)).toEqual({ passed: 833, failed: 0, error: 0, skipped: 6 });
    expect(suiteFailuresOf(records)).toEqual([]);
  });
});

describe("mochaJsonParser on reduced and generated reports", () => {
  it("without a pending list, takes a test that has no duration and no error for skipped", async () => {
    const records = await parseFile(mochaJsonParser, fixture("mocha-json", "missing", "no-stats-no-pending.json"));
    expect(records[0]).toEqual({ kind: "report", tool: "mocha" });
    expect(casesOf(records).map((test) => [test.name, test.attempts[0].status])).toEqual([
      ["compares objects", "failed"],
      ["throws an error", "failed"],
      ["times out", "failed"],
      ["passes", "skipped"],
    ]);
    expect(casesOf(records)[0]).not.toHaveProperty("file");
    expect(caseNamed(records, "times out").attempts).toEqual([
      { status: "failed", failure: expect.objectContaining({ type: "TimeoutError" }) as unknown },
    ]);
    expect(caseNamed(records, "passes").attempts).toEqual([{ status: "skipped" }]);
  });

  it("uses the lists to decide a status even when err is empty", async () => {
    const failedEmpty = mochaTestFactory.build({ title: "thrown undefined", err: {} });
    const pendingWithError = mochaTestFactory.build({ title: "pending but failed", err: assertionErr("late") });
    const records = await parseDocument(
      mochaJsonParser,
      "lists.json",
      mochaReport([
        [failedEmpty, "failed"],
        [pendingWithError, "pending"],
      ]),
    );
    expect(caseNamed(records, "thrown undefined").attempts).toEqual([
      { status: "failed", durationMs: expect.any(Number) as unknown },
    ]);
    expect(caseNamed(records, "pending but failed").attempts[0]).toMatchObject({
      status: "failed",
      failure: { type: "AssertionError", message: "late" },
    });
  });

  it("reads string errors, ignores a wrong-typed err and odd retry counts", async () => {
    const stringErr = mochaTestFactory.build({ title: "string err", err: "plain text failure" });
    const weirdErr = mochaTestFactory.build({ title: "weird err", err: 42 });
    const oddRetry = mochaTestFactory.build({ title: "odd retry", currentRetry: -2 });
    const report = mochaReport([
      [stringErr, "failed"],
      [weirdErr, "passed"],
      [oddRetry, "passed"],
    ]);
    const records = await parseDocument(mochaJsonParser, "odd.json", report);
    expect(caseNamed(records, "string err").attempts[0].failure).toEqual({ message: "plain text failure" });
    expect(caseNamed(records, "weird err").attempts[0].status).toBe("passed");
    expect(caseNamed(records, "odd retry").attempts).toHaveLength(1);
  });

  it("reads an error with a stack alone, and a report without a failures list", async () => {
    const test = mochaTestFactory.build({
      title: "stack only",
      err: { stack: "Error: from the stack\n    at x (y.js:1:1)" },
    });
    const report = { ...mochaReport([[test, "failed"]]), failures: undefined };
    const records = await parseDocument(mochaJsonParser, "stack.json", report);
    expect(caseNamed(records, "stack only").attempts[0].failure).toMatchObject({
      type: "Error",
      message: "from the stack",
    });
    expect(suiteFailuresOf(records)).toEqual([]);
  });

  it("keeps a suite title that does not end the full title out of the suite path", async () => {
    const test = mochaTestFactory.build({ title: "renamed", fullTitle: "Something else entirely" });
    const records = await parseDocument(mochaJsonParser, "renamed.json", mochaReport([[test, "passed"]]));
    expect(caseNamed(records, "renamed").suite).toEqual([]);
  });

  it("places a root hook failure on its file, or on its title when there is no file", async () => {
    const rootHook = {
      title: '"before all" hook in "{root}"',
      fullTitle: '"before all" hook in "{root}"',
      file: "/repo/test/setup.js",
      err: { message: "db down" },
    };
    const fileless = { title: '"after all" hook in "{root}"', fullTitle: '"after all" hook in "{root}"', err: null };
    const records = await parseDocument(mochaJsonParser, "root.json", mochaReport([], [rootHook, fileless]));
    expect(suiteFailuresOf(records)).toEqual([
      {
        kind: "suite-failure",
        suite: ["/repo/test/setup.js"],
        file: "/repo/test/setup.js",
        failure: { message: "db down" },
        status: "failed",
      },
      { kind: "suite-failure", suite: ['"after all" hook in "{root}"'], failure: {}, status: "failed" },
    ]);
  });
});

describe("mochaJsonParser on invalid input", () => {
  it("rejects truncated JSON with the file and line", async () => {
    const file = fixture("mocha-json", "invalid", "truncated.json");
    const error = await parseError(mochaJsonParser, file, readFileSync(file, "utf8"));
    expect(error).toMatchObject({ code: "PARSE_ERROR", file });
    expect(error.message).toMatch(/truncated/);
    expect(error.position?.line).toBeGreaterThan(20);
  });

  it("rejects a test without a full title, naming the member and its line", async () => {
    const file = fixture("mocha-json", "invalid", "full-title-null.json");
    const text = readFileSync(file, "utf8");
    const error = await parseError(mochaJsonParser, file, text);
    expect(error.message).toMatch(/^not a valid Mocha JSON report: tests\[2\]\.fullTitle: /);
    expect(error.position?.line).toBe(text.split("\n").findIndex((row) => row.includes('"fullTitle": null')) + 1);
  });

  it("says what is missing when the document is not a Mocha report", async () => {
    const error = await parseError(mochaJsonParser, "awesome.json", { stats: { passes: 1 }, results: [] });
    expect(error.message).toBe('not a Mocha JSON report: missing "tests"');
  });
});

describe("mochaJsonParser.matches", () => {
  itClaimsItsSamples(mochaJsonParser);
  itClaimsNoOtherSamples(mochaJsonParser);

  it("claims from the beginning of a big report, and not mochawesome's report", () => {
    const head = readFileSync(dorny("external/mocha/mocha-test-results.json"), "utf8").slice(0, 400);
    expect(mochaJsonParser.matches(sniffDocument("big.json", head, false))).toBe(true);
    const mochawesome = {
      stats: { suites: 1, tests: 1, passes: 1, pending: 0, failures: 0, passPercent: 100 },
      results: [{ tests: [] }],
      tests: [],
    };
    expect(mochaJsonParser.matches(sniffDocument("mochawesome.json", mochawesome))).toBe(false);
    expect(mochaJsonParser.matches(sniffDocument("list.json", [mochaReport([])]))).toBe(false);
    expect(mochaJsonParser.matches(sniffDocument("text.txt", "stats passes"))).toBe(false);
  });
});
