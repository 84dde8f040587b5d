import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ReportSniff } from "../../../../src/ingest/parser.js";
import { xunitXmlParser } from "../../../../src/ingest/parsers/xunit-xml.js";
import { bufferSource, fileSource } from "../../../../src/ingest/report-source.js";
import { XUNIT_RESULTS, xunitReport, xunitTestFactory } from "../../../factories/dotnet-reports.js";
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
  sniffText,
  suiteFailuresOf,
} from "../../../support/parser-harness.js";

const { parseFile, parseText, failure } = bindParser(xunitXmlParser, "inline.xml");
const sniffInline = (text: string): ReportSniff => sniffText("inline.xml", text);

describe("xunitXmlParser.matches", () => {
  itClaimsEach(xunitXmlParser, "claims the xUnit.net file %s", [
    path.join(FIXTURES_ROOT, "xunit-xml/well-defined/xunit-v2.xml"),
    path.join(FIXTURES_ROOT, "xunit-xml/well-defined/xunit-v3.xml"),
    path.join(FIXTURES_ROOT, "xunit-xml/well-defined/xunit-v1.xml"),
    path.join(FIXTURES_ROOT, "xunit-xml/missing/minimal.xml"),
  ]);

  itLeavesEach(xunitXmlParser, "leaves %s to other parsers", [
    path.join(DORNY_FIXTURES, "dotnet-trx.trx"),
    path.join(DORNY_FIXTURES, "dotnet-nunit.xml"),
    path.join(DORNY_FIXTURES, "jest-junit.xml"),
    path.join(DORNY_FIXTURES, "python-xunit-pytest.xml"),
    path.join(DORNY_FIXTURES, "swift-xunit.xml"),
    path.join(DORNY_FIXTURES, "rspec-json.json"),
    path.join(FIXTURES_ROOT, "xunit-xml/invalid/not-xunit.xml"),
  ]);

  it("claims a bare assembly root only with xUnit's attributes or children", () => {
    expect(xunitXmlParser.matches(sniffInline(`<assembly name="a.dll"><collection name="c" /></assembly>`))).toBe(true);
    expect(xunitXmlParser.matches(sniffInline(`<assembly name="a.dll" run-date="2020-01-01" total="0" />`))).toBe(true);
    expect(
      xunitXmlParser.matches(sniffInline(`<assembly><id>bin</id><formats><format>zip</format></formats></assembly>`)),
    ).toBe(false);
    expect(
      xunitXmlParser.matches(
        sniffInline(`<assembly xmlns="http://maven.apache.org/ASSEMBLY/2.1.0"><id>bin</id><collection /></assembly>`),
      ),
    ).toBe(false);
  });
});

