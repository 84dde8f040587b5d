import { parseError } from "../../domain/errors.js";
import type { TestStatus } from "../../domain/test-status.js";
import type { ReportSniff, ReportSource, ResultParser } from "../parser.js";
import type { RawAttempt, RawFailure, RawRecord, RawRecordSink, RawReportInfo, RawTestCase } from "../raw-records.js";
import { childNamed, childrenNamed, visitXml, type XmlElement, type XmlVisitor } from "../xml-stream.js";
import {
  childText,
  definedFields,
  distinctTags,
  elapsedMs,
  isoTimestamp,
  nonBlank,
  PropertyBag,
  timeSpanToMs,
  withoutPrefix,
} from "./dotnet-xml.js";

/*
 * Visual Studio TRX (vstst.xsd, namespace http://microsoft.com/schemas/VisualStudio/TeamTest/2010),
 * as written by vstest's TrxLogger, MSTest and Microsoft.Testing.Platform:
 *
 *   TestRun
 *     Times@start/@finish
 *     Results/{UnitTestResult|WebTestResult|TestResultAggregation|...}
 *       @testId @testName @outcome @duration @startTime @computerName
 *       Output/{StdOut,StdErr,ErrorInfo/{Message,StackTrace}}
 *       InnerResults/{...same...}          data rows, ordered-test steps
 *     TestDefinitions/{UnitTest|WebTest|OrderedTest|...}
 *       @id @storage @priority, TestMethod@className, TestCategory/TestCategoryItem@TestCategory,
 *       Owners/Owner@name, Properties/Property/{Key,Value}
 *     ResultSummary@outcome
 *
 * A result's class lives in its definition, and writers put TestDefinitions after Results.
 * Rather than hold every result until the definitions arrive, the file is read twice: the first
 * pass keeps only the definitions (interned, so a million tests of a few classes cost a map of
 * ids), the second streams the results. When the definitions come first, one pass does it all.
 */

/** What a result takes from its test definition. */
interface TestDefinition {
  readonly className?: string;
  readonly properties?: Readonly<Record<string, string>>;
  readonly tags?: readonly string[];
}

/** Outcomes of vstst.xsd's TestOutcome (plus Azure DevOps' extras) and what they mean here. */
const OUTCOMES: Readonly<Record<string, TestStatus>> = {
  passed: "passed",
  passedbutrunaborted: "passed",
  completed: "passed",
  // "To be used by run-level results. This is not a failure." (TrxLogger's TestOutcome)
  warning: "passed",
  failed: "failed",
  timeout: "failed",
  error: "error",
  aborted: "error",
  inprogress: "error",
  notrunnable: "error",
  notexecuted: "skipped",
  inconclusive: "skipped",
  pending: "skipped",
  disconnected: "skipped",
  notapplicable: "skipped",
  notimpacted: "skipped",
  blocked: "skipped",
  paused: "skipped",
  none: "skipped",
};

function statusOf(outcome: string | undefined): TestStatus {
  // TrxLogger omits @outcome when it is the enum's default, Error.
  if (outcome === undefined) return "error";
  // An outcome this parser has never heard of is not evidence of a pass.
  return OUTCOMES[outcome.trim().toLowerCase()] ?? "error";
}

function isResultElement(name: string): boolean {
  return name.endsWith("Result") || name === "TestResultAggregation";
}

/** `Namespace.Class, Assembly, Version=...` (VS 2010 TRX) as `Namespace.Class`; commas inside generic brackets stay. */
function withoutAssemblyQualification(className: string): string {
  let depth = 0;
  for (let i = 0; i < className.length; i++) {
    const ch = className[i];
    if (ch === "[") depth++;
    else if (ch === "]") depth--;
    else if (ch === "," && depth === 0) return className.slice(0, i).trim();
  }
  return className.trim();
}

