import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ReportSource } from "../../../../src/ingest/parser.js";
import { dotnetTrxParser } from "../../../../src/ingest/parsers/dotnet-trx.js";
import { bufferSource, fileSource } from "../../../../src/ingest/report-source.js";
import { TRX_OUTCOMES, trxReport, trxTestFactory } from "../../../factories/dotnet-reports.js";
import {
  DORNY_FIXTURES,
  FIXTURES_ROOT,
  attemptCounts,
  bindParser,
  itClaimsEach,
  itLeavesEach,
  casesOf,
  firstCaseNamed,
  reportOf,
} from "../../../support/parser-harness.js";

const { parse, parseFile, failure } = bindParser(dotnetTrxParser, "inline.xml");

/** A source that counts how often it is opened, to see how many passes a parse made. */
function countingSource(text: string): { source: ReportSource; opens: () => number } {
  const inner = bufferSource("generated.trx", text);
  let opens = 0;
  return {
    source: {
      ...inner,
      open: () => {
        opens++;
        return inner.open();
      },
    },
    opens: () => opens,
  };
}

describe("dotnetTrxParser.matches", () => {
  itClaimsEach(dotnetTrxParser, "claims the TRX file %s", [
    path.join(DORNY_FIXTURES, "dotnet-trx.trx"),
    path.join(DORNY_FIXTURES, "dotnet-xunitv3.trx"),
    path.join(DORNY_FIXTURES, "empty/dotnet-trx.trx"),
    path.join(DORNY_FIXTURES, "external/SilentNotes.trx"),
    path.join(FIXTURES_ROOT, "dotnet-trx/well-defined/definitions-first-ordered.trx"),
  ]);

  itLeavesEach(dotnetTrxParser, "leaves %s to other parsers", [
    path.join(DORNY_FIXTURES, "dotnet-nunit.xml"),
    path.join(DORNY_FIXTURES, "external/nunit-sample.xml"),
    path.join(DORNY_FIXTURES, "jest-junit.xml"),
    path.join(DORNY_FIXTURES, "python-xunit-pytest.xml"),
    path.join(DORNY_FIXTURES, "mocha-json.json"),
    path.join(FIXTURES_ROOT, "xunit-xml/well-defined/xunit-v2.xml"),
    path.join(FIXTURES_ROOT, "nunit-xml/well-defined/nunit2-full.xml"),
    path.join(FIXTURES_ROOT, "dotnet-trx/invalid/not-a-test-run.xml"),
  ]);
});

