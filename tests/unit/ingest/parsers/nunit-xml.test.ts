import path from "node:path";
import { describe, expect, it } from "vitest";
import type { TestStatus } from "../../../../src/domain/test-status.js";
import { nunitXmlParser } from "../../../../src/ingest/parsers/nunit-xml.js";
import type { RawRecord, RawTestCase } from "../../../../src/ingest/raw-records.js";
import { bufferSource, fileSource } from "../../../../src/ingest/report-source.js";
import { nunit3Report, nunitCaseFactory } from "../../../factories/dotnet-reports.js";
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
  suiteFailuresOf,
} from "../../../support/parser-harness.js";

const { parseFile, parseText, failure } = bindParser(nunitXmlParser, "inline.xml");

function summary(records: readonly RawRecord[]): [string | undefined, string, TestStatus][] {
  return casesOf(records).map((record) => [record.suite[0], record.name, record.attempts[0].status]);
}

describe("nunitXmlParser.matches", () => {
  itClaimsEach(nunitXmlParser, "claims the NUnit file %s", [
    path.join(DORNY_FIXTURES, "dotnet-nunit.xml"),
    path.join(DORNY_FIXTURES, "external/nunit-sample.xml"),
    path.join(FIXTURES_ROOT, "nunit-xml/well-defined/nunit2-full.xml"),
    path.join(FIXTURES_ROOT, "nunit-xml/well-defined/pester-nunit2.xml"),
  ]);

  itLeavesEach(nunitXmlParser, "leaves %s to other parsers", [
    path.join(DORNY_FIXTURES, "dotnet-trx.trx"),
    path.join(DORNY_FIXTURES, "jest-junit.xml"),
    path.join(DORNY_FIXTURES, "python-xunit-unittest.xml"),
    path.join(DORNY_FIXTURES, "swift-xunit.xml"),
    path.join(DORNY_FIXTURES, "golang-json.json"),
    path.join(FIXTURES_ROOT, "xunit-xml/well-defined/xunit-v2.xml"),
    path.join(FIXTURES_ROOT, "nunit-xml/invalid/not-nunit.xml"),
  ]);
});

