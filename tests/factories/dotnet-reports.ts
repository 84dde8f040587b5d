import { faker } from "@faker-js/faker";
import { Factory } from "fishery";

/**
 * Factories for the .NET report formats (TRX, NUnit 3, xUnit.net v2): a spec per test, built
 * with fishery and faker, and a writer that renders a list of specs as the format's XML, the
 * way the real writers lay it out (TRX: Results before TestDefinitions, as vstest does).
 */

/** XML-escapes text for an attribute or element body. */
export function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function pascalWords(count: number): string {
  return faker.lorem
    .words(count)
    .split(" ")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
}

function className(): string {
  return `${pascalWords(1)}.${pascalWords(1)}.Tests.${pascalWords(2)}Tests`;
}

function methodName(): string {
  return faker.lorem.words(3).split(" ").join("_");
}

function failureText(): { message: string; stack: string } {
  return {
    message: `${faker.helpers.arrayElement(["Assert.Equal() Failure", "System.InvalidOperationException : "])}${faker.lorem.sentence()}`,
    stack: `   at ${className()}.${methodName()}() in /src/${pascalWords(1)}.cs:line ${faker.number.int({ min: 1, max: 500 })}`,
  };
}

// ── TRX ────────────────────────────────────────────────────────────────────────

/** TRX outcomes the factories draw from, with the status Kaizen gives each. */
export const TRX_OUTCOMES = {
  Passed: "passed",
  Failed: "failed",
  Timeout: "failed",
  Error: "error",
  Aborted: "error",
  NotExecuted: "skipped",
  Inconclusive: "skipped",
} as const;

/** One TRX test: its definition and one result. */
export interface TrxTestSpec {
  readonly testId: string;
  readonly executionId: string;
  readonly className: string;
  readonly methodName: string;
  /** As vstest writes it for xUnit: `Namespace.Class.Method`. */
  readonly testName: string;
  readonly outcome: keyof typeof TRX_OUTCOMES;
  /** `TimeSpan` text, e.g. `00:00:00.0123456`. */
  readonly duration: string;
  readonly durationMs: number;
  readonly storage: string;
  readonly categories: readonly string[];
  readonly message?: string;
  readonly stack?: string;
}

/** Builds {@link TrxTestSpec}s with random classes, outcomes and durations. */
export const trxTestFactory = Factory.define<TrxTestSpec>(({ params }) => {
  const cls = params.className ?? className();
  const method = params.methodName ?? methodName();
  const outcome = params.outcome ?? faker.helpers.objectKey(TRX_OUTCOMES);
  const ticks = faker.number.int({ min: 1, max: 99_999_999 });
  const failing = TRX_OUTCOMES[outcome] !== "passed" && TRX_OUTCOMES[outcome] !== "skipped";
  const failure = failing ? failureText() : undefined;
  return {
    testId: faker.string.uuid(),
    executionId: faker.string.uuid(),
    className: cls,
    methodName: method,
    testName: `${cls}.${method}`,
    outcome,
    duration: `00:00:${String(Math.floor(ticks / 10_000_000)).padStart(2, "0")}.${String(ticks % 10_000_000).padStart(7, "0")}`,
    durationMs: ticks / 10_000,
    storage: `/build/${cls.split(".")[0]?.toLowerCase() ?? "tests"}/bin/release/net8.0/tests.dll`,
    categories: faker.helpers.arrayElements(["Unit", "Integration", "Slow", "Smoke"], { min: 0, max: 2 }),
    ...(failure === undefined ? {} : failure),
  };
});

function trxResult(test: TrxTestSpec): string {
  const errorInfo =
    test.message === undefined
      ? ""
      : `<Output><ErrorInfo><Message>${xml(test.message)}</Message><StackTrace>${xml(test.stack ?? "")}</StackTrace></ErrorInfo></Output>`;
  return `    <UnitTestResult executionId="${test.executionId}" testId="${test.testId}" testName="${xml(test.testName)}" computerName="ci-agent" duration="${test.duration}" startTime="2024-03-11T09:15:01.0000000+00:00" outcome="${test.outcome}" testType="13cdc9d9-ddb5-4fa4-a97d-d965ccfc6d4b">${errorInfo}</UnitTestResult>`;
}

