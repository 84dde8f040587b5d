import { parseError } from "../../domain/errors.js";
import type { TestStatus } from "../../domain/test-status.js";
import type { ReportSniff, ReportSource, ResultParser } from "../parser.js";
import type {
  RawAttempt,
  RawFailure,
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
  elapsedMs,
  isoTimestamp,
  joinDateTime,
  nonBlank,
  PropertyBag,
  secondsToMs,
  withAssembly,
} from "./dotnet-xml.js";

/*
 * xUnit.net XML (xunit.net/docs/format-xml-v2; v3 runners write the same with a few more attributes):
 *
 *   assemblies@computer @start-rtf @finish-rtf          (the root; or a bare `assembly`)
 *     assembly@name @test-framework @environment @run-date @run-time @start-rtf @time
 *       errors/error@type(fatal|assembly-cleanup|test-collection-cleanup|test-class-cleanup|
 *         test-method-cleanup|test-case-cleanup|test-cleanup) @name, failure
 *       collection@name
 *         test@name @type @method @time @result(Pass|Fail|Skip|NotRun) @source-file @source-line
 *           failure@exception-type/{message,stack-trace}, reason, output, traits/trait@name@value
 *
 * xUnit.net v1 (format-xml-v1) has `assembly > class@name > test`, a class-level `failure`,
 * and `reason/message`; it is read too.
 */

const RESULTS: Readonly<Record<string, TestStatus>> = {
  pass: "passed",
  fail: "failed",
  skip: "skipped",
  notrun: "skipped",
};

function statusOf(result: string | undefined): TestStatus {
  // An unknown result is not evidence of a pass.
  return RESULTS[(result ?? "").trim().toLowerCase()] ?? "error";
}

function failureOf(element: XmlElement | undefined): RawFailure | undefined {
  if (element === undefined) return undefined;
  const failure = definedFields({
    type: nonBlank(element.attributes["exception-type"]),
    message: childText(element, "message"),
    stack: childText(element, "stack-trace"),
  });
  return Object.keys(failure).length === 0 ? undefined : failure;
}

function lineOf(value: string | undefined): number | undefined {
  const line = value === undefined || !/^\s*\d+\s*$/.test(value) ? NaN : Number(value);
  return Number.isInteger(line) && line > 0 ? line : undefined;
}

/** Splits `"xUnit.net v3 1.0.0"` into the tool and its version. */
function toolOf(framework: string | undefined): { tool?: string; toolVersion?: string } {
  const text = nonBlank(framework)?.trim();
  if (text === undefined) return {};
  const match = /^(.*\S)\s+v?(\d[\w.+-]*)$/.exec(text);
  return match === null ? { tool: text } : { tool: match[1], toolVersion: match[2] };
}

/** State of one pass over one file. */
class XunitReading {
  rootAttributes: Readonly<Record<string, string>> = {};
  firstAssembly: Readonly<Record<string, string>> | undefined;
  assemblyCount = 0;
  assembly: string | undefined;
  /** The enclosing v1 `class`, whose name v1 tests may leave out. */
  className: string | undefined;

  constructor(readonly file: string) {}

  testCase(element: XmlElement): RawTestCase {
    const { attributes } = element;
    const name = nonBlank(attributes.name);
    if (name === undefined) throw parseError(this.file, "not a valid xUnit.net report: a <test> has no name");
    const status = statusOf(attributes.result);
    const reason = childNamed(element, "reason");
    const properties = new PropertyBag();
    const tags: (string | undefined)[] = [];
    for (const trait of childrenNamed(childNamed(element, "traits") ?? element, "trait")) {
      const { name: key, value } = trait.attributes;
      properties.add(key, value ?? "");
      if (key?.trim().toLowerCase() === "category") tags.push(value);
    }
    const attempt: RawAttempt = definedFields({
      status,
      durationMs: secondsToMs(attributes.time),
      failure: status === "failed" || status === "error" ? failureOf(childNamed(element, "failure")) : undefined,
      skipReason:
        status === "skipped" && reason !== undefined
          ? (childText(reason, "message") ?? nonBlank(reason.text))
          : undefined,
      stdout: childText(element, "output"),
    });
    const className = nonBlank(attributes.type) ?? this.className;
    return definedFields({
      kind: "case" as const,
      suite: className === undefined ? [] : [className],
      className,
      name,
      file: nonBlank(attributes["source-file"]),
      line: lineOf(attributes["source-line"]),
      attempts: [attempt] as const,
      properties: withAssembly(this.assembly, properties.toRecord()),
      tags: distinctTags(tags),
    });
  }