describe("nunitXmlParser on NUnit 3 reports", () => {
  const file = path.join(FIXTURES_ROOT, "nunit-xml/well-defined/nunit3-full.xml");

  it("reads a passing test-case whole: fixture, class, duration, start, output, categories, properties", async () => {
    const records = await parseFile(file);

    expect(firstCaseNamed(records, "Adds_an_item")).toEqual({
      kind: "case",
      suite: ["Shop.CartTests"],
      className: "Shop.CartTests",
      name: "Adds_an_item",
      attempts: [
        {
          status: "passed",
          durationMs: 50,
          startedAt: "2024-05-02T10:00:00.2000000Z",
          stdout: "cart has 1 item\n",
        },
      ],
      properties: {
        assembly: "/build/Shop.Tests/bin/Release/net8.0/Shop.Tests.dll",
        Description: "adds one item to an empty cart",
        Author: "alice",
      },
      tags: ["Fast", "Smoke"],
    });
    expect(reportOf(records)).toEqual({
      kind: "report",
      tool: "NUnit",
      toolVersion: "3.16.3.0",
      startedAt: "2024-05-02T10:00:00Z",
      durationMs: 3125,
      hostname: "build-runner-3",
      properties: { "os-version": "Unix 6.5.0.1017", "clr-version": "8.0.2", "framework-version": "3.14.0.0" },
    });
  });

  it("maps results and labels: Error/Cancelled/SetUp/Parent error, Timeout fails, Warning passes, Inconclusive/Explicit skip", async () => {
    const records = await parseFile(file);

    expect(firstCaseNamed(records, "Removes_an_item").attempts[0]).toEqual({
      status: "failed",
      durationMs: 10,
      startedAt: "2024-05-02T10:00:00.2600000Z",
      failure: {
        message: "  Expected: 0\n  But was:  1\n",
        stack: "   at Shop.CartTests.Removes_an_item() in /build/Shop.Tests/CartTests.cs:line 31\n",
      },
    });
    expect(firstCaseNamed(records, "Computes_tax").attempts[0].status).toBe("error");
    expect(firstCaseNamed(records, "Is_cancelled").attempts[0].status).toBe("error");
    expect(firstCaseNamed(records, "Talks_to_the_payment_gateway").attempts[0]).toEqual({
      status: "failed",
      durationMs: 512,
      failure: { type: "Timeout", message: "Test exceeded Timeout value 500ms." },
    });
    expect(firstCaseNamed(records, "Warns_about_stock").attempts[0]).toEqual({ status: "passed", durationMs: 3 });
    expect(firstCaseNamed(records, "Checks_the_currency").attempts[0]).toEqual({
      status: "skipped",
      durationMs: 1,
      skipReason: "no exchange rates",
    });
    expect(firstCaseNamed(records, "Searches_slowly").attempts[0]).toEqual({ status: "skipped", durationMs: 0 });
    expect(firstCaseNamed(records, "Counts_stock").attempts[0].status).toBe("error");
    expect(firstCaseNamed(records, "Reserves_stock").attempts[0].status).toBe("error");
    expect(firstCaseNamed(records, "Has_a_setup_failure").attempts[0].status).toBe("error");
    expect(attemptCounts(records)).toEqual({ passed: 6, failed: 2, error: 5, skipped: 3 });
  });

  it("puts parameterized and generic cases under their fixture", async () => {
    const records = await parseFile(file);

    expect(summary(records).filter(([, name]) => name.startsWith("Applies_discount") || name === "Saves")).toEqual([
      ["Shop.CartTests", "Applies_discount(10,90)", "passed"],
      ["Shop.CartTests", "Applies_discount(50,50)", "passed"],
      ["Shop.RepositoryTests<Product>", "Saves", "passed"],
    ]);
  });

  it("reports a suite's own failures: teardown always, setup only when no test-case carries it, never the roll-ups", async () => {
    const records = await parseFile(file);

    expect(suiteFailuresOf(records)).toEqual([
      {
        kind: "suite-failure",
        suite: ["Shop.CatalogTests"],
        failure: {
          message: "TearDown : System.IO.IOException : The database file is locked",
          stack: "--TearDown\n   at Shop.CatalogTests.DropDatabase() in /build/Shop.Tests/CatalogTests.cs:line 20",
        },
        status: "failed",
        durationMs: 500,
        stdout: "dropping test database\n",
      },
      {
        kind: "suite-failure",
        suite: ["Shop.Billing"],
        failure: { message: "  Expected: not null\n  But was:  null\n" },
        status: "failed",
        durationMs: 300,
      },
      {
        kind: "suite-failure",
        suite: ["Shop.BrokenFixture"],
        failure: { message: "No suitable constructor was found" },
        status: "error",
        durationMs: 0,
      },
    ]);
  });
});

