import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { KaizenError } from "../../../../src/domain/errors.js";
import type { TestStatus } from "../../../../src/domain/test-status.js";
import { junitXmlParser } from "../../../../src/ingest/parsers/junit-xml.js";
import { isoTimestamp, secondsToMs } from "../../../../src/ingest/parsers/junit-xml-values.js";
import type { RawRecord, RawTestCase } from "../../../../src/ingest/raw-records.js";
import { fileSource } from "../../../../src/ingest/report-source.js";
import { sniffFile } from "../../../../src/ingest/sniff.js";
import {
  junitCaseFactory,
  junitSuiteFactory,
  renderJunitReport,
  streamedJunitReport,
} from "../../../factories/junit-xml.js";
import {
  CORPUS,
  FIXTURES_ROOT,
  bindParser,
  casesOf,
  filesUnder,
  firstCaseNamed,
  kaizenRejection,
  reportOf,
  sniffText,
  suiteFailuresOf,
} from "../../../support/parser-harness.js";

const DORNY = path.join(CORPUS, "dorny-test-reporter/__tests__");
const FIXTURES = path.join(FIXTURES_ROOT, "junit-xml");

// Vitest types its asymmetric matchers as `any`; these give them the type of what they stand for.
const containing = (text: string): string => expect.stringContaining(text) as string;
const matching = (pattern: RegExp): string => expect.stringMatching(pattern) as string;

const { parseFile, parseText } = bindParser(junitXmlParser, "inline.xml");
const fixture = (name: string): Promise<RawRecord[]> => parseFile(path.join(FIXTURES, name));

const finalStatus = (record: RawTestCase): TestStatus =>
  record.attempts[record.attempts.length - 1]?.status ?? "passed";

/** Counts as dorny/test-reporter renders them: errors count as failures. */
function dornyCounts(records: readonly RawRecord[]): { passed: number; failed: number; skipped: number } {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const record of casesOf(records)) {
    const status = finalStatus(record);
    if (status === "passed") counts.passed++;
    else if (status === "skipped") counts.skipped++;
    else counts.failed++;
  }
  return counts;
}

function statuses(records: readonly RawRecord[]): Record<string, TestStatus[]> {
  return Object.fromEntries(
    casesOf(records).map((record) => [record.name, record.attempts.map((attempt) => attempt.status)]),
  );
}

describe("junitXmlParser.matches", () => {
  const sniff = (text: string) => sniffText("sample", text);

  it("claims <testsuites> and <testsuite> roots, with or without a declaration, comment or namespace prefix", () => {
    expect(junitXmlParser.matches(sniff("<testsuites/>"))).toBe(true);
    expect(junitXmlParser.matches(sniff('<?xml version="1.0"?>\n<!-- c -->\n<testsuite name="a"/>'))).toBe(true);
    expect(junitXmlParser.matches(sniff('<j:testsuites xmlns:j="urn:x"/>'))).toBe(true);
  });

  it("does not claim the XML roots of NUnit, TRX and xUnit.net, nor other syntaxes", () => {
    for (const text of [
      "<test-run/>",
      "<test-results/>",
      '<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"/>',
      "<assemblies><assembly/></assemblies>",
      "<assembly/>",
      "<testcase name='x'/>",
      '{"testResults": []}',
      "TAP version 13\nok 1 - a\n",
    ]) {
      expect(junitXmlParser.matches(sniff(text)), text).toBe(false);
    }
  });

  it("claims every JUnit file of the corpus and of the fixtures, and none of the other formats' files", async () => {
    const corpus = filesUnder(path.join(DORNY, "fixtures"));
    const others = [...corpus, ...filesUnder(path.join(CORPUS, "junit-schema"))];
    const claimed: string[] = [];
    for (const file of others) {
      if (file.endsWith(".txt") || file.endsWith("LICENSE")) continue;
      if (junitXmlParser.matches(await sniffFile(file))) claimed.push(path.relative(DORNY, file));
    }
    expect(claimed.sort()).toEqual(
      [
        "fixtures/empty/java-junit.xml",
        "fixtures/empty/jest-junit-empty-testsuite.xml",
        "fixtures/empty/jest-junit.xml",
        "fixtures/empty/phpunit-empty.xml",
        "fixtures/external/java/TEST-org.apache.pulsar.AddMissingPatchVersionTest.xml",
        "fixtures/external/java/empty_failures.xml",
        "fixtures/external/java/junit4-basic.xml",
        "fixtures/external/java/junit4-complete.xml",
        "fixtures/external/java/pulsar-test-report.xml",
        "fixtures/external/jest/jest-react-component-test-results.xml",
        "fixtures/external/jest/jest-test-results.xml",
        "fixtures/external/phpunit/junit-basic.xml",
        "fixtures/external/phpunit/phpcheckstyle-phpunit.xml",
        "fixtures/jest-junit-eslint.xml",
        "fixtures/jest-junit.xml",
        "fixtures/junit-with-message.xml",
        "fixtures/nette-tester/BootstrapFormRenderer-report.xml",
        "fixtures/nette-tester/tester-v1.7-report.xml",
        "fixtures/phpunit/phpunit-paths.xml",
        "fixtures/phpunit/phpunit.xml",
        "fixtures/python-xunit-pytest.xml",
        "fixtures/python-xunit-unittest.xml",
        "fixtures/swift-xunit.xml",
        "fixtures/test-errors/jest/jest-test-results.xml",
      ].sort(),
    );
    for (const file of filesUnder(path.join(FIXTURES, "well-defined"))) {
      expect(junitXmlParser.matches(await sniffFile(file)), file).toBe(true);
    }
  });

  it("names its format", () => {
    expect(junitXmlParser.format).toBe("junit-xml");
    expect(junitXmlParser.description).toMatch(/JUnit XML/);
  });
});