describe("xunitXmlParser on xUnit.net v2 reports", () => {
  const file = path.join(FIXTURES_ROOT, "xunit-xml/well-defined/xunit-v2.xml");

  it("reads a test whole: class, name as given, source, time, output, traits as properties and category tags", async () => {
    const records = await parseFile(file);

    expect(firstCaseNamed(records, "Shop.Tests.CartTests.Adds_an_item")).toEqual({
      kind: "case",
      suite: ["Shop.Tests.CartTests"],
      className: "Shop.Tests.CartTests",
      name: "Shop.Tests.CartTests.Adds_an_item",
      file: "/build/Shop.Tests/CartTests.cs",
      line: 18,
      attempts: [{ status: "passed", durationMs: 12.3, stdout: "cart has 1 item\n" }],
      properties: {
        assembly: "/build/Shop.Tests/bin/Release/net6.0/Shop.Tests.dll",
        Category: "Unit, Fast",
        Owner: "alice",
      },
      tags: ["Unit", "Fast"],
    });
    expect(firstCaseNamed(records, "Shop.Tests.CartTests.Not_ready").tags).toEqual(["Slow"]);
  });

  it("keeps failures with their exception type, message as written, stack; skips with their reason", async () => {
    const records = await parseFile(file);

    expect(firstCaseNamed(records, "Shop.Tests.CartTests.Removes_an_item").attempts[0]).toEqual({
      status: "failed",
      durationMs: 4,
      failure: {
        type: "Xunit.Sdk.EqualException",
        message: "Assert.Equal() Failure\\nExpected: 0\\nActual:   1",
        stack: "   at Shop.Tests.CartTests.Removes_an_item() in /build/Shop.Tests/CartTests.cs:line 31",
      },
    });
    expect(firstCaseNamed(records, "Shop.Tests.CartTests.Talks_to_the_gateway").attempts[0]).toEqual({
      status: "failed",
      durationMs: 2000,
      failure: { type: "Xunit.Sdk.TestTimeoutException", message: "Test execution timed out after 2000 milliseconds" },
    });
    expect(firstCaseNamed(records, "Shop.Tests.CartTests.Not_ready").attempts[0]).toEqual({
      status: "skipped",
      durationMs: 0,
      skipReason: "waiting for the new API",
    });
    expect(firstCaseNamed(records, "Shop.Tests.CartTests.Applies_discount(percent: 10, expected: 90)").suite).toEqual([
      "Shop.Tests.CartTests",
    ]);
    expect(attemptCounts(records)).toEqual({ passed: 4, failed: 3, error: 0, skipped: 1 });
  });

  it("reports cleanup failures as suite failures of the class, collection or assembly, fatal errors as errors", async () => {
    const records = await parseFile(file);

    expect(suiteFailuresOf(records).map((record) => [record.suite, record.status, record.failure.type])).toEqual([
      [["Shop.Tests.InventoryTests"], "failed", "System.InvalidOperationException"],
      [["Database collection"], "failed", "Npgsql.NpgsqlException"],
      [["/build/Shop.Tests/bin/Release/net6.0/Shop.Tests.dll"], "error", "System.OutOfMemoryException"],
      [["/build/Shop.Api.Tests/bin/Release/net6.0/Shop.Api.Tests.dll"], "failed", "System.TimeoutException"],
    ]);
    expect(suiteFailuresOf(records)[0]).toEqual({
      kind: "suite-failure",
      suite: ["Shop.Tests.InventoryTests"],
      failure: {
        type: "System.InvalidOperationException",
        message: "System.InvalidOperationException : the warehouse fixture could not be disposed",
        stack: "   at Shop.Tests.WarehouseFixture.Dispose() in /build/Shop.Tests/WarehouseFixture.cs:line 22",
      },
      status: "failed",
    });
  });

  it("gives each test its own assembly and describes the run from the first assembly", async () => {
    const records = await parseFile(file);

    expect(firstCaseNamed(records, "Shop.Api.Tests.HealthTests.Is_healthy").properties).toEqual({
      assembly: "/build/Shop.Api.Tests/bin/Release/net6.0/Shop.Api.Tests.dll",
    });
    // Two assemblies and no run-wide start/finish: no total duration to give.
    expect(reportOf(records)).toEqual({
      kind: "report",
      tool: "xUnit.net",
      toolVersion: "2.4.2.0",
      startedAt: "2023-05-02T22:57:51",
      properties: { environment: "64-bit .NET 6.0.16 [collection-per-class, parallel (4 threads)]" },
    });
  });
});