  /** An assembly-, collection-, class- or test-level cleanup failure, or a fatal runner error. */
  error(element: XmlElement): RawSuiteFailure | undefined {
    const type = nonBlank(element.attributes.type);
    const suite = nonBlank(element.attributes.name) ?? this.assembly ?? type;
    if (suite === undefined) return undefined;
    return definedFields({
      kind: "suite-failure" as const,
      suite: [suite] as [string],
      failure: failureOf(childNamed(element, "failure")) ?? {},
      status: type === "fatal" ? ("error" as const) : ("failed" as const),
    });
  }

  /** xUnit.net v1: a class whose fixture or constructor failed. */
  classFailure(element: XmlElement): RawSuiteFailure | undefined {
    const suite = this.className ?? this.assembly;
    if (suite === undefined) return undefined;
    return {
      kind: "suite-failure",
      suite: [suite],
      failure: failureOf(element) ?? {},
      status: "failed",
    };
  }

  report(): RawReportInfo {
    const root = this.rootAttributes;
    const first = this.firstAssembly ?? {};
    const single = this.assemblyCount === 1;
    const startedAt =
      isoTimestamp(root["start-rtf"]) ??
      isoTimestamp(first["start-rtf"]) ??
      joinDateTime(first["run-date"], first["run-time"]);
    const properties = new PropertyBag();
    properties.add("environment", nonBlank(first.environment));
    properties.add("target-framework", nonBlank(first["target-framework"]));
    return definedFields({
      kind: "report" as const,
      ...toolOf(first["test-framework"]),
      startedAt,
      durationMs:
        elapsedMs(isoTimestamp(root["start-rtf"]), isoTimestamp(root["finish-rtf"])) ??
        (single ? secondsToMs(first.time) : undefined),
      hostname: nonBlank(root.computer),
      properties: properties.toRecord(),
    });
  }
}

function visitor(reading: XunitReading): XmlVisitor {
  return {
    collect(name, path) {
      const parent = path[path.length - 1];
      if (parent === undefined) return false;
      if (name === "test") return parent === "collection" || parent === "class" || parent === "assembly";
      if (name === "error") return parent === "errors";
      return name === "failure" && parent === "class";
    },
    open(name, attributes, path) {
      if (path.length === 0) {
        if (name !== "assemblies" && name !== "assembly") {
          throw parseError(
            reading.file,
            `not an xUnit.net report: the root element is <${name}>, expected <assemblies> or <assembly>`,
          );
        }
        reading.rootAttributes = attributes;
      }
      if (name === "assembly") {
        reading.assemblyCount++;
        reading.firstAssembly ??= attributes;
        reading.assembly = nonBlank(attributes.name);
      } else if (name === "class") {
        reading.className = nonBlank(attributes.name);
      }
    },
    close(name) {
      if (name === "class") reading.className = undefined;
      if (name === "assembly") reading.assembly = undefined;
    },
    element(element) {
      if (element.name === "test") return reading.testCase(element);
      if (element.name === "error") return reading.error(element);
      return reading.classFailure(element);
    },
    end: () => reading.report(),
  };
}

/** Parser of xUnit.net XML reports (`-xml` of the v2/v3 console and MSBuild runners; v1 read too). */
export const xunitXmlParser: ResultParser = {
  format: "xunit-xml",
  description: "xUnit.net XML (xunit.console -xml, v2/v3 runners)",
  matches(sniff: ReportSniff): boolean {
    if (sniff.syntax !== "xml" || sniff.xmlNamespace !== undefined) return false;
    if (sniff.xmlRoot === "assemblies") return true;
    // A bare `assembly` root is also, say, a Maven assembly descriptor: ask for xUnit's own attributes or children.
    return (
      sniff.xmlRoot === "assembly" &&
      (/<assembly\b[^>]*\s(?:test-framework|run-date|run-time)\s*=/.test(sniff.head) ||
        /<(?:collection|class)\b[^>]*>/.test(sniff.head))
    );
  },
  async parse(source: ReportSource, sink: RawRecordSink): Promise<void> {
    await visitXml(source, visitor(new XunitReading(source.path)), sink);
  },
};