describe("corpus conformance (dorny/test-reporter fixtures)", () => {
  /** Reads the Report table of every rendered output: fixture path -> counts. */
  async function dornyReference(): Promise<Map<string, { passed: number; failed: number; skipped: number }>> {
    const reference = new Map<string, { passed: number; failed: number; skipped: number }>();
    const dir = path.join(DORNY, "__outputs__");
    for (const name of await readdir(dir)) {
      const markdown = await readFile(path.join(dir, name), "utf8");
      for (const [, file = "", passed = "", failed = "", skipped = ""] of markdown.matchAll(
        /^\|\[(fixtures\/[^\]]+)\]\(#[^)]*\)\|([^|]*)\|([^|]*)\|([^|]*)\|/gm,
      )) {
        const count = (cell: string): number => Number.parseInt(cell, 10) || 0;
        reference.set(file, { passed: count(passed), failed: count(failed), skipped: count(skipped) });
      }
    }
    return reference;
  }

  /** Files that dorny/test-reporter renders no output for. */
  const unrendered: Record<string, { passed: number; failed: number; skipped: number }> = {
    "fixtures/empty/java-junit.xml": { passed: 0, failed: 0, skipped: 0 },
    "fixtures/empty/jest-junit-empty-testsuite.xml": { passed: 0, failed: 0, skipped: 0 },
    "fixtures/empty/jest-junit.xml": { passed: 0, failed: 0, skipped: 0 },
    "fixtures/empty/phpunit-empty.xml": { passed: 0, failed: 0, skipped: 0 },
    "fixtures/phpunit/phpunit-paths.xml": { passed: 0, failed: 6, skipped: 0 },
    "fixtures/external/java/empty_failures.xml": { passed: 2, failed: 1, skipped: 0 },
  };

  it("parses every JUnit file with the counts dorny/test-reporter rendered", async () => {
    const reference = await dornyReference();
    let checked = 0;
    for (const file of filesUnder(path.join(DORNY, "fixtures"))) {
      if (!file.endsWith(".xml") || !junitXmlParser.matches(await sniffFile(file))) continue;
      const key = path.relative(DORNY, file);
      const expected = reference.get(key) ?? unrendered[key];
      expect(expected, `a reference count for ${key}`).toBeDefined();
      expect(dornyCounts(await parseFile(file)), key).toEqual(expected);
      checked++;
    }
    expect(checked).toBe(24);
  });

  it("reads pytest's suite properties, skip messages and the report's host and tool", async () => {
    const records = await parseFile(path.join(DORNY, "fixtures/python-xunit-pytest.xml"));
    expect(reportOf(records)).toEqual({
      kind: "report",
      tool: "pytest",
      startedAt: "2025-11-15T11:51:49.548396-05:00",
      durationMs: 19,
      hostname: "Mac.hsd1.va.comcast.net",
      properties: { custom_prop: "custom_val" },
    });
    expect(firstCaseNamed(records, "test_always_skip").attempts[0]).toEqual({
      status: "skipped",
      durationMs: 0,
      skipReason: "skipped",
    });
    expect(firstCaseNamed(records, "test_expected_failure").attempts[0]).toEqual({ status: "skipped", durationMs: 0 });
    expect(firstCaseNamed(records, "test_with_record_property").properties).toEqual({ example_key: "1" });
    expect(firstCaseNamed(records, "test_always_fail")).toMatchObject({
      suite: ["pytest"],
      className: "tests.test_lib",
      attempts: [
        {
          status: "failed",
          failure: { message: "assert False", stack: matching(/^def test_always_fail/) },
        },
      ],
    });
  });

  it("reads Testmo's complete example: suite properties with text bodies, repeated names, outputs, errors", async () => {
    const records = await parseFile(path.join(DORNY, "fixtures/external/java/junit4-complete.xml"));
    expect(reportOf(records)).toMatchObject({
      startedAt: "2021-04-02T15:48:23",
      durationMs: 16082.687,
      properties: { version: "1.774", config: "Config line #1\nConfig line #2\nConfig line #3" },
    });
    expect(firstCaseNamed(records, "testCase8").properties).toEqual({
      priority: "high",
      language: "english",
      author: "Adrian",
      attachment: "screenshots/dashboard.png\nscreenshots/users.png",
      description:
        "This text describes the purpose of this test case and provides\nan overview of what the test does and how it works.",
    });
    expect(firstCaseNamed(records, "testCase7").attempts[0]).toMatchObject({
      stdout: "Data written to standard out.",
      stderr: "Data written to standard error.",
    });
    expect(firstCaseNamed(records, "testCase6")).toMatchObject({
      file: "tests/registration.code",
      line: 235,
      attempts: [{ status: "error", failure: { type: "ArithmeticError", message: "Division by zero." } }],
    });
    expect(firstCaseNamed(records, "testCase6").attempts[0].failure).not.toHaveProperty("stack");
    expect(firstCaseNamed(records, "testCase4").attempts[0]).toEqual({
      status: "skipped",
      durationMs: 0,
      skipReason: "Test was skipped.",
    });
  });

  it("builds suite paths from nested testsuites, leaving out the <testsuites> root", async () => {
    const basic = await parseFile(path.join(DORNY, "fixtures/external/phpunit/junit-basic.xml"));
    expect(firstCaseNamed(basic, "testCase4").suite).toEqual(["Tests.Authentication", "Tests.Authentication.Login"]);
    expect(firstCaseNamed(basic, "testCase9").suite).toEqual(["Tests.Authentication"]);
    const phpunit = await parseFile(path.join(DORNY, "fixtures/external/phpunit/phpcheckstyle-phpunit.xml"));
    expect(casesOf(phpunit)[0]?.suite).toEqual([
      "/workspace/phpcheckstyle/phpunit.xml",
      "PHPUnitTestSuite",
      "CommentsTest",
    ]);
    const failures = await parseFile(path.join(DORNY, "fixtures/external/java/empty_failures.xml"));
    expect(firstCaseNamed(failures, "test_other_case").suite).toEqual(["my_package.test_foo.launch_tests"]);
  });

  it("reads a bare <testsuite> root: its name is the suite, its attributes describe the report", async () => {
    const records = await parseFile(
      path.join(DORNY, "fixtures/external/java/TEST-org.apache.pulsar.AddMissingPatchVersionTest.xml"),
    );
    expect(reportOf(records)).toEqual({
      kind: "report",
      startedAt: "2021-03-07T10:36:56Z",
      durationMs: 116,
      hostname: "fv-az96-723",
    });
    expect(casesOf(records).map((record) => record.suite)).toEqual([
      ["org.apache.pulsar.AddMissingPatchVersionTest"],
      ["org.apache.pulsar.AddMissingPatchVersionTest"],
    ]);
  });

  it("reads PHPUnit's file, line and class attributes, and a message-less failure's first line", async () => {
    const records = await parseFile(path.join(DORNY, "fixtures/phpunit/phpunit.xml"));
    expect(records[0]).toMatchObject({
      suite: ["CLI Arguments"],
      name: "targeting-traits-with-coversclass-attribute-is-deprecated.phpt",
      file: "/home/matteo/OSS/phpunit/tests/end-to-end/metadata/targeting-traits-with-coversclass-attribute-is-deprecated.phpt",
      attempts: [
        {
          status: "failed",
          failure: {
            type: "PHPUnit\\Framework\\PhptAssertionFailedError",
            message:
              "targeting-traits-with-coversclass-attribute-is-deprecated.phptFailed asserting that string matches format description.",
          },
        },
      ],
    });
    const dispatcher = firstCaseNamed(records, "testCollectsDispatchedEventsUntilFlushed");
    expect(dispatcher).toMatchObject({ className: "PHPUnit.Event.CollectingDispatcherTest", line: 27 });
    expect(reportOf(records)?.tool).toBe("phpunit");
  });

  it("keeps jest-junit's 'Test suite failed to run' entries as errored testcases, dropping its epoch timestamps", async () => {
    const records = await parseFile(path.join(DORNY, "fixtures/test-errors/jest/jest-test-results.xml"));
    expect(casesOf(records).map((record) => [record.suite, record.className, finalStatus(record)])).toEqual([
      [["libs/foo.spec.ts"], "Test suite failed to run", "error"],
      [["libs/bar.spec.ts"], "Test suite failed to run", "error"],
    ]);
    expect(casesOf(records)[0]?.attempts[0].failure?.message).toBe("● Test suite failed to run");
    expect(reportOf(records)).toEqual({ kind: "report", tool: "jest", durationMs: 646 });
  });

  it("reads nette tester's unnamed suite and multi-line failure messages", async () => {
    const records = await parseFile(path.join(DORNY, "fixtures/nette-tester/tester-v1.7-report.xml"));
    const failed = casesOf(records).find((record) => finalStatus(record) === "failed");
    expect(failed?.suite).toEqual([]);
    expect(failed?.attempts[0].failure?.message).toMatch(/^Failed: '\.\.\. in .*Tester\\Assert::match\(\)$/s);
    // The one top-level suite times the run when the root does not.
    expect(reportOf(records)).toEqual({ kind: "report", startedAt: "2026-01-01T16:50:52", durationMs: 2100 });
  });

  it("streams the 600 KB Jest report of the jest project", async () => {
    const records = await parseFile(path.join(DORNY, "fixtures/external/jest/jest-test-results.xml"));
    expect(casesOf(records)).toHaveLength(4239);
    expect(new Set(casesOf(records).map((record) => record.suite[0])).size).toBe(400);
  });
});

describe("real-tool reports", () => {
  it("node:test: nested describe blocks as nested suites, a top-level test outside any suite", async () => {
    const records = await fixture("well-defined/node-test-20.20.2.xml");
    expect(firstCaseNamed(records, "throws a TypeError").suite).toEqual(["arithmetic", "nested"]);
    expect(firstCaseNamed(records, "top-level pass")).toEqual({
      kind: "case",
      suite: [],
      className: "test",
      name: "top-level pass",
      attempts: [{ status: "passed", durationMs: 4.391 }],
    });
    expect(firstCaseNamed(records, "subtracts wrongly").attempts[0].failure).toMatchObject({
      type: "testCodeFailure",
      message: "five minus three2 !== 3",
      stack: containing("AssertionError [ERR_ASSERTION]: five minus three"),
    });
    expect(firstCaseNamed(records, "is skipped").attempts[0].skipReason).toBe("not ready yet");
    expect(reportOf(records)).toEqual({ kind: "report", durationMs: 12.276, hostname: "vm" });
  });

  it("Vitest: one suite per file, stdout and stderr per test, the tool from the root name", async () => {
    const records = await fixture("well-defined/vitest-5.1.2.xml");
    expect(statuses(records)).toEqual({
      "arithmetic > adds": ["passed"],
      "arithmetic > subtracts wrongly": ["failed"],
      "arithmetic > is skipped": ["skipped"],
      "arithmetic > is todo": ["skipped"],
      "arithmetic > nested > throws a TypeError": ["failed"],
      "flaky: fails on the first try only": ["passed"],
      "writes to stdout and stderr": ["passed"],
    });
    expect(firstCaseNamed(records, "writes to stdout and stderr").attempts[0]).toEqual({
      status: "passed",
      durationMs: 3.389,
      stdout: "hello from stdout",
      stderr: "hello from stderr",
    });
    expect(firstCaseNamed(records, "arithmetic > nested > throws a TypeError").attempts[0].failure).toEqual({
      type: "TypeError",
      message: "Cannot read properties of null (reading 'foo')",
      stack: "TypeError: Cannot read properties of null (reading 'foo')\n ❯ test/math.test.ts:16:44",
    });
    expect(reportOf(records)).toEqual({
      kind: "report",
      tool: "vitest",
      startedAt: "2026-12-01T18:33:30.699Z",
      durationMs: 53.302,
      hostname: "vm",
    });
  });

  it("jest-junit: the file attribute, message-less failures, a test file that failed to load", async () => {
    const records = await fixture("well-defined/jest-junit-17.0.0.xml");
    expect(firstCaseNamed(records, "arithmetic subtracts wrongly")).toMatchObject({
      suite: ["arithmetic"],
      file: "__tests__/math.test.js",
      attempts: [
        {
          status: "failed",
          durationMs: 1,
          failure: { message: "Error: expect(received).toBe(expected) // Object.is equality" },
        },
      ],
    });
    expect(firstCaseNamed(records, "arithmetic subtracts wrongly").attempts[0].failure).not.toHaveProperty("type");
    const broken = casesOf(records).filter((record) => record.name === "__tests__/broken.test.js");
    expect(broken.map(finalStatus)).toEqual(["error", "failed"]);
    expect(reportOf(records)).toEqual({
      kind: "report",
      tool: "jest",
      startedAt: "2026-12-01T18:33:36",
      durationMs: 912,
    });
  });

  it("mocha-junit-reporter: the suite's file, pending tests, a failing hook", async () => {
    const records = await fixture("well-defined/mocha-junit-reporter-2.2.1.xml");
    expect(dornyCounts(records)).toEqual({ passed: 2, failed: 3, skipped: 2 });
    expect(firstCaseNamed(records, "arithmetic is pending")).toMatchObject({
      suite: ["arithmetic"],
      className: "is pending",
      file: "/tmp/kz-junit/mocha/test/math.spec.js",
      attempts: [{ status: "skipped" }],
    });
    expect(firstCaseNamed(records, "arithmetic subtracts wrongly").attempts[0].failure).toMatchObject({
      type: "AssertionError",
      message: "Expected values to be strictly equal:  2 !== 3",
    });
    expect(reportOf(records)?.tool).toBe("mocha");
  });

  it("Playwright: annotations as properties, attachments in stdout, retries folded into one testcase", async () => {
    const records = await fixture("well-defined/playwright-1.65.1.xml");
    expect(firstCaseNamed(records, "arithmetic › is fixme")).toEqual({
      kind: "case",
      suite: ["math.spec.ts"],
      className: "math.spec.ts",
      name: "arithmetic › is fixme",
      attempts: [{ status: "skipped" }],
      properties: { fixme: "broken on purpose" },
    });
    expect(firstCaseNamed(records, "flaky: fails on the first try only")).toMatchObject({
      properties: { issue: "KZ-1" },
      attempts: [{ status: "passed", durationMs: 65, stdout: containing("attempt 1") }],
    });
    expect(firstCaseNamed(records, "arithmetic › nested › throws a TypeError").attempts[0]).toMatchObject({
      status: "error",
      failure: { type: "TypeError", message: "Cannot read properties of null (reading 'foo')" },
    });
    expect(reportOf(records)).toEqual({
      kind: "report",
      tool: "playwright",
      startedAt: "2026-12-01T18:34:11.569Z",
      durationMs: 10953.19,
    });
  });

  it("pytest: setup errors, xfail as skipped, record_property, suite properties and start", async () => {
    const records = await fixture("well-defined/pytest-7.2.1.xml");
    expect(firstCaseNamed(records, "test_uses_broken_fixture").attempts[0]).toMatchObject({
      status: "error",
      failure: { message: 'failed on setup with "RuntimeError: database unavailable"' },
    });
    expect(firstCaseNamed(records, "test_expected_failure").attempts[0]).toMatchObject({
      status: "skipped",
      skipReason: "known bug",
    });
    expect(firstCaseNamed(records, "test_parametrized[2]")).toMatchObject({
      suite: ["pytest"],
      className: "test_math.TestNested",
      properties: { value: "2" },
      attempts: [{ stdout: containing("value is 2") }],
    });
    expect(reportOf(records)).toMatchObject({ tool: "pytest", hostname: "vm", properties: { build: "1234" } });
    expect(reportOf(records)?.startedAt).toMatch(/^2026-12-01T18:34:\d\d\.\d+$/);
  });

  it("pytest xunit1: its 0-based line attribute becomes 1-based", async () => {
    const records = await fixture("well-defined/pytest-7.2.1-xunit1.xml");
    expect(firstCaseNamed(records, "test_adds")).toMatchObject({ file: "test_math.py", line: 11 });
    expect(firstCaseNamed(records, "test_uses_broken_fixture").line).toBe(29);
  });

  it("gotestsum: the Go version as tool version, subtests, skip messages", async () => {
    const records = await fixture("well-defined/gotestsum-1.8.2.xml");
    expect(firstCaseNamed(records, "TestSubtests/fails")).toMatchObject({
      suite: ["example.com/calc/calc"],
      attempts: [
        {
          status: "failed",
          failure: { message: "Failed", stack: containing("calc_test.go:36: subtest failed") },
        },
      ],
    });
    expect(firstCaseNamed(records, "TestSubtests/fails").attempts[0].failure).not.toHaveProperty("type");
    expect(firstCaseNamed(records, "TestIsSkipped").attempts[0].skipReason).toContain("not ready yet");
    expect(reportOf(records)).toEqual({
      kind: "report",
      tool: "go",
      toolVersion: "1.19.8",
      startedAt: "2026-12-01T18:35:14Z",
      durationMs: 1625.217,
      properties: { "go.version": "go1.19.8 linux/amd64" },
    });
  });

  it("PHPUnit 9: nested suites per data provider, <warning> kept without failing the test", async () => {
    const records = await fixture("well-defined/phpunit-9.6.7.xml");
    expect(firstCaseNamed(records, 'testPositive with data set "minus one"')).toMatchObject({
      suite: ["/tmp/kz-junit/phpunit/tests", "MathTest", "MathTest::testPositive"],
      className: "MathTest",
      file: "/tmp/kz-junit/phpunit/tests/MathTest.php",
      line: 46,
      attempts: [{ status: "failed", durationMs: 0.024 }],
    });
    expect(firstCaseNamed(records, "testWarns")).toMatchObject({
      attempts: [{ status: "passed" }],
      properties: { warning: "PHPUnit\\Framework\\Warning: MathTest::testWarns\nthis API is deprecated" },
    });
    expect(firstCaseNamed(records, "testThrows").attempts[0]).toMatchObject({
      status: "error",
      failure: { type: "RuntimeException" },
    });
    expect(dornyCounts(records)).toEqual({ passed: 4, failed: 3, skipped: 2 });
  });

  it("Ant: the per-class report and junitreport's aggregate give the same suites", async () => {
    const single = await fixture("well-defined/ant-1.10.13.xml");
    const aggregated = await fixture("well-defined/ant-junitreport-1.10.13.xml");
    const shape = (records: RawRecord[]) =>
      casesOf(records).map((record) => [record.suite, record.className, record.name, finalStatus(record)]);
    expect(shape(aggregated)).toEqual(shape(single));
    expect(shape(single)[0]).toEqual([["example.MathTest"], "example.MathTest", "throwsIllegalState", "error"]);
    expect(reportOf(single)).toMatchObject({ startedAt: "2026-12-01T18:35:43", durationMs: 224, hostname: "vm" });
    expect(reportOf(single)?.properties?.["ant.version"]).toMatch(/^Apache Ant\(TM\) version 1\.10\.13/);
  });

  it("CTest: status attributes, SKIP_RETURN_CODE and DISABLED as skipped, no suite for the empty build name", async () => {
    const records = await fixture("well-defined/ctest-3.25.1.xml");
    expect(statuses(records)).toEqual({
      adds: ["passed"],
      subtracts_wrongly: ["failed"],
      is_skipped: ["skipped"],
      is_disabled: ["skipped"],
      times_out: ["failed"],
      missing_command: ["skipped"],
      flaky: ["passed"],
    });
    expect(firstCaseNamed(records, "is_skipped")).toMatchObject({
      suite: [],
      attempts: [{ skipReason: "SKIP_RETURN_CODE=77", stdout: "not ready yet" }],
    });
    expect(firstCaseNamed(records, "subtracts_wrongly").attempts[0]).toEqual({
      status: "failed",
      durationMs: 8.995,
      failure: {},
      stdout: "expected 3, got 2",
    });
    expect(reportOf(records)).toEqual({ kind: "report", startedAt: "2026-12-01T18:35:57", durationMs: 2000 });
  });

  it("Surefire 2.22: flakyFailure/flakyError before the pass, rerunFailure/rerunError after the first failure", async () => {
    const records = await fixture("well-defined/surefire-2.22.3.xml");
    expect(statuses(records)).toEqual({
      throwsIllegalState: ["error", "error", "error"],
      flakyFailsOnTheFirstTryOnly: ["failed", "passed"],
      subtractsWrongly: ["failed", "failed", "failed"],
      flakyErrorsOnTheFirstTryOnly: ["error", "passed"],
      adds: ["passed"],
      isSkipped: ["skipped"],
    });
    expect(firstCaseNamed(records, "flakyFailsOnTheFirstTryOnly").attempts).toEqual([
      {
        status: "failed",
        failure: {
          type: "java.lang.AssertionError",
          message: "first try fails expected:<1> but was:<2>",
          stack: matching(/^java\.lang\.AssertionError: first try fails.*\n\tat example\.MathTest\.flaky/s),
        },
        stdout: "first attempt",
      },
      { status: "passed", durationMs: 1 },
    ]);
    const rerun = firstCaseNamed(records, "subtractsWrongly").attempts;
    expect(rerun[0]).toMatchObject({
      durationMs: 19,
      stdout: "computing 5 - 3",
      failure: { type: "java.lang.AssertionError" },
    });
    expect(rerun[1]).not.toHaveProperty("durationMs");
    expect(rerun[2]).toMatchObject({
      stdout: "computing 5 - 3",
      failure: { stack: containing("MathTest.java:19") },
    });
    expect(reportOf(records)).toMatchObject({ tool: "maven-surefire", durationMs: 325 });
    expect(reportOf(records)?.properties?.["java.version"]).toBe("17.0.15");
  });

  it("JUnit Platform console: skipped with a text body, nested classes", async () => {
    const records = await fixture("well-defined/junit-platform-console-1.9.1.xml");
    expect(firstCaseNamed(records, "isSkipped()").attempts[0]).toMatchObject({
      status: "skipped",
      skipReason: "not ready yet",
    });
    expect(firstCaseNamed(records, "throwsIllegalState()")).toMatchObject({
      suite: ["JUnit Jupiter"],
      className: "example.MathTest$Nested1",
      attempts: [
        { status: "error", failure: { type: "java.lang.IllegalStateException", message: "database unavailable" } },
      ],
    });
    expect(dornyCounts(records)).toEqual({ passed: 2, failed: 3, skipped: 1 });
  });
});

describe("dialects written from documentation", () => {
  it("Surefire 3.0 schema: thousands separators, attempts with their own output, mixed flaky and rerun kinds", async () => {
    const records = await fixture("well-defined/surefire-3.0-schema.xml");
    expect(firstCaseNamed(records, "paysWithCard").attempts).toEqual([
      {
        status: "failed",
        failure: {
          type: "org.opentest4j.AssertionFailedError",
          message: "expected:<PAID> but was:<PENDING>",
          stack:
            "org.opentest4j.AssertionFailedError: expected:<PAID> but was:<PENDING>\n\tat com.example.checkout.CheckoutIT.paysWithCard(CheckoutIT.java:42)",
        },
        stdout: "attempt 1: order 17 created",
        stderr: "WARN payment gateway slow",
      },
      {
        status: "error",
        failure: {
          type: "java.net.ConnectException",
          message: "Connection refused",
          stack: containing("CheckoutIT.java:40"),
        },
      },
      { status: "passed", durationMs: 1001500, stdout: "attempt 3: order 19 paid" },
    ]);
    expect(statuses(records).refundsOrder).toEqual(["failed", "failed", "error"]);
    expect(firstCaseNamed(records, "refundsOrder").attempts[2]).toMatchObject({
      failure: { type: "java.util.concurrent.TimeoutException" },
      stderr: "run 3 hung",
    });
    expect(statuses(records).crashesOnStartup).toEqual(["error", "error"]);
    expect(reportOf(records)).toEqual({
      kind: "report",
      tool: "maven-surefire",
      durationMs: 1234567,
      properties: { "java.version": "21.0.2", "maven.version": "3.9.6" },
    });
  });

  it("Gradle mergeReruns: retries, assumption failures, several failures of one execution", async () => {
    const records = await fixture("well-defined/gradle-8-merge-reruns.xml");
    expect(statuses(records)).toEqual({
      "addsItem()": ["passed"],
      "removesItem()": ["failed", "passed"],
      "appliesCoupon()": ["failed", "failed"],
      "checksStock()": ["skipped"],
      "totalsPrices()": ["failed"],
      "attachesReceipt()": ["passed"],
    });
    expect(firstCaseNamed(records, "removesItem()").attempts.map((attempt) => attempt.stdout)).toEqual([
      "first execution",
      "second execution",
    ]);
    expect(firstCaseNamed(records, "checksStock()")).toMatchObject({
      properties: { ticket: "CART-12" },
      attempts: [{ skipReason: "Assumption failed: inventory service not reachable" }],
    });
    const totals = firstCaseNamed(records, "totalsPrices()").attempts[0].failure;
    expect(totals?.type).toBe("org.opentest4j.MultipleFailuresError");
    expect(totals?.stack).toMatch(
      /Multiple Failures \(2 failures\)[\s\S]*\n\njava\.lang\.IllegalStateException: cleanup failed\n\tat /,
    );
    expect(firstCaseNamed(records, "attachesReceipt()").attempts[0].stdout).toBe(
      "[[ATTACHMENT|receipts/receipt-1.pdf]]",
    );
    expect(reportOf(records)).toEqual({
      kind: "report",
      startedAt: "2024-05-02T09:15:30.123Z",
      durationMs: 842,
      hostname: "ci-runner-7",
    });
  });

  it("go-junit-report: build failures and panics are errored testcases", async () => {
    const records = await fixture("well-defined/go-junit-report-2.xml");
    expect(firstCaseNamed(records, "[build failed]")).toMatchObject({
      suite: ["example.com/shop/broken"],
      attempts: [{ status: "error", failure: { message: "Build error", stack: containing("undefined: fmt") } }],
    });
    expect(firstCaseNamed(records, "TestInit").attempts[0].failure?.message).toBe("Runtime error");
    expect(firstCaseNamed(records, "TestSkip").attempts[0].skipReason).toBe("cart_test.go:30: needs a database");
    expect(firstCaseNamed(records, "TestSkipNoMessage").attempts[0]).toEqual({ status: "skipped", durationMs: 0 });
    expect(reportOf(records)).toMatchObject({
      tool: "go",
      toolVersion: "1.22.1",
      startedAt: "2024-03-01T12:00:00Z",
      hostname: "build-42",
    });
  });

  it("GoogleTest: notrun/suppressed and result=skipped, one failure per assertion, timestamps per test", async () => {
    const records = await fixture("well-defined/googletest-1.14.xml");
    expect(statuses(records)).toEqual({
      Addition: ["failed"],
      Subtraction: ["passed"],
      DISABLED_Division: ["skipped"],
      Modulo: ["skipped"],
    });
    expect(firstCaseNamed(records, "Addition").attempts[0]).toEqual({
      status: "failed",
      durationMs: 7,
      startedAt: "2024-02-10T08:30:00.125",
      failure: {
        message: "math_test.cc:7\nExpected equality of these values:\n  add(1, 1)\n    Which is: 3\n  2",
        stack:
          "math_test.cc:7\nExpected equality of these values:\n  add(1, 1)\n    Which is: 3\n  2\n\nmath_test.cc:8\nExpected: (add(1, 2)) == (3), actual: 4 vs 3",
      },
    });
    expect(reportOf(records)).toEqual({
      kind: "report",
      tool: "googletest",
      startedAt: "2024-02-10T08:30:00.123",
      durationMs: 35,
    });
  });

  it("variations: locale-formatted times, property forms, outcome attributes, suite-level failures", async () => {
    const records = await fixture("well-defined/dialect-variations.xml");
    expect(firstCaseNamed(records, "creates a user")).toEqual({
      kind: "case",
      suite: ["api", "users"],
      className: "api.users",
      name: "creates a user",
      file: "tests/api/users.test.js",
      line: 12,
      attempts: [{ status: "passed", durationMs: 1234500 }],
      properties: { owner: "team-a\nteam-b" },
    });
    expect(firstCaseNamed(records, "rejects a bad email")).toMatchObject({
      file: "tests/api/users-validation.test.js",
      attempts: [
        {
          status: "failed",
          durationMs: 250,
          failure: {
            message: "AssertionError: expected 400, got 500",
            stack:
              "AssertionError: expected 400, got 500\n    at Object.<anonymous> (tests/api/users-validation.test.js:30:5)\n\nECONNRESET: teardown: connection reset\nError: read ECONNRESET",
          },
        },
      ],
    });
    expect(statuses(records)).toMatchObject({
      "is skipped by status": ["skipped"],
      "is skipped by result": ["skipped"],
      "failed by status only": ["failed"],
    });
    expect(firstCaseNamed(records, "skipped with text").attempts[0].skipReason).toBe("needs a real SMTP server");
    expect(firstCaseNamed(records, "in an unnamed suite")).toMatchObject({
      suite: ["api"],
      file: "tests/api/unnamed.test.js",
    });
    expect(firstCaseNamed(records, "in an unnamed suite").attempts[0]).toEqual({ status: "passed" });
    expect(firstCaseNamed(records, "renders").attempts[0]).toEqual({ status: "passed" });
    expect(suiteFailuresOf(records)).toEqual([
      {
        kind: "suite-failure",
        suite: ["api", "orders"],
        file: "tests/api/orders.test.js",
        failure: {
          type: "TimeoutError",
          message: "beforeAll hook timed out",
          stack: "TimeoutError: beforeAll hook timed out after 5000ms\n    at tests/api/orders.test.js:3:1",
        },
        status: "error",
        durationMs: 3500,
        stdout: "starting orders fixtures",
        stderr: "database container exited with code 137",
      },
      {
        kind: "suite-failure",
        suite: ["ui"],
        failure: { message: "could not launch browser", stack: "browserType.launch: Executable doesn't exist" },
        status: "failed",
      },
    ]);
    expect(reportOf(records)).toEqual({
      kind: "report",
      startedAt: "2024-06-01T22:00:00+02:00",
      durationMs: 750,
      hostname: "nightly-box",
      properties: { branch: "main", notes: "first line\n  indented line" },
    });
  });
});

describe("less common shapes", () => {
  it("nextest-style attempts with time, timestamp and a text body; error status words; groups as tags", async () => {
    const records = await parseText(`<testsuites>
      <testsuite name="crate">
        <testcase name="retried" time="0.3" timestamp="2024-01-01T00:00:02Z" group="slow, db">
          <flakyFailure time="0.1" timestamp="2024-01-01T00:00:01Z" message="attempt 1 failed">thread panicked at src/lib.rs:3</flakyFailure>
          <unknown-element/>
        </testcase>
        <testcase name="errored by status" status="error"/>
        <testcase name="twice bare"><failure/><failure/></testcase>
      </testsuite>
    </testsuites>`);
    expect(firstCaseNamed(records, "retried")).toEqual({
      kind: "case",
      suite: ["crate"],
      name: "retried",
      attempts: [
        {
          status: "failed",
          durationMs: 100,
          startedAt: "2024-01-01T00:00:01Z",
          failure: { message: "attempt 1 failed", stack: "thread panicked at src/lib.rs:3" },
        },
        { status: "passed", durationMs: 300, startedAt: "2024-01-01T00:00:02Z" },
      ],
      tags: ["slow", "db"],
    });
    expect(firstCaseNamed(records, "errored by status").attempts).toEqual([{ status: "error" }]);
    expect(firstCaseNamed(records, "twice bare").attempts).toEqual([{ status: "failed", failure: {} }]);
  });

  it("PHPUnit warnings without a body, properties without values, stray children of <properties>", async () => {
    const records = await parseText(`<testsuite name="s">
      <testcase name="warned" class="C" assertions="1">
        <warning message="first"/>
        <warning type="W">second</warning>
        <properties><property name="empty"/><comment/><property name="blank" value="">  </property></properties>
      </testcase>
    </testsuite>`);
    expect(firstCaseNamed(records, "warned").properties).toEqual({ empty: "", blank: "", warning: "first\nW: second" });
    expect(reportOf(records)).toEqual({ kind: "report", tool: "phpunit" });
  });

  it("suite output split over several elements; nested <testsuites> add no suite level", async () => {
    const records = await parseText(`<testsuites name="root">
      <testsuites name="group">
        <testsuite name="inner">
          <system-out>one</system-out>
          <system-out>two</system-out>
          <failure message="hook failed"/>
        </testsuite>
      </testsuites>
    </testsuites>`);
    expect(suiteFailuresOf(records)).toEqual([
      {
        kind: "suite-failure",
        suite: ["inner"],
        failure: { message: "hook failed" },
        status: "failed",
        stdout: "one\ntwo",
      },
    ]);
  });

  it("a pytest report from before pytest 5.1, with <testsuite name=pytest> as its root", async () => {
    const records = await parseText(
      '<testsuite name="pytest" time="0.5"><testcase classname="t" name="test_a" file="t.py" line="0"/></testsuite>',
    );
    expect(records).toEqual([
      {
        kind: "case",
        suite: ["pytest"],
        className: "t",
        name: "test_a",
        file: "t.py",
        line: 1,
        attempts: [{ status: "passed" }],
      },
      { kind: "report", tool: "pytest", durationMs: 500 },
    ]);
  });

  it("joins package and name only in the shape of Ant's aggregated report", async () => {
    const records = await parseText(`<testsuites>
      <testsuite id="0" package="com.example" name="AntTest"><testcase name="a"/></testsuite>
      <testsuite id="1" package="X.Tests.dll" name="X.Tests.dll"><testcase name="b"/></testsuite>
      <testsuite id="2" package="/src/bin/X.Tests.dll" name="X.Tests"><testcase name="c"/></testsuite>
      <testsuite id="3" package="" name="Chrome 120"><testcase name="d"/></testsuite>
      <testsuite package="org.eslint" name="test.jsx"><testcase name="e"/></testsuite>
    </testsuites>`);
    expect(casesOf(records).map((record) => record.suite[0])).toEqual([
      "com.example.AntTest",
      "X.Tests.dll",
      "X.Tests",
      "Chrome 120",
      "test.jsx",
    ]);
  });

  it("keeps at most the first value of a property set by several suites", async () => {
    const records = await parseText(`<testsuites>
      <testsuite name="a"><properties><property name="os" value="linux"/></properties></testsuite>
      <testsuite name="b"><properties><property name="os" value="windows"/></properties></testsuite>
    </testsuites>`);
    expect(reportOf(records)?.properties).toEqual({ os: "linux" });
    expect(reportOf(records)).not.toHaveProperty("durationMs");
  });
});

describe("reports with fields missing", () => {
  it("a bare testsuite with one named testcase gives just that", async () => {
    expect(await fixture("missing/minimal-testsuite.xml")).toEqual([
      { kind: "case", suite: [], name: "only a name", attempts: [{ status: "passed" }] },
    ]);
  });

  it("testcases outside any testsuite have an empty suite path", async () => {
    const records = await fixture("missing/no-suite.xml");
    expect(records).toEqual([
      { kind: "case", suite: [], name: "directly under the root", attempts: [{ status: "passed" }] },
      {
        kind: "case",
        suite: [],
        className: "root",
        name: "failing directly under the root",
        attempts: [{ status: "failed", failure: {} }],
      },
    ]);
  });

  it("outcome elements without attributes or text give statuses and nothing else", async () => {
    const records = await fixture("missing/bare-outcomes.xml");
    expect(casesOf(records).map((record) => [record.name, record.attempts[0], record.properties])).toEqual([
      ["failure without anything", { status: "failed", failure: {} }, undefined],
      ["error without anything", { status: "error", failure: {} }, undefined],
      ["skipped without anything", { status: "skipped" }, undefined],
      ["failure with blank attributes", { status: "failed", failure: {} }, undefined],
      ["empty output", { status: "passed" }, undefined],
      ["empty properties", { status: "passed" }, undefined],
      ["property without a name", { status: "passed" }, undefined],
    ]);
    expect(reportOf(records)).toBeUndefined();
  });

  it("unreadable times, lines and timestamps are left out, not guessed", async () => {
    const records = await fixture("missing/bad-values.xml");
    for (const record of casesOf(records)) {
      expect(record.attempts, record.name).toEqual([{ status: "passed" }]);
      expect(record.suite).toEqual([]);
      expect(record).not.toHaveProperty("line");
      expect(record).not.toHaveProperty("className");
    }
    expect(casesOf(records)).toHaveLength(10);
    expect(reportOf(records)).toBeUndefined();
  });

  it("a suite-level error of an unnamed suite goes to its file, or is dropped when nothing names it", async () => {
    expect(await fixture("missing/unnamed-suite-error.xml")).toEqual([
      {
        kind: "suite-failure",
        suite: ["tests/crash.php"],
        file: "tests/crash.php",
        failure: { message: "crashed in a file" },
        status: "error",
      },
    ]);
    const named = await parseText('<testsuites name="run"><testsuite><error message="boom"/></testsuite></testsuites>');
    expect(suiteFailuresOf(named).map((record) => record.suite)).toEqual([["run"]]);
  });

  it("empty reports give no record, or only what their root says", async () => {
    expect(await parseFile(path.join(DORNY, "fixtures/empty/phpunit-empty.xml"))).toEqual([]);
    expect(await parseFile(path.join(DORNY, "fixtures/empty/jest-junit.xml"))).toEqual([
      { kind: "report", tool: "jest", durationMs: 11299 },
    ]);
  });
});

describe("invalid input", () => {
  const invalid = (name: string) => path.join(FIXTURES, "invalid", name);

  it.each([
    ["truncated.xml", 7],
    ["mismatched-tags.xml", 4],
    ["text-outside-root.xml", 1],
    ["two-roots.xml", 2],
    ["empty.xml", 1],
  ])("%s is a PARSE_ERROR naming the file and the line", async (name, line) => {
    const error = await kaizenRejection(parseFile(invalid(name)));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.file).toBe(invalid(name));
    expect(error.message).toMatch(/^malformed XML: /);
    expect(error.position?.line).toBe(line);
    expect(error.describe()).toContain(`${invalid(name)}:${line}`);
  });

  it("records before the point of truncation were already emitted", async () => {
    const records: RawRecord[] = [];
    await expect(
      junitXmlParser.parse(await fileSource(invalid("truncated.xml")), { emit: (record) => void records.push(record) }),
    ).rejects.toThrow(KaizenError);
    expect(records.map((record) => record.kind === "case" && record.name)).toEqual(["complete"]);
  });

  it.each([
    ["wrong-root.xml", "<test-run>"],
    ["testcase-root.xml", "<testcase>"],
  ])("%s is refused as not JUnit, naming the root it found", async (name, root) => {
    const error = await kaizenRejection(parseFile(invalid(name)));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.file).toBe(invalid(name));
    expect(error.message).toBe(
      `not a JUnit XML report: the root element is ${root}, expected <testsuites> or <testsuite>`,
    );
  });

  it("a testcase without a name is a PARSE_ERROR naming the file and the suite", async () => {
    const error = await kaizenRejection(parseFile(invalid("testcase-without-name.xml")));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.file).toBe(invalid("testcase-without-name.xml"));
    expect(error.message).toBe('not a valid JUnit XML report: a <testcase> in suite "suite" has no name attribute');
    const outside = await kaizenRejection(parseText("<testsuites><testcase/></testsuites>"));
    expect(outside.message).toBe("not a valid JUnit XML report: a <testcase> has no name attribute");
  });

  it("a DOCTYPE with entities is UNSAFE_INPUT, never expanded", async () => {
    const error = await kaizenRejection(parseFile(invalid("entity-expansion.xml")));
    expect(error.code).toBe("UNSAFE_INPUT");
    expect(error.file).toBe(invalid("entity-expansion.xml"));
  });

  it("invalid UTF-8 is INVALID_ENCODING with the line", async () => {
    const error = await kaizenRejection(parseFile(invalid("invalid-utf8.xml")));
    expect(error.code).toBe("INVALID_ENCODING");
    expect(error.file).toBe(invalid("invalid-utf8.xml"));
    expect(error.position?.line).toBe(3);
  });
});