describe("xunitXmlParser on xUnit.net v3 and v1 reports", () => {
  it("reads v3: NotRun skips, run-wide start/finish and computer, the v3 framework name", async () => {
    const records = await parseFile(path.join(FIXTURES_ROOT, "xunit-xml/well-defined/xunit-v3.xml"));

    expect(casesOf(records).map((record) => [record.name, record.attempts[0].status])).toEqual([
      ["Shop.Tests.CartTests.Adds_an_item", "passed"],
      ["Shop.Tests.CartTests.Checks_out", "failed"],
      ["Shop.Tests.CartTests.Explicit_only", "skipped"],
    ]);
    expect(firstCaseNamed(records, "Shop.Tests.CartTests.Checks_out").attempts[0]).toMatchObject({
      stdout: "calling the gateway",
      failure: { type: "Xunit.Sdk.TrueException" },
    });
    expect(reportOf(records)).toEqual({
      kind: "report",
      tool: "xUnit.net v3",
      toolVersion: "1.0.1+6b60a9e56a",
      startedAt: "2025-01-20T09:00:00.0000000+00:00",
      durationMs: 2500,
      hostname: "build-runner-3",
      properties: {
        environment: "64-bit .NET 8.0.11 [collection-per-class, parallel (8 threads)]",
        "target-framework": ".NETCoreApp,Version=v8.0",
      },
    });
  });

  it("reads v1: a bare assembly root, classes, reason/message, a class-level failure", async () => {
    const records = await parseFile(path.join(FIXTURES_ROOT, "xunit-xml/well-defined/xunit-v1.xml"));

    expect(firstCaseNamed(records, "Shop.Tests.CartTests.Not_ready")).toEqual({
      kind: "case",
      suite: ["Shop.Tests.CartTests"],
      className: "Shop.Tests.CartTests",
      name: "Shop.Tests.CartTests.Not_ready",
      attempts: [{ status: "skipped", skipReason: "waiting for the new API" }],
      properties: { assembly: "C:\\build\\Shop.Tests\\bin\\Debug\\Shop.Tests.dll" },
    });
    expect(suiteFailuresOf(records)).toEqual([
      {
        kind: "suite-failure",
        suite: ["Shop.Tests.InventoryTests"],
        failure: {
          type: "System.InvalidOperationException",
          message: "System.InvalidOperationException : fixture Dispose failed",
          stack: "   at Shop.Tests.WarehouseFixture.Dispose()",
        },
        status: "failed",
      },
    ]);
    expect(attemptCounts(records)).toEqual({ passed: 2, failed: 1, error: 0, skipped: 1 });
    expect(reportOf(records)).toEqual({
      kind: "report",
      tool: "xUnit.net",
      toolVersion: "1.9.0.1566",
      startedAt: "2012-03-05T09:41:07",
      durationMs: 550,
      properties: { environment: "32-bit .NET 4.0.30319.269" },
    });
  });

  it("reports a v1 class failure outside a named class under its assembly", async () => {
    const records = await parseText(
      `<assembly name="a.dll"><class><failure exception-type="X"><message>m</message></failure></class></assembly>`,
    );

    expect(suiteFailuresOf(records)).toEqual([
      { kind: "suite-failure", suite: ["a.dll"], failure: { type: "X", message: "m" }, status: "failed" },
    ]);
    expect(suiteFailuresOf(await parseText(`<assembly><class name="C"><failure /></class></assembly>`))).toEqual([
      { kind: "suite-failure", suite: ["C"], failure: {}, status: "failed" },
    ]);
    expect(suiteFailuresOf(await parseText(`<assembly><class><failure /></class></assembly>`))).toEqual([]);
  });
});