describe("dotnetTrxParser on well-defined reports", () => {
  it("joins results to definitions that come after them (vstest layout)", async () => {
    const records = await parseFile(path.join(FIXTURES_ROOT, "dotnet-trx/well-defined/mstest-results-first.trx"));

    expect(reportOf(records)).toEqual({
      kind: "report",
      startedAt: "2024-03-11T09:15:00.5000000+00:00",
      durationMs: 3500,
      hostname: "ci-agent-07",
      properties: { outcome: "Failed" },
    });
    expect(firstCaseNamed(records, "Adds_two_numbers")).toEqual({
      kind: "case",
      suite: ["Calculator.Tests.CalculatorTests"],
      className: "Calculator.Tests.CalculatorTests",
      name: "Adds_two_numbers",
      attempts: [
        {
          status: "passed",
          durationMs: 12.3456,
          startedAt: "2024-03-11T09:15:01.0000000+00:00",
          stdout: "computing 2 + 2",
        },
      ],
      properties: {
        assembly: "/src/calculator.tests/bin/debug/net8.0/calculator.tests.dll",
        priority: "1",
        owner: "alice",
        Ticket: "CALC-42",
      },
      tags: ["Unit", "Fast"],
    });
    expect(attemptCounts(records)).toEqual({ passed: 3, failed: 3, error: 2, skipped: 2 });
  });

  it("strips the class from a test name that repeats it, and keeps the failure and stderr", async () => {
    const records = await parseFile(path.join(FIXTURES_ROOT, "dotnet-trx/well-defined/mstest-results-first.trx"));
    const test = firstCaseNamed(records, "Divides_by_zero");

    expect(test.suite).toEqual(["Calculator.Tests.CalculatorTests"]);
    expect(test.attempts[0]).toEqual({
      status: "failed",
      durationMs: 4,
      startedAt: "2024-03-11T09:15:01.1000000+00:00",
      failure: {
        message:
          "Test method Calculator.Tests.CalculatorTests.Divides_by_zero threw exception: \r\nSystem.DivideByZeroException: Attempted to divide by zero.",
        stack:
          "   at Calculator.Divide(Int32 a, Int32 b) in /src/Calculator/Calculator.cs:line 12\r\n   at Calculator.Tests.CalculatorTests.Divides_by_zero() in /src/Calculator.Tests/CalculatorTests.cs:line 30",
      },
      stderr: "warning: culture is invariant",
    });
  });

  it("maps every outcome: Timeout fails with a Timeout failure, Aborted/Error error, NotExecuted/Inconclusive skip", async () => {
    const records = await parseFile(path.join(FIXTURES_ROOT, "dotnet-trx/well-defined/mstest-results-first.trx"));

    expect(firstCaseNamed(records, "Waits_for_the_network").attempts[0]).toMatchObject({
      status: "failed",
      failure: { type: "Timeout", message: "Test 'Waits_for_the_network' exceeded execution timeout period." },
    });
    expect(firstCaseNamed(records, "Waits_for_the_network").tags).toEqual(["Integration"]);
    expect(firstCaseNamed(records, "Not_ready_yet").attempts[0]).toEqual({
      status: "skipped",
      startedAt: "2024-03-11T09:15:01.3000000+00:00",
      skipReason: "waiting for the new API",
    });
    expect(firstCaseNamed(records, "Checks_the_clock").attempts[0]).toMatchObject({
      status: "skipped",
      skipReason: "Assert.Inconclusive failed. clock source unavailable",
    });
    expect(firstCaseNamed(records, "Crashes_the_host").attempts[0]).toEqual({
      status: "error",
      durationMs: 500,
      startedAt: "2024-03-11T09:15:01.5000000+00:00",
    });
    expect(firstCaseNamed(records, "Loads_the_config").attempts[0]).toMatchObject({
      status: "error",
      failure: { message: "Unable to create instance of class Calculator.Tests.ConfigTests." },
    });
    expect(firstCaseNamed(records, "Generic_sum").attempts[0]?.status).toBe("passed");
  });

  it("reads assembly-qualified class names (VS 2010) without the assembly, generic brackets kept", async () => {
    const records = await parseFile(path.join(FIXTURES_ROOT, "dotnet-trx/well-defined/mstest-results-first.trx"));

    expect(firstCaseNamed(records, "Loads_the_config").suite).toEqual(["Calculator.Tests.ConfigTests"]);
    expect(firstCaseNamed(records, "Generic_sum").suite).toEqual([
      "Calculator.Tests.SumTests`1[[System.Int32, System.Private.CoreLib, Version=8.0.0.0]]",
    ]);
  });

  it("emits the data rows of a data-driven test, not the aggregate", async () => {
    const records = await parseFile(path.join(FIXTURES_ROOT, "dotnet-trx/well-defined/mstest-results-first.trx"));
    const rows = casesOf(records).filter((record) => record.name.startsWith("Parses_numbers"));

    expect(rows.map((row) => [row.name, row.attempts[0].status])).toEqual([
      ["Parses_numbers (Data Row 0)", "passed"],
      ["Parses_numbers (Data Row 1)", "failed"],
    ]);
    expect(rows[1]?.suite).toEqual(["Calculator.Tests.ParserTests"]);
    expect(rows[1]?.attempts[0].failure?.message).toBe("Assert.AreEqual failed. Expected:<12>. Actual:<21>.");
  });

  it("reads a definitions-first, namespace-prefixed file with ordered and web tests in one pass", async () => {
    const { source, opens } = countingSource(
      await import("node:fs/promises").then((fs) =>
        fs.readFile(path.join(FIXTURES_ROOT, "dotnet-trx/well-defined/definitions-first-ordered.trx"), "utf8"),
      ),
    );
    const records = await parse(source);

    expect(opens()).toBe(1);
    expect(casesOf(records).map((record) => [record.suite, record.name, record.attempts[0].status])).toEqual([
      [["Shop.UITests.CartTests"], "01- AddsToCart (CheckoutFlow)", "passed"],
      [["Shop.UITests.PaymentTests"], "02- PaysByCard (CheckoutFlow)", "failed"],
      [[], "HomePage", "passed"],
      [["Shop.UITests.CartTests"], "Logs_a_warning", "passed"],
    ]);
    expect(firstCaseNamed(records, "HomePage")).toMatchObject({
      tags: ["Smoke"],
      properties: { assembly: "c:\\tests\\shop\\homepage.webtest" },
      attempts: [{ stdout: "GET / 200", durationMs: 1688.7389 }],
    });
    // A TimeSpan with days: 1.00:00:00.0448870.
    expect(firstCaseNamed(records, "02- PaysByCard (CheckoutFlow)").attempts[0].durationMs).toBeCloseTo(
      86_400_044.887,
      3,
    );
    expect(reportOf(records)).toEqual({
      kind: "report",
      startedAt: "2017-12-14T16:27:21.0000000+05:30",
      durationMs: 5500,
      hostname: "LAB-01",
      properties: { outcome: "Failed" },
    });
  });
});

