import { parseError } from "../../domain/errors.js";
import type { ReportSniff, ResultParser } from "../parser.js";
import type { RawReportInfo, RawSuiteFailure } from "../raw-records.js";
import { MAX_XML_TEXT, visitXml } from "../xml-stream.js";
import type { Emitted, XmlElement, XmlVisitor } from "../xml-stream.js";
import { suiteFailureOf, suiteOutputOf, testCaseRecord } from "./junit-xml-testcase.js";
import { addProperties, isoTimestamp, nonBlank, secondsToMs } from "./junit-xml-values.js";

const ROOTS = new Set(["testsuites", "testsuite"]);

/** Direct children of a `<testsuite>` collected whole; everything else under it streams. */
const SUITE_CHILDREN = new Set(["properties", "system-out", "system-err", "error", "failure"]);

/** Report-level properties kept at most, so that a report of a million suites stays in bounded memory. */
const MAX_REPORT_PROPERTIES = 1000;

/** Root `name` attributes that tools write by default. */
const TOOL_BY_ROOT_NAME = new Map([
  ["jest tests", "jest"],
  ["vitest tests", "vitest"],
  ["pytest tests", "pytest"],
  ["mocha tests", "mocha"],
  ["alltests", "googletest"],
]);

/** An open `<testsuite>`: what its testcases inherit, and what its own failure record needs. */
interface SuiteFrame {
  /** The name this suite contributes to the suite path; `undefined` for an unnamed suite. */
  readonly name: string | undefined;
  readonly file: string | undefined;
  readonly durationMs: number | undefined;
  readonly failures: XmlElement[];
  readonly stdout: string[];
  readonly stderr: string[];
}

const JAVA_PACKAGE = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

/**
 * The suite name a `<testsuite>` contributes. Ant's aggregated report (`junitreport`) splits
 * `example.MathTest` into `package="example"` and `name="MathTest"` (with an `id`); joining
 * them gives the same suite as the per-class report. Only that shape is joined: other writers
 * put a file path or an assembly in `package` (.NET's JunitXml.TestLogger, Karma) next to a
 * complete name. CTest writes `(empty)` for a missing build name, which is no name at all.
 */
function suiteNameOf(attributes: Readonly<Record<string, string>>): string | undefined {
  const name = nonBlank(attributes.name);
  if (name === undefined || name === "(empty)") return undefined;
  const pkg = attributes.package ?? "";
  if (attributes.id !== undefined && JAVA_PACKAGE.test(pkg) && !name.includes(".")) return `${pkg}.${name}`;
  return name;
}

function appendBounded(parts: string[], text: string | undefined): void {
  if (text === undefined) return;
  const used = parts.reduce((sum, part) => sum + part.length, 0);
  if (used < MAX_XML_TEXT) parts.push(text.slice(0, MAX_XML_TEXT - used));
}

/**
 * Walks one JUnit XML document: `<testsuites>`/`<testsuite>` stream past as open/close
 * events (keeping a stack of suite frames), each `<testcase>` arrives whole and is emitted at
 * once, and suite-level `properties`, output and `<error>`/`<failure>` are collected whole.
 */
class JunitXmlVisitor implements XmlVisitor {
  private readonly frames: SuiteFrame[] = [];
  private readonly reportProperties: Record<string, string> = {};
  private reportPropertyCount = 0;
  private rootName: string | undefined;
  private rootHasId = false;
  private startedAt: string | undefined;
  private durationMs: number | undefined;
  private hostname: string | undefined;
  private tool: string | undefined;
  private toolVersion: string | undefined;
  private pytest = false;
  /** Top-level suites under a `<testsuites>` root, for a root that gives no start or duration itself. */
  private topLevelSuites = 0;
  private topLevelDurationMs: number | undefined;
  private earliestTopLevelStart: { iso: string; epoch: number } | undefined;

  constructor(private readonly file: string) {}

  collect(name: string, path: readonly string[]): boolean {
    if (path.length === 0) {
      if (!ROOTS.has(name)) {
        throw parseError(
          this.file,
          `not a JUnit XML report: the root element is <${name}>, expected <testsuites> or <testsuite>`,
        );
      }
      return false;
    }
    if (name === "testcase") return true;
    const parent = path[path.length - 1];
    if (parent === "testsuite") return SUITE_CHILDREN.has(name);
    return parent === "testsuites" && name === "properties";
  }