describe("nunitXmlParser on NUnit 2 reports", () => {
  const file = path.join(FIXTURES_ROOT, "nunit-xml/well-defined/nunit2-full.xml");

  it("builds the fixture's name from the namespace suites and strips it from the full test name", async () => {
    const records = await parseFile(file);

    expect(firstCaseNamed(records, "Adds_an_item")).toEqual({
      kind: "case",
      suite: ["Shop.Tests.CartTests"],
      name: "Adds_an_item",
      attempts: [{ status: "passed", durationMs: 12 }],
      properties: {
        assembly: "C:\\build\\Shop.Tests\\bin\\Debug\\Shop.Tests.dll",
        Author: "alice",
        Ticket: "SHOP-1, SHOP-2",
        Description: "adds one item",
      },
      tags: ["Fast", "Smoke"],
    });
    expect(firstCaseNamed(records, "Rounds").suite).toEqual(['Shop.Tests.PriceTests("EUR")']);
    expect(firstCaseNamed(records, "Applies_discount(10,90)").suite).toEqual(["Shop.Tests.CartTests"]);
  });

  it("maps NUnit 2 results: Failure fails, Error/NotRunnable/Cancelled error, Ignored/Skipped/Inconclusive skip", async () => {
    const records = await parseFile(file);

    expect(firstCaseNamed(records, "Removes_an_item").attempts[0].status).toBe("failed");
    expect(firstCaseNamed(records, "Computes_tax").attempts[0]).toMatchObject({
      status: "error",
      failure: { message: "System.NullReferenceException : Object reference not set to an instance of an object." },
    });
    expect(firstCaseNamed(records, "Bad_signature").attempts[0]).toEqual({
      status: "error",
      failure: { message: "Method has non-void return value" },
    });
    expect(firstCaseNamed(records, "Stopped").attempts[0]).toEqual({ status: "error", durationMs: 100 });
    expect(firstCaseNamed(records, "Old_behaviour").attempts[0]).toEqual({
      status: "skipped",
      skipReason: "replaced by the new checkout",
    });
    expect(firstCaseNamed(records, "Skipped_by_filter").attempts[0]).toEqual({ status: "skipped" });
    // A negative time, from a clock that went backwards, is no duration.
    expect(firstCaseNamed(records, "Applies_discount(50,50)").attempts[0]).toEqual({ status: "passed" });
    expect(attemptCounts(records)).toEqual({ passed: 5, failed: 1, error: 4, skipped: 3 });
  });

  it("reports a fixture teardown failure (named in the message) but not a setup failure its tests carry", async () => {
    const records = await parseFile(file);

    expect(suiteFailuresOf(records)).toEqual([
      {
        kind: "suite-failure",
        suite: ["Shop.Tests.ShippingTests"],
        failure: { message: "TestFixtureTearDown : System.IO.IOException : the spool is locked" },
        status: "failed",
        durationMs: 150,
      },
    ]);
    expect(reportOf(records)).toEqual({
      kind: "report",
      tool: "NUnit",
      toolVersion: "2.6.4.14350",
      startedAt: "2015-04-15T12:25:14",
      durationMs: 1250,
      hostname: "BUILD-07",
      properties: { "os-version": "Microsoft Windows NT 6.2.9200.0", "clr-version": "2.0.50727.8009" },
    });
  });

  it("reads Pester's NUnit 2 output: nested fixtures, Describe.It names, comma decimals", async () => {
    const records = await parseFile(path.join(FIXTURES_ROOT, "nunit-xml/well-defined/pester-nunit2.xml"));

    expect(summary(records)).toEqual([
      ["Get-Thing", "returns a thing", "passed"],
      ["Get-Thing", "fails on bad input", "failed"],
      ["Get-Thing", "is pending", "skipped"],
    ]);
    expect(reportOf(records)).toMatchObject({ startedAt: "2023-09-14T08:05:09", durationMs: 432.1 });
  });

  it("names a suite failure as its test-cases named their fixture", async () => {
    const records = await parseText(`<test-results date="2023-09-14" time="08:05:09">
      <test-suite type="TestFixture" name="Pester" result="Failure">
        <results>
          <test-suite type="TestFixture" name="Get-Thing" result="Failure">
            <failure><message>TearDown : AfterAll failed</message></failure>
            <results><test-case name="Get-Thing.works" result="Success" /></results>
          </test-suite>
        </results>
      </test-suite>
    </test-results>`);

    expect(suiteFailuresOf(records).map((record) => [record.suite, record.status])).toEqual([
      [["Get-Thing"], "failed"],
    ]);
  });

  it("names a failing parameterized-fixture wrapper after its path and own name", async () => {
    const records = await parseText(`<test-results>
      <test-suite type="Namespace" name="Shop">
        <results>
          <test-suite type="ParameterizedFixture" name="PriceTests" result="Error">
            <failure><message>could not build the fixtures</message></failure>
          </test-suite>
        </results>
      </test-suite>
    </test-results>`);

    expect(suiteFailuresOf(records)).toEqual([
      {
        kind: "suite-failure",
        suite: ["Shop.PriceTests"],
        failure: { message: "could not build the fixtures" },
        status: "error",
      },
    ]);
  });
});