function definitionOf(element: XmlElement): TestDefinition {
  const className = nonBlank(childNamed(element, "TestMethod")?.attributes.className);
  const properties = new PropertyBag();
  properties.add("assembly", nonBlank(element.attributes.storage));
  properties.add("priority", nonBlank(element.attributes.priority));
  for (const owner of childrenNamed(childNamed(element, "Owners") ?? element, "Owner")) {
    properties.add("owner", nonBlank(owner.attributes.name));
  }
  for (const property of childrenNamed(childNamed(element, "Properties") ?? element, "Property")) {
    properties.add(childText(property, "Key"), childNamed(property, "Value")?.text ?? "");
  }
  const categories = childrenNamed(childNamed(element, "TestCategory") ?? element, "TestCategoryItem");
  return definedFields({
    className: className === undefined ? undefined : withoutAssemblyQualification(className),
    properties: properties.toRecord(),
    tags: distinctTags(categories.map((item) => item.attributes.TestCategory)),
  });
}

function attemptOf(result: XmlElement, status: TestStatus, timedOut: boolean): RawAttempt {
  const output = childNamed(result, "Output");
  const errorInfo = output === undefined ? undefined : childNamed(output, "ErrorInfo");
  const message = errorInfo === undefined ? undefined : childText(errorInfo, "Message");
  const stack = errorInfo === undefined ? undefined : childText(errorInfo, "StackTrace");
  const failing = status === "failed" || status === "error";
  const failure: RawFailure | undefined =
    failing && (timedOut || message !== undefined || stack !== undefined)
      ? definedFields({ type: timedOut ? "Timeout" : undefined, message, stack })
      : undefined;
  return definedFields({
    status,
    durationMs: timeSpanToMs(result.attributes.duration),
    startedAt: isoTimestamp(result.attributes.startTime),
    failure,
    skipReason: status === "skipped" ? message : undefined,
    stdout: output === undefined ? undefined : childText(output, "StdOut"),
    stderr: output === undefined ? undefined : childText(output, "StdErr"),
  });
}

function caseOf(result: XmlElement, definition: TestDefinition | undefined, file: string): RawTestCase {
  const testName = nonBlank(result.attributes.testName);
  if (testName === undefined) {
    const { executionId, testId } = result.attributes;
    const which =
      executionId !== undefined
        ? ` with executionId ${executionId}`
        : testId !== undefined
          ? ` with testId ${testId}`
          : "";
    throw parseError(file, `not a valid TRX report: a <${result.name}>${which} has no testName`);
  }
  const outcome = result.attributes.outcome;
  const className = definition?.className;
  const attempt = attemptOf(result, statusOf(outcome), outcome?.trim().toLowerCase() === "timeout");
  return definedFields({
    kind: "case" as const,
    suite: className === undefined ? [] : [className],
    className,
    name: withoutPrefix(testName, className),
    attempts: [attempt] as const,
    properties: definition?.properties,
    tags: definition?.tags,
  });
}

/** Leaf results: a result with inner results (data rows, ordered-test steps) stands for them, not for a test. */
function leafResults(
  result: XmlElement,
  inherited: TestDefinition | undefined,
  definitions: DefinitionMap,
): LeafResult[] {
  const own = definitions.get(result.attributes.testId ?? "") ?? inherited;
  const inner = childNamed(result, "InnerResults")?.children.filter((child) => isResultElement(child.name)) ?? [];
  if (inner.length === 0) return [{ result, definition: own }];
  return inner.flatMap((child) => leafResults(child, own, definitions));
}

interface LeafResult {
  readonly result: XmlElement;
  readonly definition: TestDefinition | undefined;
}

type DefinitionMap = ReadonlyMap<string, TestDefinition>;

/** State shared by both passes over one file. */
class TrxReading {
  readonly definitions = new Map<string, TestDefinition>();
  readonly #interned = new Map<string, TestDefinition>();
  /** Ordinals of the `Results` sections the first pass let stream past, for the second to read. */
  readonly deferredResults = new Set<number>();
  definitionsComplete = false;
  startedAt: string | undefined;
  finishedAt: string | undefined;
  hostname: string | undefined;
  outcome: string | undefined;

  constructor(readonly file: string) {}

  addDefinition(element: XmlElement): void {
    const id = nonBlank(element.attributes.id);
    if (id === undefined) return;
    const definition = definitionOf(element);
    const key = JSON.stringify(definition);
    const shared = this.#interned.get(key) ?? definition;
    this.#interned.set(key, shared);
    this.definitions.set(id, shared);
  }