  open(name: string, attributes: Readonly<Record<string, string>>, path: readonly string[]): Emitted {
    if (path.length === 0) this.openRoot(name, attributes);
    if (name !== "testsuite") return;
    const parent = this.frames[this.frames.length - 1];
    const frameName = suiteNameOf(attributes);
    // pytest names its one suite "pytest": the root before pytest 5.1, under <testsuites> since.
    if (frameName === "pytest" && (path.length === 0 || (path.length === 1 && path[0] === "testsuites"))) {
      this.pytest = true;
      this.detect("pytest");
    }
    if (nonBlank(attributes.noNamespaceSchemaLocation)?.includes("surefire") === true) this.detect("maven-surefire");
    this.hostname ??= nonBlank(attributes.hostname);
    if (path.length === 1) this.noteTopLevelSuite(attributes);
    this.cachedSuitePath = undefined;
    this.frames.push({
      name: frameName,
      file: nonBlank(attributes.file) ?? nonBlank(attributes.filepath) ?? parent?.file,
      durationMs: secondsToMs(attributes.time),
      failures: [],
      stdout: [],
      stderr: [],
    });
  }

  close(name: string): Emitted {
    if (name !== "testsuite") return;
    this.cachedSuitePath = undefined;
    const frame = this.frames.pop();
    if (frame === undefined || frame.failures.length === 0) return;
    const suite = this.suiteFailurePath(frame);
    if (suite === undefined) return;
    const stdout = frame.stdout.length === 0 ? undefined : frame.stdout.join("\n");
    const stderr = frame.stderr.length === 0 ? undefined : frame.stderr.join("\n");
    return frame.failures.map((element): RawSuiteFailure => {
      const { status, failure } = suiteFailureOf(element);
      return {
        kind: "suite-failure",
        suite,
        ...(frame.file === undefined ? {} : { file: frame.file }),
        failure,
        status,
        ...(frame.durationMs === undefined ? {} : { durationMs: frame.durationMs }),
        ...(stdout === undefined ? {} : { stdout }),
        ...(stderr === undefined ? {} : { stderr }),
      };
    });
  }

  element(element: XmlElement): Emitted {
    if (element.name === "testcase") {
      const frame = this.frames[this.frames.length - 1];
      const record = testCaseRecord(element, {
        path: this.file,
        suite: this.suitePath(),
        ...(frame?.file === undefined ? {} : { file: frame.file }),
        zeroBasedLines: this.pytest,
      });
      this.detectFromTestCase(element);
      return record;
    }
    if (element.name === "properties") {
      this.addReportProperties(element);
      return;
    }
    // Only direct children of a <testsuite> are collected besides testcases and properties.
    const frame = this.frames[this.frames.length - 1];
    if (frame === undefined) return;
    if (element.name === "system-out") appendBounded(frame.stdout, suiteOutputOf(element));
    else if (element.name === "system-err") appendBounded(frame.stderr, suiteOutputOf(element));
    else frame.failures.push(element);
  }

  end(): Emitted {
    const hasProperties = this.reportPropertyCount > 0;
    // pytest, Vitest and go-junit-report time their suites, not the <testsuites> root.
    this.startedAt ??= this.earliestTopLevelStart?.iso;
    if (this.topLevelSuites === 1) this.durationMs ??= this.topLevelDurationMs;
    const info: RawReportInfo = {
      kind: "report",
      ...(this.tool === undefined ? {} : { tool: this.tool }),
      ...(this.toolVersion === undefined ? {} : { toolVersion: this.toolVersion }),
      ...(this.startedAt === undefined ? {} : { startedAt: this.startedAt }),
      ...(this.durationMs === undefined ? {} : { durationMs: this.durationMs }),
      ...(this.hostname === undefined ? {} : { hostname: this.hostname }),
      ...(hasProperties ? { properties: this.reportProperties } : {}),
    };
    return Object.keys(info).length > 1 ? info : undefined;
  }