describe("nunitXmlParser on reports with fields missing", () => {
  it("reads NUnit 3 test-cases with almost nothing, and unknown or absent results as errors", async () => {
    const records = await parseFile(path.join(FIXTURES_ROOT, "nunit-xml/missing/nunit3-minimal.xml"));

    expect(records).toEqual([
      {
        kind: "case",
        suite: [],
        name: "Named_only",
        attempts: [{ status: "passed" }],
        properties: { assembly: "Minimal.dll" },
      },
      {
        kind: "case",
        suite: [],
        name: "Without_a_result",
        attempts: [{ status: "error" }],
        properties: { assembly: "Minimal.dll" },
      },
      {
        kind: "case",
        suite: [],
        name: "With_an_odd_result",
        attempts: [{ status: "error" }],
        properties: { assembly: "Minimal.dll" },
      },
      {
        kind: "case",
        suite: ["Minimal"],
        className: "Minimal",
        name: "NoShortName",
        attempts: [{ status: "failed" }],
        properties: { assembly: "Minimal.dll" },
      },
      {
        kind: "case",
        suite: [],
        name: "Skipped_without_reason",
        attempts: [{ status: "skipped" }],
        properties: { assembly: "Minimal.dll" },
      },
      {
        kind: "case",
        suite: ["Anonymous"],
        name: "In_an_anonymous_fixture",
        attempts: [{ status: "passed" }],
        properties: { assembly: "Minimal.dll" },
      },
      { kind: "report", tool: "NUnit" },
    ]);
  });

  it("falls back to NUnit 2's executed/success flags when there is no result", async () => {
    const records = await parseFile(path.join(FIXTURES_ROOT, "nunit-xml/missing/nunit2-minimal.xml"));

    expect(casesOf(records).map((record) => [record.name, record.attempts[0]])).toEqual([
      ["Runs_and_succeeds", { status: "passed" }],
      ["Runs_and_fails", { status: "failed" }],
      ["Never_runs", { status: "skipped" }],
      ["Has_only_a_failure", { status: "failed", failure: { stack: "at Somewhere()" } }],
      ["Says_nothing", { status: "error" }],
      ["Has_an_empty_reason", { status: "skipped", skipReason: "plain reason text" }],
    ]);
    expect(casesOf(records).every((record) => record.suite.length === 0 && record.properties === undefined)).toBe(true);
    expect(reportOf(records)).toEqual({ kind: "report", tool: "NUnit" });
  });

  it("reads the early NUnit 3 run-date/start-time/time attributes", async () => {
    const records = await parseText(
      `<test-run run-date="2011-07-26" start-time="11:34:27" time="0.154"><test-suite type="TestFixture" name="F" fullname="Ns.F"><test-case name="T" result="Passed" time="0.010" /></test-suite></test-run>`,
    );

    expect(reportOf(records)).toEqual({
      kind: "report",
      tool: "NUnit",
      startedAt: "2011-07-26T11:34:27",
      durationMs: 154,
    });
    expect(firstCaseNamed(records, "T")).toEqual({
      kind: "case",
      suite: ["Ns.F"],
      name: "T",
      attempts: [{ status: "passed", durationMs: 10 }],
    });
  });

  it("reports an assembly's setup failure by its name, and an empty teardown failure as an empty failure", async () => {
    const records = await parseText(`<test-run>
      <test-suite type="Assembly" name="A.dll" result="Failed" site="SetUp">
        <failure><message>assembly setup failed</message></failure>
        <test-suite type="TestFixture" name="F" fullname="Ns.F" result="Failed" site="TearDown">
          <failure />
          <test-case name="T" result="Passed"><properties><property name="Flag" /></properties></test-case>
        </test-suite>
      </test-suite>
    </test-run>`);

    expect(suiteFailuresOf(records)).toEqual([
      { kind: "suite-failure", suite: ["Ns.F"], failure: {}, status: "failed" },
      { kind: "suite-failure", suite: ["A.dll"], failure: { message: "assembly setup failed" }, status: "failed" },
    ]);
    expect(firstCaseNamed(records, "T").properties).toEqual({ assembly: "A.dll", Flag: "" });
  });

  it("reads an NUnit 2 suite failure that has a stack but no message", async () => {
    const records = await parseText(
      `<test-results><test-suite type="TestFixture" name="G" result="Failure"><failure><stack-trace>at G()</stack-trace></failure></test-suite></test-results>`,
    );

    expect(suiteFailuresOf(records)).toEqual([
      { kind: "suite-failure", suite: ["G"], failure: { stack: "at G()" }, status: "failed" },
    ]);
  });

  it("reads a test-case that sits outside any suite", async () => {
    const records = await parseText(`<test-run><test-case name="Top" result="Passed" /></test-run>`);

    expect(summary(records)).toEqual([[undefined, "Top", "passed"]]);
  });
});

