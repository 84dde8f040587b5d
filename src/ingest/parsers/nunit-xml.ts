import { parseError } from "../../domain/errors.js";
import type { TestStatus } from "../../domain/test-status.js";
import type { ReportSniff, ReportSource, ResultParser } from "../parser.js";
import type {
  RawAttempt,
  RawFailure,
  RawRecord,
  RawRecordSink,
  RawReportInfo,
  RawSuiteFailure,
  RawTestCase,
} from "../raw-records.js";
import { childNamed, childrenNamed, visitXml, type XmlElement, type XmlVisitor } from "../xml-stream.js";
import {
  childText,
  definedFields,
  distinctTags,
  isoTimestamp,
  joinDateTime,
  nonBlank,
  PropertyBag,
  secondsToMs,
  withAssembly,
  withoutPrefix,
} from "./dotnet-xml.js";

/*
 * NUnit result XML, both generations:
 *
 * NUnit 3 ("Test Result XML Format", docs.nunit.org):
 *   test-run > test-suite(type=Assembly|TestSuite|TestFixture|ParameterizedFixture|
 *     ParameterizedMethod|SetUpFixture|GenericFixture|Theory)* > test-case
 *   test-case@name @fullname @classname @result(Passed|Failed|Skipped|Inconclusive|Warning)
 *     @label(Error|Cancelled|Invalid|Ignored|Explicit|...) @site(SetUp|TearDown|Parent|...)
 *     @duration @start-time, failure/{message,stack-trace}, reason/message, output, properties/property
 *
 * NUnit 2.5/2.6 (nunit_schema_2.5.xsd; also written by Pester, Unity, NUnitLite):
 *   test-results > test-suite(type=Assembly|Namespace|TestFixture|...) > results > ... > test-case
 *   test-case@name (full) @executed @result(Success|Failure|Error|Ignored|NotRunnable|
 *     Inconclusive|Skipped|Cancelled) @success @time, failure, reason, categories/category@name
 *
 * Suites stream past as open/close with a small frame each; only test-cases and a suite's
 * own failure/output/environment are collected whole.
 */

/** Suite types that stand for a test class: a test's suite is the innermost of them. */
const FIXTURE_TYPES = new Set(["testfixture", "parameterizedfixture", "genericfixture"]);
/** Suite types whose names make up an NUnit 2 fixture's namespace-qualified name. */
const NAMESPACE_TYPES = new Set(["namespace", "setupfixture"]);
/** Fixture wrappers whose inner `TestFixture` repeats their name with arguments (`Fixture(42)`). */
const WRAPPER_TYPES = new Set(["parameterizedfixture", "genericfixture"]);

interface SuiteFrame {
  readonly type: string;
  readonly name: string | undefined;
  readonly fullname: string | undefined;
  readonly attributes: Readonly<Record<string, string>>;
  /** Names of the enclosing namespaces and fixtures, this one included: NUnit 2 has no `fullname`. */
  readonly segments: readonly string[];
  /** How many trailing segments the test-cases below matched their names with (see {@link fixtureName}). */
  matchedSegments?: number;
  failure?: XmlElement;
  output?: string;
  /** Whether a test-case anywhere below failed or errored. */
  caseFailed: boolean;
}

/**
 * The namespace-qualified name of an NUnit 2 fixture, and how many of its trailing segments
 * make it. NUnit 2 writes test-case names in full (`Ns.Fixture.Test`), Pester as
 * `Describe.Context.It` under fixtures for the run and the file as well: the longest run of
 * trailing segments that the test's name starts with is the fixture's name.
 */
function fixtureName(segments: readonly string[], testName: string | undefined): { name?: string; count: number } {
  for (let count = segments.length; testName !== undefined && count > 0; count--) {
    const name = segments.slice(segments.length - count).join(".");
    if (testName.startsWith(`${name}.`)) return { name, count };
  }
  return segments.length === 0 ? { count: 0 } : { name: segments.join("."), count: segments.length };
}

function lower(value: string | undefined): string {
  return (value ?? "").trim().toLowerCase();
}