  private openRoot(name: string, attributes: Readonly<Record<string, string>>): void {
    this.rootName = nonBlank(attributes.name);
    this.rootHasId = attributes.id !== undefined;
    this.startedAt = isoTimestamp(attributes.timestamp);
    this.durationMs = secondsToMs(attributes.time);
    this.hostname = nonBlank(attributes.hostname);
    const tool = TOOL_BY_ROOT_NAME.get(this.rootName?.trim().toLowerCase() ?? "");
    if (tool !== undefined && name === "testsuites") this.detect(tool);
    if (tool === "pytest") this.pytest = true;
  }

  private noteTopLevelSuite(attributes: Readonly<Record<string, string>>): void {
    this.topLevelSuites++;
    this.topLevelDurationMs = secondsToMs(attributes.time);
    const iso = isoTimestamp(attributes.timestamp);
    const epoch = iso === undefined ? Number.NaN : Date.parse(iso);
    if (iso !== undefined && !(this.earliestTopLevelStart !== undefined && this.earliestTopLevelStart.epoch <= epoch)) {
      this.earliestTopLevelStart = { iso, epoch };
    }
  }

  /** The suite path of the innermost open suite: the names of the nested `<testsuite>` elements. */
  /** The names of the open suites; cached, because every testcase of a suite shares it (records never mutate it). */
  private cachedSuitePath: string[] | undefined;

  private suitePath(): string[] {
    this.cachedSuitePath ??= this.frames.flatMap((frame) => (frame.name === undefined ? [] : [frame.name]));
    return this.cachedSuitePath;
  }

  /**
   * The suite a suite-level failure belongs to. An unnamed suite (nette tester writes none)
   * falls back to its file, then to the root's name; with none of these there is nothing to
   * attach the failure to, and it is dropped rather than filed under an invented name.
   */
  private suiteFailurePath(frame: SuiteFrame): [string, ...string[]] | undefined {
    const path = [...this.suitePath(), ...(frame.name === undefined ? [] : [frame.name])];
    const [first, ...rest] = path;
    if (first !== undefined) return [first, ...rest];
    if (frame.file !== undefined) return [frame.file];
    if (this.rootName !== undefined) return [this.rootName];
    return undefined;
  }

  private addReportProperties(element: XmlElement): void {
    const properties: Record<string, string> = {};
    addProperties(element, properties);
    for (const [key, value] of Object.entries(properties)) {
      if (key === "go.version") {
        // go-junit-report and gotestsum record the Go toolchain, e.g. "go1.19.8 linux/amd64".
        this.detect("go", /^go(\S+)/.exec(value)?.[1]);
      }
      // The first suite to set a property wins: later suites mostly repeat the same environment.
      if (key in this.reportProperties || this.reportPropertyCount >= MAX_REPORT_PROPERTIES) continue;
      this.reportProperties[key] = value;
      this.reportPropertyCount++;
    }
  }

  private detectFromTestCase(element: XmlElement): void {
    if (this.tool !== undefined) return;
    const { attributes } = element;
    // Playwright titles join describe blocks with " › " and its root carries an `id` attribute.
    if (this.rootHasId && attributes.name?.includes(" › ") === true) this.detect("playwright");
    // PHPUnit alone writes both the PHP class (`class`) and an `assertions` count on each testcase.
    else if (attributes.class !== undefined && attributes.assertions !== undefined) this.detect("phpunit");
  }

  private detect(tool: string, version?: string): void {
    if (this.tool !== undefined) return;
    this.tool = tool;
    if (version !== undefined) this.toolVersion = version;
  }
}

/**
 * JUnit XML, in the dialects of the tools that write it: Maven Surefire/Failsafe (with
 * `flakyFailure`/`rerunFailure` retries), Gradle, Ant, pytest, Jest (jest-junit), Vitest,
 * Playwright, mocha-junit-reporter, node:test, go-junit-report, gotestsum, PHPUnit, CTest,
 * GoogleTest, nette tester, Swift. Streams the document, so reports of any size are read in
 * bounded memory.
 */
export const junitXmlParser: ResultParser = {
  format: "junit-xml",
  description: "JUnit XML (Surefire, Gradle, Ant, pytest, jest-junit, Vitest, Playwright, Go, PHPUnit, CTest, ...)",
  matches(sniff: ReportSniff): boolean {
    return sniff.syntax === "xml" && sniff.xmlRoot !== undefined && ROOTS.has(sniff.xmlRoot);
  },
  async parse(source, sink): Promise<void> {
    await visitXml(source, new JunitXmlVisitor(source.path), sink);
  },
};