describe("nunitXmlParser on invalid input", () => {
  it("reports a truncated file as a PARSE_ERROR with the file and line", async () => {
    const file = path.join(FIXTURES_ROOT, "nunit-xml/invalid/truncated.xml");
    const error = await failure(await fileSource(file));

    expect(error.code).toBe("PARSE_ERROR");
    expect(error.file).toBe(file);
    expect(error.describe()).toContain(file);
    expect(error.position?.line).toBe(5);
  });

  it("refuses a test-case without a name", async () => {
    const file = path.join(FIXTURES_ROOT, "nunit-xml/invalid/test-case-without-name.xml");
    const error = await failure(await fileSource(file));

    expect(error.code).toBe("PARSE_ERROR");
    expect(error.file).toBe(file);
    expect(error.message).toBe("not a valid NUnit report: a <test-case> (id 1-1001) has no name");
    expect((await failure(bufferSource("x.xml", `<test-run><test-case result="Passed"/></test-run>`))).message).toBe(
      "not a valid NUnit report: a <test-case> has no name",
    );
  });

  it("refuses JUnit XML handed to it by mistake", async () => {
    const file = path.join(FIXTURES_ROOT, "nunit-xml/invalid/not-nunit.xml");
    const error = await failure(await fileSource(file));

    expect(error.code).toBe("PARSE_ERROR");
    expect(error.file).toBe(file);
    expect(error.message).toMatch(/^not an NUnit report: the root element is <testsuites>/);
  });

  it("refuses a test-case as the root element", async () => {
    const error = await failure(bufferSource("x.xml", `<test-case name="alone" result="Passed" />`));

    expect(error.message).toMatch(/^not an NUnit report: the root element is <test-case>/);
  });
});

describe("nunitXmlParser on the real-world corpus", () => {
  it("dotnet-nunit.xml gives dorny's counts (3 passed, 5 failed, 1 skipped; it counts errors as failures)", async () => {
    const records = await parseFile(path.join(DORNY_FIXTURES, "dotnet-nunit.xml"));

    expect(attemptCounts(records)).toEqual({ passed: 3, failed: 3, error: 2, skipped: 1 });
    expect(new Set(casesOf(records).map((record) => record.suite[0]))).toEqual(
      new Set(["DotnetTests.XUnitTests.CalculatorTests"]),
    );
    expect(firstCaseNamed(records, "Timeout_Test").attempts[0].failure).toEqual({
      type: "Timeout",
      message: "Test exceeded Timeout value 1ms.",
    });
    expect(firstCaseNamed(records, "Skipped_Test").attempts[0].skipReason).toBe("Skipped");
    expect(firstCaseNamed(records, "Passing_Test_With_Description").properties?.Description).toBe("Some description");
    expect(suiteFailuresOf(records)).toEqual([]);
  });

  it("nunit-sample.xml gives the counts its test-run states (12 passed, 2 failed, 1 inconclusive, 3 skipped)", async () => {
    const records = await parseFile(path.join(DORNY_FIXTURES, "external/nunit-sample.xml"));

    expect(attemptCounts(records)).toEqual({ passed: 12, failed: 1, error: 1, skipped: 4 });
    expect(firstCaseNamed(records, "MockTest3").tags).toEqual(["AnotherCategory", "MockCategory"]);
    expect(firstCaseNamed(records, "MockTest4").attempts[0].skipReason).toBe("ignoring this test method for now");
    expect(summary(records).filter(([suite]) => suite?.startsWith("NUnit.Tests.ParameterizedFixture"))).toEqual([
      ["NUnit.Tests.ParameterizedFixture(42)", "Test1", "passed"],
      ["NUnit.Tests.ParameterizedFixture(42)", "Test2", "passed"],
      ["NUnit.Tests.ParameterizedFixture(5)", "Test1", "passed"],
      ["NUnit.Tests.ParameterizedFixture(5)", "Test2", "passed"],
    ]);
    expect(reportOf(records)).toMatchObject({ startedAt: "2011-07-26T11:34:27", durationMs: 154 });
  });
});

describe("nunitXmlParser on generated reports", () => {
  it("maps every generated test-case to its fixture, name, status and duration", async () => {
    const specs = nunitCaseFactory.buildList(400);
    const records = casesOf(await parseText(nunit3Report(specs)));
    const bySuite = new Map<string, RawTestCase[]>();
    for (const record of records)
      bySuite.set(record.suite[0] ?? "", [...(bySuite.get(record.suite[0] ?? "") ?? []), record]);

    expect(records).toHaveLength(specs.length);
    for (const spec of specs) {
      const record = bySuite.get(spec.classname)?.find((candidate) => candidate.name === spec.name);
      expect(record?.className).toBe(spec.classname);
      expect(record?.attempts[0].status).toBe(spec.outcome.status);
      expect(record?.attempts[0].durationMs).toBeCloseTo(Number(spec.duration) * 1000, 3);
      expect(record?.tags).toEqual(spec.categories.length === 0 ? undefined : spec.categories);
      if (spec.message !== undefined) expect(record?.attempts[0].failure?.message).toBe(spec.message);
    }
  });
});