function trxDefinition(test: TrxTestSpec): string {
  const categories =
    test.categories.length === 0
      ? ""
      : `<TestCategory>${test.categories.map((c) => `<TestCategoryItem TestCategory="${xml(c)}" />`).join("")}</TestCategory>`;
  return `    <UnitTest name="${xml(test.methodName)}" storage="${xml(test.storage)}" id="${test.testId}">${categories}<Execution id="${test.executionId}" /><TestMethod codeBase="${xml(test.storage)}" adapterTypeName="executor://xunit/VsTestRunner2/netcoreapp" className="${xml(test.className)}" name="${xml(test.methodName)}" /></UnitTest>`;
}

/** Renders a TRX file; `definitionsFirst` puts TestDefinitions before Results (VS 2010 layout). */
export function trxReport(tests: readonly TrxTestSpec[], options: { definitionsFirst?: boolean } = {}): string {
  const results = `  <Results>\n${tests.map(trxResult).join("\n")}\n  </Results>`;
  const definitions = `  <TestDefinitions>\n${tests.map(trxDefinition).join("\n")}\n  </TestDefinitions>`;
  const body = options.definitionsFirst === true ? [definitions, results] : [results, definitions];
  return [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<TestRun id="${faker.string.uuid()}" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">`,
    `  <Times start="2024-03-11T09:15:00.0000000+00:00" finish="2024-03-11T09:16:00.0000000+00:00" />`,
    ...body,
    `  <ResultSummary outcome="Completed" />`,
    `</TestRun>`,
  ].join("\n");
}

// ── NUnit 3 ────────────────────────────────────────────────────────────────────

/** NUnit 3 result/label pairs the factories draw from, with the status Kaizen gives each. */
export const NUNIT_RESULTS = [
  { result: "Passed", status: "passed" },
  { result: "Failed", status: "failed" },
  { result: "Failed", label: "Error", status: "error" },
  { result: "Skipped", label: "Ignored", status: "skipped" },
  { result: "Inconclusive", status: "skipped" },
  { result: "Warning", status: "passed" },
] as const;

/** One NUnit 3 test-case. */
export interface NunitCaseSpec {
  readonly classname: string;
  readonly name: string;
  readonly outcome: (typeof NUNIT_RESULTS)[number];
  /** Seconds, as NUnit writes it. */
  readonly duration: string;
  readonly categories: readonly string[];
  readonly message?: string;
  readonly stack?: string;
}

/** Builds {@link NunitCaseSpec}s with random fixtures, results and durations. */
export const nunitCaseFactory = Factory.define<NunitCaseSpec>(({ params }) => {
  // fishery deep-partials params; an outcome is passed whole or not at all.
  const outcome = (params.outcome as NunitCaseSpec["outcome"] | undefined) ?? faker.helpers.arrayElement(NUNIT_RESULTS);
  const failing = outcome.status === "failed" || outcome.status === "error";
  return {
    classname: params.classname ?? className(),
    name: params.name ?? `${methodName()}(${faker.number.int(99)})`,
    outcome,
    duration: faker.number.float({ min: 0, max: 2, fractionDigits: 6 }).toFixed(6),
    categories: faker.helpers.arrayElements(["Unit", "Integration", "Slow"], { min: 0, max: 2 }),
    ...(failing ? failureText() : {}),
  };
});

function nunitCase(spec: NunitCaseSpec, id: number): string {
  const label = "label" in spec.outcome ? ` label="${spec.outcome.label}"` : "";
  const categories =
    spec.categories.length === 0
      ? ""
      : `<properties>${spec.categories.map((c) => `<property name="Category" value="${xml(c)}" />`).join("")}</properties>`;
  const failure =
    spec.message === undefined
      ? ""
      : `<failure><message><![CDATA[${spec.message}]]></message><stack-trace><![CDATA[${spec.stack ?? ""}]]></stack-trace></failure>`;
  return `      <test-case id="0-${id}" name="${xml(spec.name)}" fullname="${xml(`${spec.classname}.${spec.name}`)}" classname="${xml(spec.classname)}" result="${spec.outcome.result}"${label} duration="${spec.duration}">${categories}${failure}</test-case>`;
}