describe("value parsing", () => {
  it.each([
    ["0.5", 500],
    ["0,5", 500],
    ["1,234.5", 1234500],
    ["1.234,5", 1234500],
    ["1,234", 1234],
    ["1,234,567", 1234567000],
    ["12", 12000],
    [" 3 ", 3000],
    ["1e-3", 1],
    [".25", 250],
    ["0.001441", 1.441],
    ["1 234,5", 1234500],
  ])("time %j is %d ms", (text, ms) => {
    expect(secondsToMs(text)).toBe(ms);
  });

  it.each([undefined, "", "  ", "abc", "-1", "1.2.3", "0x10", "1,23,4", "NaN", "Infinity", "1e999"])(
    "time %j is left out",
    (text) => {
      expect(secondsToMs(text)).toBeUndefined();
    },
  );

  it.each([
    ["2024-01-02T03:04:05", "2024-01-02T03:04:05"],
    ["2024-01-02 03:04:05", "2024-01-02T03:04:05"],
    ["2024-01-02T03:04:05.123Z", "2024-01-02T03:04:05.123Z"],
    ["2021-03-07T10:36:56 UTC", "2021-03-07T10:36:56Z"],
    ["2021-03-07T10:36:56 GMT", "2021-03-07T10:36:56Z"],
    ["2024-06-01 22:00:00 +0200", "2024-06-01T22:00:00+02:00"],
    ["2024-06-01T22:00:00-05", "2024-06-01T22:00:00-05:00"],
    ["2025-11-15T11:51:49.548396-05:00", "2025-11-15T11:51:49.548396-05:00"],
    ["2024-01-02T03:04:05,5", "2024-01-02T03:04:05.5"],
    ["2024-01-02T03:04", "2024-01-02T03:04"],
  ])("timestamp %j is %j", (text, iso) => {
    expect(isoTimestamp(text)).toBe(iso);
  });

  it.each([
    undefined,
    "",
    "yesterday",
    "2024-01-02",
    "2024-13-45T99:99:99",
    "1970-01-01T00:00:00",
    "1970-01-01T00:00:00Z",
    "03:04:05",
  ])("timestamp %j is left out", (text) => {
    expect(isoTimestamp(text)).toBeUndefined();
  });
});