function isTimeout(label: string | undefined): boolean {
  // NUnit 3.12 labels it "Test exceeded Timeout value 1ms."; later versions "Timeout".
  return /timeout/i.test(label ?? "");
}

function caseStatus(element: XmlElement): TestStatus {
  const { result, label, site, executed, success } = element.attributes;
  switch (lower(result)) {
    // NUnit's Warning: the test ran and passed, with warnings; not a failure.
    case "passed":
    case "success":
    case "warning":
      return "passed";
    case "failed":
    case "failure": {
      // A failure in SetUp, or inherited from a parent's OneTimeSetUp: the test itself never ran.
      if (lower(site) === "setup" || lower(site) === "parent") return "error";
      return ["error", "invalid", "cancelled"].includes(lower(label)) ? "error" : "failed";
    }
    case "error":
    case "cancelled":
    case "notrunnable":
      return "error";
    case "skipped":
    case "ignored":
    case "inconclusive":
    case "explicit":
    case "notrun":
      return "skipped";
    case "":
      if (lower(executed) === "false") return "skipped";
      if (lower(success) === "true") return "passed";
      return lower(success) === "false" || childNamed(element, "failure") !== undefined ? "failed" : "error";
    default:
      // An unknown result is not evidence of a pass.
      return "error";
  }
}

/** A failure element's content; for a timeout, NUnit often leaves it empty and says it in the label. */
function failureOf(element: XmlElement | undefined, label: string | undefined): RawFailure | undefined {
  const timedOut = isTimeout(label);
  const message = (element === undefined ? undefined : childText(element, "message")) ?? (timedOut ? label : undefined);
  const stack = element === undefined ? undefined : childText(element, "stack-trace");
  if (message === undefined && stack === undefined) return undefined;
  return definedFields({ type: timedOut ? "Timeout" : undefined, message, stack });
}

/** NUnit 2 explains a not-runnable test in `reason`, not `failure`. */
function caseFailure(element: XmlElement): RawFailure | undefined {
  const failure = failureOf(childNamed(element, "failure"), element.attributes.label);
  const reason = failure === undefined ? reasonOf(element) : undefined;
  return reason === undefined ? failure : { message: reason };
}

function reasonOf(element: XmlElement): string | undefined {
  const reason = childNamed(element, "reason");
  return reason === undefined ? undefined : (childText(reason, "message") ?? nonBlank(reason.text));
}

/** NUnit 3 keeps categories and descriptions as properties; `_`-prefixed ones are NUnit's own bookkeeping. */
function propertiesAndTags(element: XmlElement): { properties?: Record<string, string>; tags?: string[] } {
  const properties = new PropertyBag();
  const tags: (string | undefined)[] = [];
  for (const property of childrenNamed(childNamed(element, "properties") ?? element, "property")) {
    const { name, value } = property.attributes;
    if (name === undefined || name.startsWith("_")) continue;
    if (name === "Category") tags.push(value);
    else properties.add(name, value ?? "");
  }
  for (const category of childrenNamed(childNamed(element, "categories") ?? element, "category")) {
    tags.push(category.attributes.name);
  }
  properties.add("Description", nonBlank(element.attributes.description));
  return definedFields({ properties: properties.toRecord(), tags: distinctTags(tags) });
}

/** NUnit 2 has no `site`; it names the hook at the start of the message instead. */
function hookOf(message: string | undefined): string {
  const hook = /^\s*(?:TestFixture|OneTime)?(SetUp|TearDown)\b/i.exec(message ?? "")?.[1];
  return hook === undefined ? "" : hook.toLowerCase();
}

/** State of one pass over one file. */
class NunitReading {
  readonly #frames: SuiteFrame[] = [];
  rootAttributes: Readonly<Record<string, string>> = {};
  root = "";
  environment: Readonly<Record<string, string>> | undefined;
  topSuiteTime: string | undefined;

  constructor(readonly file: string) {}