/** Renders an NUnit 3 file with one TestFixture per distinct class, in first-seen order. */
export function nunit3Report(cases: readonly NunitCaseSpec[]): string {
  const fixtures = new Map<string, NunitCaseSpec[]>();
  for (const spec of cases) fixtures.set(spec.classname, [...(fixtures.get(spec.classname) ?? []), spec]);
  let id = 1000;
  const suites = [...fixtures].map(([cls, specs]) => {
    const name = cls.split(".").at(-1) ?? cls;
    const body = specs.map((spec) => nunitCase(spec, id++)).join("\n");
    return `    <test-suite type="TestFixture" id="0-${id++}" name="${xml(name)}" fullname="${xml(cls)}" classname="${xml(cls)}" result="Passed">\n${body}\n    </test-suite>`;
  });
  return [
    `<?xml version="1.0" encoding="utf-8" standalone="no"?>`,
    `<test-run id="0" result="Passed" engine-version="3.16.3.0" start-time="2024-05-02 10:00:00Z" duration="1.5">`,
    `  <test-suite type="Assembly" id="0-1" name="Generated.Tests.dll" fullname="/build/Generated.Tests.dll" result="Passed">`,
    ...suites,
    `  </test-suite>`,
    `</test-run>`,
  ].join("\n");
}

// ── xUnit.net v2 ───────────────────────────────────────────────────────────────

/** xUnit.net results, with the status Kaizen gives each. */
export const XUNIT_RESULTS = { Pass: "passed", Fail: "failed", Skip: "skipped", NotRun: "skipped" } as const;

/** One xUnit.net v2 test. */
export interface XunitTestSpec {
  readonly type: string;
  readonly method: string;
  /** As xUnit writes it: `Namespace.Class.Method(args)`. */
  readonly name: string;
  readonly result: keyof typeof XUNIT_RESULTS;
  /** Seconds. */
  readonly time: string;
  readonly traits: readonly { readonly name: string; readonly value: string }[];
  readonly exceptionType?: string;
  readonly message?: string;
  readonly stack?: string;
  readonly reason?: string;
}

/** Builds {@link XunitTestSpec}s with random classes, results, traits and durations. */
export const xunitTestFactory = Factory.define<XunitTestSpec>(({ params }) => {
  const type = params.type ?? className();
  const method = params.method ?? methodName();
  const result = params.result ?? faker.helpers.objectKey(XUNIT_RESULTS);
  const traits = faker.helpers.arrayElements(
    [
      { name: "Category", value: "Unit" },
      { name: "Category", value: "Slow" },
      { name: "Owner", value: faker.person.firstName() },
    ],
    { min: 0, max: 3 },
  );
  return {
    type,
    method,
    name: `${type}.${method}(value: ${faker.number.int(99)})`,
    result,
    time: faker.number.float({ min: 0, max: 3, fractionDigits: 7 }).toFixed(7),
    traits,
    ...(result === "Fail" ? { exceptionType: "Xunit.Sdk.EqualException", ...failureText() } : {}),
    ...(result === "Skip" ? { reason: faker.lorem.sentence() } : {}),
  };
});

function xunitTest(spec: XunitTestSpec): string {
  const failure =
    spec.message === undefined
      ? ""
      : `<failure exception-type="${xml(spec.exceptionType ?? "")}"><message><![CDATA[${spec.message}]]></message><stack-trace><![CDATA[${spec.stack ?? ""}]]></stack-trace></failure>`;
  const reason = spec.reason === undefined ? "" : `<reason><![CDATA[${spec.reason}]]></reason>`;
  const traits =
    spec.traits.length === 0
      ? ""
      : `<traits>${spec.traits.map((t) => `<trait name="${xml(t.name)}" value="${xml(t.value)}" />`).join("")}</traits>`;
  return `      <test name="${xml(spec.name)}" type="${xml(spec.type)}" method="${xml(spec.method)}" time="${spec.time}" result="${spec.result}">${failure}${reason}${traits}</test>`;
}

/** Renders an xUnit.net v2 file with one assembly and one collection per distinct class. */
export function xunitReport(tests: readonly XunitTestSpec[]): string {
  const collections = new Map<string, XunitTestSpec[]>();
  for (const spec of tests) collections.set(spec.type, [...(collections.get(spec.type) ?? []), spec]);
  return [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<assemblies timestamp="05/02/2023 22:57:51">`,
    `  <assembly name="/build/Generated.Tests.dll" test-framework="xUnit.net 2.4.2.0" run-date="2023-05-02" run-time="22:57:51" time="1.000" total="${tests.length}">`,
    `    <errors />`,
    ...[...collections].map(
      ([type, specs]) =>
        `    <collection name="Test collection for ${xml(type)}">\n${specs.map(xunitTest).join("\n")}\n    </collection>`,
    ),
    `  </assembly>`,
    `</assemblies>`,
  ].join("\n");
}
