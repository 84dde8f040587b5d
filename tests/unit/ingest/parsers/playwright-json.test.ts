import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { playwrightJsonParser } from "../../../../src/ingest/parsers/playwright-json.js";
import {
  failedResult,
  fileSuite,
  playwrightReport,
  playwrightResultFactory,
  playwrightSpecFactory,
  playwrightTestFactory,
} from "../../../factories/playwright-report.js";
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
  sniffPath,
  suiteFailuresOf,
} from "../../../support/json-report-harness.js";

const wellDefined = (name: string): string =>
  fixture("playwright-json", "well-defined", `playwright-1.65.1-${name}.json`);
const summary = (name: string): string => corpus("playwright-report-summary/__fixtures__", `${name}.json`);
const statuses = (test: { attempts: readonly { status: string }[] }): string[] =>
  test.attempts.map((attempt) => attempt.status);

describe("playwrightJsonParser on real Playwright 1.65.1 output", () => {
  it("reads projects, describe blocks, tags, annotations, output and skip reasons", async () => {
    const records = await parseFile(playwrightJsonParser, wellDefined("mixed-projects"));
    expect(records[0]).toEqual({
      kind: "report",
      tool: "playwright",
      toolVersion: "1.65.1",
      startedAt: "2026-12-01T18:35:28.086Z",
      durationMs: 2962.0110000000004,
    });
    expect(finalCounts(records)).toEqual({ passed: 6, failed: 0, error: 0, skipped: 3 });
    expect(caseNamed(records, "adds two numbers")).toMatchObject({
      suite: ["unit", "math", "addition"],
      file: "math.spec.js",
      line: 4,
      tags: ["fast"],
    });
    expect(caseNamed(records, "top-level test")).toMatchObject({
      suite: ["unit", "math.spec.js"],
      attempts: [{ status: "passed", stdout: "hello from a test\n✓\n", stderr: "to stderr\n" }],
    });
    expect(caseNamed(records, "annotated")).toMatchObject({
      properties: { issue: "https://example.com/1", owner: "team-a" },
      tags: ["slow", "smoke"],
    });
    expect(caseNamed(records, "skips at runtime").attempts).toEqual([
      { status: "skipped", durationMs: 3, startedAt: "2026-12-01T18:35:29.688Z", skipReason: "not on this platform" },
    ]);
    expect(caseNamed(records, "is fixme").properties).toEqual({ fixme: "" });
    expect(caseNamed(records, "api works", "unit").suite).toEqual(["unit", "sub/api.spec.js"]);
    expect(caseNamed(records, "api works", "api").suite).toEqual(["api", "sub/api.spec.js"]);
  });

  it("counts a test.fail() test that failed as passed", async () => {
    const records = await parseFile(playwrightJsonParser, wellDefined("mixed-projects"));
    expect(caseNamed(records, "is expected to fail").attempts).toEqual([
      { status: "passed", durationMs: 8, startedAt: expect.any(String) as unknown },
    ]);
  });

  it("gives every retry of a failing test its own attempt, and timeouts the TimeoutError type", async () => {
    const records = await parseFile(playwrightJsonParser, wellDefined("failing"));
    expect(finalCounts(records)).toEqual({ passed: 0, failed: 3, error: 0, skipped: 0 });
    const diff = caseNamed(records, "compares objects");
    expect(diff.suite).toEqual(["failing"]);
    expect(statuses(diff)).toEqual(["failed", "failed"]);
    expect(diff.attempts[0].failure?.type).toBe("Error");
    expect(diff.attempts[0].failure?.message).toMatch(
      /^expect\(received\)\.toEqual\(expected\) \/\/ deep equality\n\n- Expected {2}- 2/,
    );
    expect(diff.attempts[0].failure?.message).not.toContain("\u001b");
    expect(diff.attempts[0].failure?.stack).toMatch(/\n {4}at \/tmp\/kz-fx\/pw\/cases\/fail\/fail\.spec\.js:4:33$/);
    expect(caseNamed(records, "throws an error").attempts[1]?.failure).toMatchObject({
      type: "TypeError",
      message: "cannot read property 'x' of undefined",
    });
    expect(caseNamed(records, "times out").attempts.map((attempt) => attempt.failure)).toEqual([
      { type: "TimeoutError", message: "Test timeout of 100ms exceeded." },
      { type: "TimeoutError", message: "Test timeout of 100ms exceeded." },
    ]);
  });

  it("reads a flaky test as a failed attempt followed by a passed one", async () => {
    const records = await parseFile(playwrightJsonParser, wellDefined("flaky"));
    const flaky = caseNamed(records, "fails first then passes");
    expect(flaky.suite).toEqual(["flaky"]);
    expect(statuses(flaky)).toEqual(["failed", "passed"]);
    expect(flaky.attempts[0].failure?.message).toMatch(/Expected: 1\nReceived: 0$/);
  });

  it("reports a spec file that failed to load as a suite error of that file", async () => {
    const records = await parseFile(playwrightJsonParser, wellDefined("import-failure"));
    expect(casesOf(records)).toEqual([]);
    const [failure] = suiteFailuresOf(records);
    expect(failure).toMatchObject({ suite: ["broken.spec.js"], file: "broken.spec.js", status: "error" });
    expect(failure?.failure.type).toBe("Error");
    expect(failure?.failure.message).toMatch(/^Cannot find module '\.\/does-not-exist'\nRequire stack:/);
  });

  it("reports an error outside any file against the configuration", async () => {
    const records = await parseFile(playwrightJsonParser, wellDefined("no-tests"));
    expect(suiteFailuresOf(records)).toEqual([
      {
        kind: "suite-failure",
        suite: ["/tmp/kz-fx/pw/playwright.config.js"],
        failure: { type: "Error", message: "No tests found" },
        status: "error",
      },
    ]);
  });

  it("maps an interrupted run to error and a test that never started to skipped", async () => {
    const records = await parseFile(playwrightJsonParser, wellDefined("interrupted"));
    expect(caseNamed(records, "runs too long").attempts).toEqual([
      { status: "error", durationMs: 1165, startedAt: "2026-12-01T18:36:17.449Z" },
    ]);
    expect(caseNamed(records, "never starts").attempts).toEqual([{ status: "skipped" }]);
  });
});