  openSuite(attributes: Readonly<Record<string, string>>, depth: number): void {
    const type = lower(attributes.type);
    const name = nonBlank(attributes.name);
    if (depth === 1) this.topSuiteTime ??= attributes.time;
    const inherited = this.#frames[this.#frames.length - 1]?.segments ?? [];
    // A wrapper's inner fixtures repeat its name with their arguments (`PriceTests("EUR")`).
    const named = name !== undefined && (NAMESPACE_TYPES.has(type) || type === "testfixture");
    this.#frames.push({
      type,
      name,
      fullname: nonBlank(attributes.fullname),
      attributes,
      segments: named ? [...inherited, name] : inherited,
      caseFailed: false,
    });
  }

  closeSuite(): RawSuiteFailure | undefined {
    const frame = this.#frames.pop();
    return frame === undefined ? undefined : this.#suiteFailure(frame);
  }

  /** The collected element belongs to the innermost open suite. */
  suiteChild(element: XmlElement): void {
    const frame = this.#frames[this.#frames.length - 1];
    if (frame === undefined) return;
    if (element.name === "failure") frame.failure = element;
    else frame.output = nonBlank(element.text);
  }

  testCase(element: XmlElement): RawTestCase {
    const rawName = nonBlank(element.attributes.name) ?? nonBlank(element.attributes.fullname);
    if (rawName === undefined) {
      const id = element.attributes.id === undefined ? "" : ` (id ${element.attributes.id})`;
      throw parseError(this.file, `not a valid NUnit report: a <test-case>${id} has no name`);
    }
    const fixture = this.#innermost((frame) => FIXTURE_TYPES.has(frame.type));
    const className = nonBlank(element.attributes.classname);
    let suiteName: string | undefined;
    if (fixture?.fullname !== undefined) suiteName = fixture.fullname;
    else if (fixture === undefined && className !== undefined) suiteName = className;
    else {
      const frame = fixture ?? this.#frames[this.#frames.length - 1];
      const found = fixtureName(frame?.segments ?? [], rawName);
      suiteName = found.name;
      if (frame !== undefined) frame.matchedSegments ??= found.count;
    }
    const status = caseStatus(element);
    if (status === "failed" || status === "error") for (const frame of this.#frames) frame.caseFailed = true;
    const assembly = this.#innermost((frame) => frame.type === "assembly");
    const { properties, tags } = propertiesAndTags(element);
    const attempt: RawAttempt = definedFields({
      status,
      durationMs: secondsToMs(element.attributes.duration ?? element.attributes.time),
      startedAt: isoTimestamp(element.attributes["start-time"]),
      failure: status === "failed" || status === "error" ? caseFailure(element) : undefined,
      skipReason: status === "skipped" ? reasonOf(element) : undefined,
      stdout: childText(element, "output"),
    });
    const assemblyName = assembly === undefined ? undefined : (assembly.fullname ?? assembly.name);
    return definedFields({
      kind: "case" as const,
      suite: suiteName === undefined ? [] : [suiteName],
      className,
      name: withoutPrefix(rawName, suiteName),
      attempts: [attempt] as const,
      properties: withAssembly(assemblyName, properties),
      tags,
    });
  }

  report(): RawReportInfo {
    const root = this.rootAttributes;
    const environment = this.environment ?? {};
    const nunit3 = this.root === "test-run";
    const properties = new PropertyBag();
    for (const key of ["os-version", "clr-version", "framework-version"])
      properties.add(key, nonBlank(environment[key]));
    return definedFields({
      kind: "report" as const,
      tool: "NUnit",
      toolVersion:
        nonBlank(root["engine-version"]) ?? nonBlank(environment["framework-version"] ?? environment["nunit-version"]),
      startedAt: nunit3
        ? (isoTimestamp(root["start-time"]) ?? joinDateTime(root["run-date"], root["start-time"]))
        : joinDateTime(root.date, root.time),
      durationMs: nunit3 ? secondsToMs(root.duration ?? root.time) : secondsToMs(this.topSuiteTime),
      hostname: nonBlank(environment["machine-name"]),
      properties: properties.toRecord(),
    });
  }

  #innermost(predicate: (frame: SuiteFrame) => boolean): SuiteFrame | undefined {
    return this.#frames.findLast(predicate);
  }

  /** A suite's namespace-qualified name: NUnit 3's `fullname`, else built as its test-cases' was. */
  #idOf(frame: SuiteFrame): string | undefined {
    if (frame.fullname !== undefined) return frame.fullname;
    const segments =
      WRAPPER_TYPES.has(frame.type) && frame.name !== undefined ? [...frame.segments, frame.name] : frame.segments;
    const count = frame.matchedSegments ?? segments.length;
    return count === 0 ? frame.name : segments.slice(segments.length - count).join(".");
  }

  /**
   * A suite's own failure (a failing OneTimeSetUp/OneTimeTearDown, a fixture that could not be
   * built), as opposed to the "one or more child tests had errors" that NUnit rolls up from
   * its children (site Child) or hands down to them (site Parent). A setup failure that NUnit
   * also reported on each test-case is already counted there.
   */
  #suiteFailure(frame: SuiteFrame): RawSuiteFailure | undefined {
    const { result, site, label } = frame.attributes;
    if (frame.failure === undefined || !["failed", "failure", "error"].includes(lower(result))) return undefined;
    const where = lower(site) || hookOf(childText(frame.failure, "message"));
    if (where === "child" || where === "parent") return undefined;
    if (where !== "teardown" && frame.caseFailed) return undefined;
    const suite = frame.type === "assembly" ? (frame.fullname ?? frame.name) : this.#idOf(frame);
    if (suite === undefined) return undefined;
    const hook = where === "setup" || where === "teardown";
    const crashed = lower(result) === "error" || ["error", "invalid", "cancelled"].includes(lower(label));
    return definedFields({
      kind: "suite-failure" as const,
      suite: [suite] as [string],
      failure: failureOf(frame.failure, label) ?? {},
      status: !hook && crashed ? ("error" as const) : ("failed" as const),
      durationMs: secondsToMs(frame.attributes.duration ?? frame.attributes.time),
      stdout: frame.output,
    });
  }
}