describe("generated reports", () => {
  it("round-trips random suites: names, statuses, failures, escaping, Surefire retries", async () => {
    const suites = Array.from({ length: 3 }, () =>
      junitSuiteFactory.build({
        cases: [
          junitCaseFactory.build({ outcome: "failed" }),
          junitCaseFactory.build({ outcome: "error", reruns: 2 }),
          junitCaseFactory.build({ outcome: "skipped" }),
          junitCaseFactory.build({ outcome: "passed", flaky: 1 }),
          junitCaseFactory.build({ time: undefined, ms: undefined }),
        ],
      }),
    );
    const nested = junitSuiteFactory.build({ cases: [], suites });
    const records = await parseText(renderJunitReport([nested]));
    const cases = casesOf(records);
    expect(cases).toHaveLength(15);
    suites.forEach((suite, s) => {
      suite.cases.forEach((spec, c) => {
        const record = cases[s * suite.cases.length + c];
        expect(record).toMatchObject({ suite: [nested.name, suite.name], className: spec.classname, name: spec.name });
        const expected: TestStatus[] = [
          ...Array<TestStatus>(spec.flaky).fill("failed"),
          spec.outcome,
          ...Array<TestStatus>(spec.reruns).fill("failed"),
        ];
        expect(record?.attempts.map((attempt) => attempt.status)).toEqual(expected);
        const main = record?.attempts[spec.flaky];
        expect(main?.durationMs).toBe(spec.ms);
        expect(main?.stdout).toBe(spec.stdout);
        if (spec.outcome === "failed" || spec.outcome === "error") {
          expect(main?.failure).toEqual({ type: spec.type, message: spec.message, stack: spec.stack });
        }
        if (spec.outcome === "skipped") expect(main?.skipReason).toBe(spec.message);
        if (spec.reruns > 0)
          expect(record?.attempts[1]).toMatchObject({ stdout: "attempt 2", failure: { stack: spec.stack } });
      });
    });
    expect(reportOf(records)).toBeUndefined();
  });

  it("streams: testcases reach the sink while the file is still being read", async () => {
    const { source, produced } = streamedJunitReport(20_000);
    let count = 0;
    let chunksAtFirstRecord = -1;
    await junitXmlParser.parse(source, {
      emit: async (record) => {
        if (count === 0) chunksAtFirstRecord = produced();
        count++;
        // An awaited sink is back-pressure: parsing waits for it.
        if (count % 5000 === 0) await new Promise((resolve) => setImmediate(resolve));
        expect(record.kind).toBe("case");
      },
    });
    expect(count).toBe(20_000);
    expect(chunksAtFirstRecord).toBeGreaterThan(0);
    expect(chunksAtFirstRecord).toBeLessThan(produced());
  });
});