describe("playwrightJsonParser on the playwright-report-summary corpus", () => {
  it.each([
    ["report-valid", { passed: 11, failed: 2, error: 0, skipped: 1 }],
    ["report-without-duration", { passed: 11, failed: 2, error: 0, skipped: 1 }],
    ["report-nested", { passed: 45, failed: 0, error: 0, skipped: 0 }],
    ["report-sharded", { passed: 23, failed: 1, error: 0, skipped: 3 }],
  ])("%s.json has the counts of its tests' statuses", async (name, counts) => {
    const records = await parseFile(playwrightJsonParser, summary(name));
    expect(finalCounts(records)).toEqual(counts);
    expect(suiteFailuresOf(records)).toEqual([]);
  });

  it("keeps every retry of report-valid.json in order: flaky after two failures, failures after five", async () => {
    const records = await parseFile(playwrightJsonParser, summary("report-valid"));
    const byStatuses = casesOf(records).map((test) => statuses(test).join(","));
    expect(byStatuses.filter((s) => s === "failed,failed,passed")).toHaveLength(1);
    expect(byStatuses.filter((s) => s === "failed,failed,failed,failed,failed")).toHaveLength(2);
    expect(records[0]).toEqual({
      kind: "report",
      tool: "playwright",
      toolVersion: "1.37.1",
      properties: { shard: "1/2" },
    });
  });

  it("builds suite paths from the project and the describe blocks of report-nested.json", async () => {
    const records = await parseFile(playwrightJsonParser, summary("report-nested"));
    expect(caseNamed(records, "b-a-b-2", "webkit").suite).toEqual(["webkit", "b", "b-a", "b-a-b"]);
    expect(caseNamed(records, "1", "firefox")).toMatchObject({
      suite: ["firefox", "nested.spec.ts"],
      file: "nested.spec.ts",
    });
  });

  it("rejects report-invalid.json, which renames the top-level members, naming what is missing", async () => {
    const file = summary("report-invalid");
    const error = await parseError(playwrightJsonParser, file, readFileSync(file, "utf8"));
    expect(error).toMatchObject({
      code: "PARSE_ERROR",
      file,
      message: 'not a Playwright JSON report: missing "config", "suites"',
    });
    expect(playwrightJsonParser.matches(await sniffPath(file))).toBe(false);
  });
});