describe("dotnetTrxParser on reports with fields missing", () => {
  it("leaves out what the report does not say and maps a missing outcome to Error (TrxLogger's default)", async () => {
    const records = await parseFile(path.join(FIXTURES_ROOT, "dotnet-trx/missing/minimal.trx"));

    // Results before definitions: the report record comes out of the first pass, the tests out of the second.
    expect(records).toEqual([
      { kind: "report" },
      { kind: "case", suite: [], name: "No_outcome_at_all", attempts: [{ status: "error" }] },
      { kind: "case", suite: [], name: "Passes_quietly", attempts: [{ status: "passed" }] },
      { kind: "case", suite: [], name: "Fails_without_details", attempts: [{ status: "failed" }] },
      { kind: "case", suite: [], name: "Has_a_new_outcome", attempts: [{ status: "error" }] },
      { kind: "case", suite: [], name: "Skipped_without_reason", attempts: [{ status: "skipped" }] },
      {
        kind: "case",
        suite: [],
        name: "Timed_out_silently",
        attempts: [{ status: "failed", failure: { type: "Timeout" } }],
      },
      {
        kind: "case",
        suite: [],
        name: "Has_an_empty_aggregate",
        attempts: [{ status: "passed" }],
        properties: { Flag: "" },
      },
    ]);
  });

  it("reads results that have no definitions at all, and drops a run time that goes backwards", async () => {
    const records = await parseFile(path.join(FIXTURES_ROOT, "dotnet-trx/missing/no-definitions.trx"));

    expect(records).toEqual([
      { kind: "report", startedAt: "2024-01-01T00:00:10Z" },
      { kind: "case", suite: [], name: "Orphan.Result.Name", attempts: [{ status: "passed" }] },
    ]);
  });
});