  records(result: XmlElement): RawRecord[] {
    this.hostname ??= nonBlank(result.attributes.computerName);
    return leafResults(result, undefined, this.definitions).map((leaf) =>
      caseOf(leaf.result, leaf.definition, this.file),
    );
  }

  report(): RawReportInfo {
    return definedFields({
      kind: "report" as const,
      startedAt: this.startedAt,
      durationMs: elapsedMs(this.startedAt, this.finishedAt),
      hostname: this.hostname,
      properties: this.outcome === undefined ? undefined : { outcome: this.outcome },
    });
  }
}

/**
 * Follows the `Results` sections of one pass in document order; `readNow` says, per section
 * ordinal, whether this pass collects its results or lets them stream past.
 */
class ResultsTracker {
  #ordinal = 0;
  #current = false;

  constructor(
    private readonly reading: TrxReading,
    private readonly readNow: (ordinal: number) => boolean,
  ) {}

  collects(name: string, path: readonly string[]): boolean {
    return this.#current && isResultElement(name) && isInResults(path);
  }

  open(name: string, attributes: Readonly<Record<string, string>>, path: readonly string[]): void {
    if (path.length === 1 && name === "Results") {
      this.#ordinal++;
      this.#current = this.readNow(this.#ordinal);
    } else if (isInResults(path)) {
      // A result streaming past unread still tells the report which machine ran it.
      this.reading.hostname ??= nonBlank(attributes.computerName);
    }
  }

  /** A collected result: the tracker collects nothing else. */
  element(element: XmlElement): RawRecord[] {
    return this.reading.records(element);
  }
}

function isInResults(path: readonly string[]): boolean {
  return path.length === 2 && path[1] === "Results";
}

function isInDefinitions(path: readonly string[]): boolean {
  return path.length === 2 && path[1] === "TestDefinitions";
}

function firstPass(reading: TrxReading): XmlVisitor {
  const results = new ResultsTracker(reading, (ordinal) => {
    if (reading.definitionsComplete) return true;
    reading.deferredResults.add(ordinal);
    return false;
  });
  return {
    collect: (name, path) => isInDefinitions(path) || results.collects(name, path),
    open(name, attributes, path) {
      if (path.length === 0 && name !== "TestRun") {
        throw parseError(reading.file, `not a TRX report: the root element is <${name}>, expected <TestRun>`);
      }
      if (path.length === 1 && name === "Times") {
        reading.startedAt = isoTimestamp(attributes.start);
        reading.finishedAt = isoTimestamp(attributes.finish);
      }
      if (path.length === 1 && name === "ResultSummary") reading.outcome = nonBlank(attributes.outcome);
      results.open(name, attributes, path);
    },
    close(name, path) {
      if (path.length === 1 && name === "TestDefinitions") reading.definitionsComplete = true;
    },
    element(element, path) {
      if (!isInDefinitions(path)) return results.element(element);
      reading.addDefinition(element);
      return undefined;
    },
    end: () => reading.report(),
  };
}

function secondPass(reading: TrxReading): XmlVisitor {
  const results = new ResultsTracker(reading, (ordinal) => reading.deferredResults.has(ordinal));
  return {
    collect: (name, path) => results.collects(name, path),
    open: (name, attributes, path) => results.open(name, attributes, path),
    element: (element) => results.element(element),
  };
}

/** Parser of Visual Studio TRX reports (vstest, MSTest, Microsoft.Testing.Platform `--report-trx`). */
export const dotnetTrxParser: ResultParser = {
  format: "dotnet-trx",
  description: "Visual Studio TRX (dotnet test --logger trx, MSTest, Microsoft.Testing.Platform)",
  matches(sniff: ReportSniff): boolean {
    return sniff.syntax === "xml" && sniff.xmlRoot === "TestRun";
  },
  async parse(source: ReportSource, sink: RawRecordSink): Promise<void> {
    const reading = new TrxReading(source.path);
    await visitXml(source, firstPass(reading), sink);
    if (reading.deferredResults.size > 0) await visitXml(source, secondPass(reading), sink);
  },
};