describe("playwrightJsonParser on reduced and generated reports", () => {
  it("leaves out what the report does not say", async () => {
    const records = await parseFile(
      playwrightJsonParser,
      fixture("playwright-json", "missing", "only-titles-and-statuses.json"),
    );
    expect(records).toEqual([
      { kind: "report", tool: "playwright" },
      {
        kind: "case",
        suite: ["flaky"],
        name: "fails first then passes",
        attempts: [{ status: "failed" }, { status: "passed" }],
      },
    ]);
  });

  it("orders attempts by retry, whatever order the results are in", async () => {
    const test = playwrightTestFactory.build({
      status: "flaky",
      results: [
        playwrightResultFactory.build({ retry: 2 }),
        failedResult("first", { retry: 0 }),
        failedResult("second", { retry: 1 }),
      ],
    });
    const spec = playwrightSpecFactory.build({ title: "shuffled", tests: [test] });
    const records = await parseDocument(
      playwrightJsonParser,
      "shuffled.json",
      playwrightReport([fileSuite("a.spec.ts", [spec])]),
    );
    const attempts = caseNamed(records, "shuffled").attempts;
    expect(attempts.map((attempt) => [attempt.status, attempt.failure?.message])).toEqual([
      ["failed", "first"],
      ["failed", "second"],
      ["passed", undefined],
    ]);
  });

  it("fails a test.fail() test that passed, and reads the verdict of a test without results", async () => {
    const unexpectedPass = playwrightTestFactory.build({ expectedStatus: "failed", status: "unexpected" });
    const noResults = [
      playwrightTestFactory.build({ projectName: "a", status: "unexpected", results: [] }),
      playwrightTestFactory.build({ projectName: "b", status: "expected", results: [] }),
      playwrightTestFactory.build({
        projectName: "c",
        status: "strange",
        results: [],
        annotations: [{ type: "skip", description: "later" }],
      }),
      playwrightTestFactory.build({ projectName: "d", status: undefined, results: [] }),
    ];
    const specs = [
      playwrightSpecFactory.build({ title: "passes unexpectedly", tests: [unexpectedPass] }),
      playwrightSpecFactory.build({ title: "never ran", tests: noResults }),
    ];
    const records = await parseDocument(
      playwrightJsonParser,
      "verdicts.json",
      playwrightReport([fileSuite("v.spec.ts", specs)]),
    );
    expect(caseNamed(records, "passes unexpectedly").attempts).toEqual([expect.objectContaining({ status: "failed" })]);
    expect(caseNamed(records, "passes unexpectedly").attempts[0]).not.toHaveProperty("failure");
    expect(
      casesOf(records)
        .filter((test) => test.name === "never ran")
        .map((test) => test.attempts),
    ).toEqual([
      [{ status: "failed" }],
      [{ status: "passed" }],
      [{ status: "skipped", skipReason: "later" }],
      [{ status: "skipped" }],
    ]);
  });

  it("decodes base64 output buffers and joins output chunks", async () => {
    const result = playwrightResultFactory.build({
      stdout: [{ text: "one\n" }, { buffer: Buffer.from("two ✓\n").toString("base64") }],
      stderr: [],
    });
    const spec = playwrightSpecFactory.build({
      title: "chatty",
      tests: [playwrightTestFactory.build({ results: [result] })],
    });
    const records = await parseDocument(
      playwrightJsonParser,
      "out.json",
      playwrightReport([fileSuite("o.spec.ts", [spec])]),
    );
    expect(caseNamed(records, "chatty").attempts[0].stdout).toBe("one\ntwo ✓\n");
    expect(caseNamed(records, "chatty").attempts[0]).not.toHaveProperty("stderr");
  });

  it("reads failures from printed errors alone, from error values, and with several errors", async () => {
    const printedOnly = failedResult("printed", { error: undefined });
    const valueOnly = playwrightResultFactory.build({
      status: "failed",
      error: { value: "a thrown string" },
      errors: [],
    });
    const several = failedResult("first of two", {
      errors: [
        { message: "Error: first of two" },
        { message: "\u001b[31mError: second of two\u001b[39m\n    at x.spec.ts:3:3" },
      ],
    });
    const bareTimeout = playwrightResultFactory.build({ status: "timedOut", errors: [] });
    const bareFailure = playwrightResultFactory.build({ status: "failed", errors: [] });
    const spec = (title: string, result: ReturnType<typeof failedResult>) =>
      playwrightSpecFactory.build({
        title,
        tests: [playwrightTestFactory.build({ status: "unexpected", results: [result] })],
      });
    const report = playwrightReport([
      fileSuite("e.spec.ts", [
        spec("printed only", printedOnly),
        spec("value only", valueOnly),
        spec("several", several),
        spec("bare timeout", bareTimeout),
        spec("bare failure", bareFailure),
      ]),
    ]);
    const records = await parseDocument(playwrightJsonParser, "errors.json", report);
    expect(caseNamed(records, "printed only").attempts[0].failure).toMatchObject({ type: "Error", message: "printed" });
    expect(caseNamed(records, "value only").attempts[0].failure).toEqual({ message: "a thrown string" });
    const joined = caseNamed(records, "several").attempts[0].failure;
    expect(joined).toMatchObject({ type: "Error", message: "first of two" });
    expect(joined?.stack).toMatch(
      /^Error: first of two\n {4}at [^\n]+\n\nError: second of two\n {4}at x\.spec\.ts:3:3$/,
    );
    expect(caseNamed(records, "bare timeout").attempts[0].failure).toEqual({ type: "TimeoutError" });
    expect(caseNamed(records, "bare failure").attempts[0]).not.toHaveProperty("failure");
  });

  it("reads printed errors that hold only a value or nothing, a thrown error with only a stack, and suites without specs", async () => {
    const valuePrinted = playwrightResultFactory.build({
      status: "failed",
      errors: [{ value: "Error: printed value" }],
    });
    const emptyPrinted = playwrightResultFactory.build({ status: "failed", errors: [{}] });
    const stackThrown = playwrightResultFactory.build({
      status: "failed",
      error: { stack: "Error: only stack\n    at a.spec.ts:1:1" },
    });
    const spec = (title: string, result: ReturnType<typeof failedResult>) =>
      playwrightSpecFactory.build({
        title,
        tests: [playwrightTestFactory.build({ status: "unexpected", results: [result] })],
      });
    const nested = {
      title: "outer",
      suites: [{ title: "inner", specs: [spec("deep", playwrightResultFactory.build())] }],
    };
    const report = playwrightReport([
      {
        title: "v.spec.ts",
        file: "v.spec.ts",
        specs: [
          spec("value printed", valuePrinted),
          spec("empty printed", emptyPrinted),
          spec("stack thrown", stackThrown),
        ],
        suites: [nested],
      },
    ]);
    const records = await parseDocument(playwrightJsonParser, "more.json", report);
    expect(caseNamed(records, "value printed").attempts[0].failure).toEqual({
      type: "Error",
      message: "printed value",
    });
    expect(caseNamed(records, "empty printed").attempts[0]).not.toHaveProperty("failure");
    expect(caseNamed(records, "stack thrown").attempts[0].failure).toMatchObject({
      type: "Error",
      message: "only stack",
    });
    expect(caseNamed(records, "deep").suite).toEqual(["chromium", "outer", "inner"]);
  });

  it("places global errors without a root directory, and with a stack alone", async () => {
    const report = playwrightReport([], {
      config: { configFile: "/repo/pw.config.ts" },
      errors: [
        {
          stack: "Error: setup failed\n    at /repo/setup.ts:4:1",
          location: { file: "/repo/setup.ts", line: 4, column: 1 },
        },
      ],
    });
    const records = await parseDocument(playwrightJsonParser, "global.json", report);
    expect(suiteFailuresOf(records)).toEqual([
      {
        kind: "suite-failure",
        suite: ["/repo/setup.ts"],
        file: "/repo/setup.ts",
        failure: { type: "Error", message: "setup failed", stack: "Error: setup failed\n    at /repo/setup.ts:4:1" },
        status: "error",
      },
    ]);
  });

  it("merges test and result annotations into properties, joining distinct descriptions of one type", async () => {
    const test = playwrightTestFactory.build({
      annotations: [{ type: "issue", description: "#1" }, { type: "issue", description: "#2" }, { type: "slow" }],
      results: [
        playwrightResultFactory.build({
          annotations: [
            { type: "issue", description: "#1" },
            { type: "slow", description: "x3" },
          ],
        }),
      ],
    });
    const spec = playwrightSpecFactory.build({ title: "annotated", tests: [test] });
    const records = await parseDocument(
      playwrightJsonParser,
      "ann.json",
      playwrightReport([fileSuite("a.spec.ts", [spec])]),
    );
    expect(caseNamed(records, "annotated").properties).toEqual({ issue: "#1, #2", slow: "x3" });
  });

  it("keeps absolute paths outside the root directory, and skips errors it cannot place", async () => {
    const report = playwrightReport([], {
      config: { rootDir: "/repo/tests/" },
      errors: [
        {
          message: "Error: outside",
          stack: "Error: outside\n    at /elsewhere/setup.ts:1:1",
          location: { file: "/elsewhere/setup.ts", line: 1, column: 1 },
        },
        { message: "Error: inside", location: { file: "/repo/tests/sub/x.spec.ts", line: 2, column: 1 } },
        { value: "thrown value" },
      ],
    });
    const records = await parseDocument(playwrightJsonParser, "errors.json", report);
    expect(suiteFailuresOf(records).map((failure) => [failure.suite, failure.file, failure.failure.message])).toEqual([
      [["/elsewhere/setup.ts"], "/elsewhere/setup.ts", "outside"],
      [["sub/x.spec.ts"], "sub/x.spec.ts", "inside"],
      [["/repo/tests/"], undefined, "thrown value"],
    ]);
    const placeless = await parseDocument(
      playwrightJsonParser,
      "placeless.json",
      playwrightReport([], { config: {}, errors: [{ message: "lost" }] }),
    );
    expect(suiteFailuresOf(placeless)).toEqual([]);
  });

  it("tolerates a config of the wrong type and a missing errors list", async () => {
    const spec = playwrightSpecFactory.build({ title: "plain", line: 0, tags: undefined });
    const report = playwrightReport([fileSuite("p.spec.ts", [spec])], {
      config: "odd",
      errors: undefined,
      stats: undefined,
    });
    const records = await parseDocument(playwrightJsonParser, "odd.json", report);
    expect(records[0]).toEqual({ kind: "report", tool: "playwright" });
    expect(caseNamed(records, "plain")).not.toHaveProperty("line");
    expect(caseNamed(records, "plain")).not.toHaveProperty("tags");
  });
});