describe("dotnetTrxParser on invalid input", () => {
  it("reports a truncated file as a PARSE_ERROR with the file and line", async () => {
    const file = path.join(FIXTURES_ROOT, "dotnet-trx/invalid/truncated.trx");
    const error = await failure(await fileSource(file));

    expect(error.code).toBe("PARSE_ERROR");
    expect(error.file).toBe(file);
    expect(error.describe()).toContain(file);
    expect(error.position?.line).toBe(5);
  });

  it("refuses a result without a test name", async () => {
    const file = path.join(FIXTURES_ROOT, "dotnet-trx/invalid/result-without-name.trx");
    const error = await failure(await fileSource(file));

    expect(error.code).toBe("PARSE_ERROR");
    expect(error.file).toBe(file);
    expect(error.message).toMatch(/executionId f0000000-0000-0000-0000-000000000001 has no testName/);
  });

  it.each([
    [`<UnitTestResult testId="t-1" outcome="Passed" />`, "a <UnitTestResult> with testId t-1 has no testName"],
    [`<WebTestResult outcome="Passed" />`, "a <WebTestResult> has no testName"],
  ])("names a nameless result by what it has: %s", async (result, message) => {
    const error = await failure(bufferSource("nameless.trx", `<TestRun><Results>${result}</Results></TestRun>`));

    expect(error.message).toBe(`not a valid TRX report: ${message}`);
  });

  it("refuses a file whose root is not TestRun", async () => {
    const file = path.join(FIXTURES_ROOT, "dotnet-trx/invalid/not-a-test-run.xml");
    const error = await failure(await fileSource(file));

    expect(error.code).toBe("PARSE_ERROR");
    expect(error.file).toBe(file);
    expect(error.message).toBe("not a TRX report: the root element is <TestResults>, expected <TestRun>");
  });

  it("refuses JUnit XML handed to it by mistake", async () => {
    const file = path.join(DORNY_FIXTURES, "jest-junit.xml");
    const error = await failure(await fileSource(file));

    expect(error.code).toBe("PARSE_ERROR");
    expect(error.message).toMatch(/not a TRX report: the root element is <testsuites>/);
  });

  it("refuses entity declarations as UNSAFE_INPUT", async () => {
    const file = path.join(FIXTURES_ROOT, "dotnet-trx/invalid/entity-expansion.trx");
    const error = await failure(await fileSource(file));

    expect(error.code).toBe("UNSAFE_INPUT");
    expect(error.file).toBe(file);
  });

  it("refuses text that is not XML", async () => {
    const error = await failure(bufferSource("notes.trx", "this is not a report"));

    expect(error.code).toBe("PARSE_ERROR");
    expect(error.file).toBe("notes.trx");
  });
});

describe("dotnetTrxParser on the real-world corpus", () => {
  // Reference counts: dorny-test-reporter/__tests__/__outputs__/*.md (that tool counts errors as failures).
  it.each([
    ["dotnet-trx.trx", { passed: 5, failed: 5, error: 0, skipped: 1 }],
    ["dotnet-xunitv3.trx", { passed: 1, failed: 3, error: 0, skipped: 0 }],
    ["empty/dotnet-trx.trx", { passed: 0, failed: 0, error: 0, skipped: 0 }],
    ["empty/dotnet-trx-empty-test-definitions.trx", { passed: 0, failed: 0, error: 0, skipped: 0 }],
    ["external/FluentValidation.Tests.trx", { passed: 803, failed: 0, error: 0, skipped: 1 }],
    ["external/SilentNotes.trx", { passed: 67, failed: 0, error: 0, skipped: 12 }],
  ])("%s gives the reference counts", async (file, expected) => {
    expect(attemptCounts(await parseFile(path.join(DORNY_FIXTURES, file)))).toEqual(expected);
  });

  it("names dorny's xUnit TRX tests as that tool renders them, under their class", async () => {
    const records = await parseFile(path.join(DORNY_FIXTURES, "dotnet-trx.trx"));

    expect(new Set(casesOf(records).map((record) => record.suite[0]))).toEqual(
      new Set(["DotnetTests.XUnitTests.CalculatorTests"]),
    );
    expect(
      casesOf(records)
        .map((record) => record.name)
        .sort(),
    ).toEqual([
      "Custom Name",
      "Exception_In_TargetTest",
      "Exception_In_Test",
      "Failing_Test",
      "Is_Even_Number(i: 2)",
      "Is_Even_Number(i: 3)",
      "Passing_Test",
      "Should be even number(i: 2)",
      "Should be even number(i: 3)",
      "Skipped_Test",
      "Timeout_Test",
    ]);
    expect(firstCaseNamed(records, "Exception_In_Test").attempts[0].failure).toEqual({
      message: "System.Exception : Test",
      stack:
        "   at DotnetTests.XUnitTests.CalculatorTests.Exception_In_Test() in C:\\Users\\Michal\\Workspace\\dorny\\test-reporter\\reports\\dotnet\\DotnetTests.XUnitTests\\CalculatorTests.cs:line 39",
    });
    expect(firstCaseNamed(records, "Skipped_Test").attempts[0]).toMatchObject({
      status: "skipped",
      stdout: "Skipped test",
    });
    expect(reportOf(records)).toMatchObject({ hostname: "DORNY-PC", durationMs: 1116 });
  });

  it("keeps xUnit v3 class-cleanup failures, which have no class in their definition, as unclassified tests", async () => {
    const records = await parseFile(path.join(DORNY_FIXTURES, "dotnet-xunitv3.trx"));

    expect(casesOf(records).map((record) => [record.suite, record.name, record.attempts[0].status])).toEqual([
      [["DotnetTests.XUnitV3Tests.FixtureTests"], "Failing_Test", "failed"],
      [["DotnetTests.XUnitV3Tests.FixtureTests"], "Passing_Test", "passed"],
      [[], "[Test Class Cleanup Failure (DotnetTests.XUnitV3Tests.FixtureTests.Passing_Test)]", "failed"],
      [[], "[Test Class Cleanup Failure (DotnetTests.XUnitV3Tests.FixtureTests.Failing_Test)]", "failed"],
    ]);
  });

  it("reads MSTest/NUnit-adapter skip reasons (SilentNotes) and theory rows (FluentValidation)", async () => {
    const silent = await parseFile(path.join(DORNY_FIXTURES, "external/SilentNotes.trx"));
    const skipped = casesOf(silent).find((record) => record.name === "ReallyDoOpenAuthorizationPageInBrowser");
    expect(skipped?.attempts[0]).toMatchObject({
      status: "skipped",
      skipReason: "Opens the authorization page in the system browse, to get a real access-token",
    });
    // dorny renders 13 test suites (classes) for this file.
    expect(new Set(casesOf(silent).map((record) => record.suite[0])).size).toBe(13);

    const fluent = await parseFile(path.join(DORNY_FIXTURES, "external/FluentValidation.Tests.trx"));
    expect(casesOf(fluent)).toHaveLength(804);
    expect(casesOf(fluent).every((record) => record.suite[0]?.startsWith("FluentValidation.Tests."))).toBe(true);
    expect(casesOf(fluent).some((record) => record.name.startsWith("FluentValidation.Tests."))).toBe(false);
    expect(
      casesOf(fluent).filter((record) => record.name.startsWith('Valid_email_addresses_regex(email: "')).length,
    ).toBeGreaterThan(1);
  });
});