function visitor(reading: NunitReading): XmlVisitor {
  return {
    collect(name, path) {
      const parent = path[path.length - 1];
      if (parent === undefined) return false;
      if (name === "test-case") return true;
      if (name === "environment") return reading.environment === undefined;
      return parent === "test-suite" && (name === "failure" || name === "output");
    },
    open(name, attributes, path): RawRecord | undefined {
      if (path.length === 0) {
        if (name !== "test-run" && name !== "test-results") {
          throw parseError(
            reading.file,
            `not an NUnit report: the root element is <${name}>, expected <test-run> (NUnit 3) or <test-results> (NUnit 2)`,
          );
        }
        reading.root = name;
        reading.rootAttributes = attributes;
      }
      if (name === "test-suite") reading.openSuite(attributes, path.length);
      return undefined;
    },
    close(name) {
      return name === "test-suite" ? reading.closeSuite() : undefined;
    },
    element(element) {
      if (element.name === "test-case") return reading.testCase(element);
      if (element.name === "environment") reading.environment ??= element.attributes;
      else reading.suiteChild(element);
      return undefined;
    },
    end: () => reading.report(),
  };
}

/** Parser of NUnit result XML: NUnit 3 (`test-run`) and NUnit 2.x (`test-results`, also Pester and Unity). */
export const nunitXmlParser: ResultParser = {
  format: "nunit-xml",
  description: "NUnit XML (NUnit 3 TestResult.xml, NUnit 2.x; also Pester, Unity, NUnitLite)",
  matches(sniff: ReportSniff): boolean {
    return sniff.syntax === "xml" && (sniff.xmlRoot === "test-run" || sniff.xmlRoot === "test-results");
  },
  async parse(source: ReportSource, sink: RawRecordSink): Promise<void> {
    await visitXml(source, visitor(new NunitReading(source.path)), sink);
  },
};