describe("xunitXmlParser on reports with fields missing", () => {
  it("leaves out what the report does not say; an absent result is an error", async () => {
    const records = await parseFile(path.join(FIXTURES_ROOT, "xunit-xml/missing/minimal.xml"));

    expect(records).toEqual([
      { kind: "suite-failure", suite: ["Minimal.dll"], failure: {}, status: "failed" },
      { kind: "suite-failure", suite: ["Minimal.dll"], failure: {}, status: "failed" },
      ...[
        ["Minimal.Named_only", "error"],
        ["Minimal.Passes_quickly", "passed"],
        ["Minimal.Fails_without_details", "failed"],
        ["Minimal.Fails_with_an_empty_failure", "failed"],
        ["Minimal.Skips_without_reason", "skipped"],
      ].map(([name, status]) => ({
        kind: "case",
        suite: [],
        name,
        attempts: [{ status }],
        properties: { assembly: "Minimal.dll" },
      })),
      {
        kind: "case",
        suite: [],
        name: "Minimal.Has_a_nameless_trait",
        attempts: [{ status: "passed" }],
        properties: { assembly: "Minimal.dll", Flag: "" },
      },
      { kind: "report" },
    ]);
  });

  it("drops an error that names nothing, and reads a test straight under its assembly", async () => {
    const records = await parseText(
      `<assemblies><errors><error><failure /></error></errors><assembly><test name="Loose" result="Pass" /></assembly></assemblies>`,
    );

    expect(records).toEqual([
      { kind: "case", suite: [], name: "Loose", attempts: [{ status: "passed" }] },
      { kind: "report" },
    ]);
  });

  it("names an error by its type when neither it nor its assembly has a name", async () => {
    const records = await parseText(
      `<assemblies><errors><error type="fatal"><failure /></error></errors></assemblies>`,
    );

    expect(suiteFailuresOf(records)).toEqual([
      { kind: "suite-failure", suite: ["fatal"], failure: {}, status: "error" },
    ]);
  });

  it("takes a framework without a version as the tool's name", async () => {
    const records = await parseText(`<assembly name="a.dll" test-framework="custom runner" time="0.5"></assembly>`);

    expect(reportOf(records)).toEqual({ kind: "report", tool: "custom runner", durationMs: 500 });
  });
});

describe("xunitXmlParser on invalid input", () => {
  it("reports a truncated file as a PARSE_ERROR with the file and line", async () => {
    const file = path.join(FIXTURES_ROOT, "xunit-xml/invalid/truncated.xml");
    const error = await failure(await fileSource(file));

    expect(error.code).toBe("PARSE_ERROR");
    expect(error.file).toBe(file);
    expect(error.describe()).toContain(file);
    expect(error.position?.line).toBe(6);
  });

  it("refuses a test without a name", async () => {
    const file = path.join(FIXTURES_ROOT, "xunit-xml/invalid/test-without-name.xml");
    const error = await failure(await fileSource(file));

    expect(error.code).toBe("PARSE_ERROR");
    expect(error.file).toBe(file);
    expect(error.message).toBe("not a valid xUnit.net report: a <test> has no name");
  });

  it("refuses NUnit XML handed to it by mistake", async () => {
    const file = path.join(FIXTURES_ROOT, "xunit-xml/invalid/not-xunit.xml");
    const error = await failure(await fileSource(file));

    expect(error.code).toBe("PARSE_ERROR");
    expect(error.file).toBe(file);
    expect(error.message).toBe(
      "not an xUnit.net report: the root element is <test-run>, expected <assemblies> or <assembly>",
    );
  });

  it("refuses a test as the root element", async () => {
    const error = await failure(bufferSource("x.xml", `<test name="alone" result="Pass" />`));

    expect(error.message).toMatch(/^not an xUnit.net report: the root element is <test>/);
  });
});

describe("xunitXmlParser on generated reports", () => {
  it("maps every generated test to its class, name, status, duration, traits and failure", async () => {
    const specs = xunitTestFactory.buildList(400);
    const records = casesOf(await parseText(xunitReport(specs)));
    const byKey = new Map(records.map((record) => [`${record.suite[0] ?? ""}|${record.name}`, record]));

    expect(records).toHaveLength(specs.length);
    for (const spec of specs) {
      const record = byKey.get(`${spec.type}|${spec.name}`);
      expect(record?.attempts[0].status).toBe(XUNIT_RESULTS[spec.result]);
      expect(record?.attempts[0].durationMs).toBeCloseTo(Number(spec.time) * 1000, 3);
      const categories = [...new Set(spec.traits.filter((t) => t.name === "Category").map((t) => t.value))];
      expect(record?.tags).toEqual(categories.length === 0 ? undefined : categories);
      if (spec.message !== undefined) {
        expect(record?.attempts[0].failure).toEqual({
          type: spec.exceptionType,
          message: spec.message,
          stack: spec.stack,
        });
      }
      if (spec.reason !== undefined) expect(record?.attempts[0].skipReason).toBe(spec.reason);
    }
  });
});