describe("dotnetTrxParser on generated reports", () => {
  const tests = trxTestFactory.buildList(600);

  it("gives the same records whether definitions come before or after the results", async () => {
    const after = countingSource(trxReport(tests));
    const before = countingSource(trxReport(tests, { definitionsFirst: true }));
    const afterRecords = casesOf(await parse(after.source));
    const beforeRecords = casesOf(await parse(before.source));

    expect(after.opens()).toBe(2);
    expect(before.opens()).toBe(1);
    expect(afterRecords).toEqual(beforeRecords);
    expect(afterRecords).toHaveLength(tests.length);
  });

  it("maps each generated test to its class, method name, outcome and duration", async () => {
    const records = casesOf(await parse(bufferSource("generated.trx", trxReport(tests))));

    records.forEach((record, index) => {
      const test = tests[index];
      if (test === undefined) throw new Error("more records than tests");
      expect(record.suite).toEqual([test.className]);
      expect(record.name).toBe(test.methodName);
      expect(record.attempts[0].status).toBe(TRX_OUTCOMES[test.outcome]);
      expect(record.attempts[0].durationMs).toBeCloseTo(test.durationMs, 4);
      expect(record.tags).toEqual(test.categories.length === 0 ? undefined : test.categories);
      if (test.message !== undefined) expect(record.attempts[0].failure?.message).toBe(test.message);
    });
  });

  it("waits for a slow sink before reading on", async () => {
    const emitted: string[] = [];
    await dotnetTrxParser.parse(bufferSource("generated.trx", trxReport(tests.slice(0, 20))), {
      emit: async (record) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (record.kind === "case") emitted.push(record.name);
      },
    });

    expect(emitted).toEqual(tests.slice(0, 20).map((test) => test.methodName));
  });
});