describe("playwrightJsonParser on invalid input", () => {
  it("rejects truncated JSON with the file and line", async () => {
    const file = fixture("playwright-json", "invalid", "truncated.json");
    const error = await parseError(playwrightJsonParser, file, readFileSync(file, "utf8"));
    expect(error).toMatchObject({ code: "PARSE_ERROR", file });
    expect(error.message).toMatch(/truncated/);
    expect(error.position?.line).toBeGreaterThan(50);
  });

  it("rejects an unknown result status, naming the member and its line", async () => {
    const file = fixture("playwright-json", "invalid", "unknown-result-status.json");
    const text = readFileSync(file, "utf8");
    const error = await parseError(playwrightJsonParser, file, text);
    expect(error.message).toMatch(
      /^not a valid Playwright JSON report: suites\[0\]\.suites\[0\]\.specs\[0\]\.tests\[0\]\.results\[1\]\.status: /,
    );
    expect(error.position?.line).toBe(text.split("\n").findIndex((row) => row.includes('"exploded"')) + 1);
  });

  it("rejects suites that are not a list and specs without a title", async () => {
    const notList = await parseError(playwrightJsonParser, "x.json", { config: {}, suites: {} });
    expect(notList.message).toMatch(/^not a valid Playwright JSON report: suites: /);
    const untitled = await parseError(
      playwrightJsonParser,
      "y.json",
      playwrightReport([fileSuite("a.spec.ts", [playwrightSpecFactory.build({ title: undefined })])]),
    );
    expect(untitled.message).toMatch(/suites\[0\]\.specs\[0\]\.title: /);
    expect(untitled.position?.line).toBeGreaterThan(1);
  });
});

describe("playwrightJsonParser.matches", () => {
  itClaimsItsSamples(playwrightJsonParser);
  itClaimsNoOtherSamples(playwrightJsonParser);

  it("claims a report whose config fills the whole sniff", () => {
    const head = readFileSync(wellDefined("failing"), "utf8").slice(0, 400);
    expect(playwrightJsonParser.matches(sniffDocument("big.json", head, false))).toBe(true);
    expect(playwrightJsonParser.matches(sniffDocument("cfg.json", { config: { version: "1" } }))).toBe(false);
    expect(playwrightJsonParser.matches(sniffDocument("list.json", [{ config: {}, suites: [] }]))).toBe(false);
    expect(playwrightJsonParser.matches(sniffDocument("text.txt", "config suites"))).toBe(false);
  });
});
