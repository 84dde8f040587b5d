import { z } from "zod";
import { parseError } from "../../domain/errors.js";
import type { TestStatus } from "../../domain/test-status.js";
import { parseJsonLine, readLines } from "../line-stream.js";
import type { ReportSniff, ReportSource, ResultParser } from "../parser.js";
import type { RawAttempt, RawFailure, RawRecordSink, RawReportInfo, RawTestCase } from "../raw-records.js";

/*
 * The JSON reporter of Dart's package:test (`dart test --reporter json`, `flutter test --machine`
 * writes the same events): one event per line, in the order things happen.
 *
 *   start      { protocolVersion, runnerVersion, pid }
 *   suite      { suite: { id, platform, path } }                  one per test file
 *   group      { group: { id, suiteID, parentID, name, line, url } }
 *   testStart  { test: { id, name, suiteID, groupIDs, metadata { skip, skipReason }, line, url, root_line, root_url } }
 *   print      { testID, messageType: print | skip, message }
 *   error      { testID, error, stackTrace, isFailure }
 *   testDone   { testID, result: success | failure | error, skipped, hidden }
 *   done       { success }                                          `time` is milliseconds since start
 *
 * Names are cumulative: a group's name starts with its parent's, a test's with its group's. The
 * runner also reports tests of its own: `loading <file>` (the file failed to load when it fails)
 * and `(setUpAll)` / `(tearDownAll)` (a suite-level hook); these are hidden when they pass.
 */

const nullableString = z.string().nullable().optional().catch(undefined);
const nullableNumber = z.number().nullable().optional().catch(undefined);

const eventSchema = z.looseObject({ type: z.string(), time: z.number().optional().catch(undefined) });

const startSchema = z.looseObject({ protocolVersion: nullableString, runnerVersion: nullableString });

const suiteSchema = z.looseObject({
  suite: z.looseObject({ id: z.number(), platform: nullableString, path: nullableString }),
});

const groupSchema = z.looseObject({
  group: z.looseObject({ id: z.number(), parentID: nullableNumber, name: nullableString }),
});

const testStartSchema = z.looseObject({
  test: z.looseObject({
    id: z.number(),
    name: z.string().catch(""),
    suiteID: nullableNumber,
    groupIDs: z.array(z.number()).optional().catch(undefined),
    metadata: z
      .looseObject({ skip: z.boolean().optional().catch(undefined), skipReason: nullableString })
      .optional()
      .catch(undefined),
    line: nullableNumber,
    root_line: nullableNumber,
  }),
});

const printSchema = z.looseObject({ testID: z.number(), messageType: nullableString, message: z.string().catch("") });

const errorSchema = z.looseObject({
  testID: z.number(),
  error: z.string().catch(""),
  stackTrace: nullableString,
  isFailure: z.boolean().optional().catch(undefined),
});

const testDoneSchema = z.looseObject({
  testID: z.number(),
  result: z.string().catch("error"),
  skipped: z.boolean().optional().catch(undefined),
  hidden: z.boolean().optional().catch(undefined),
});

/** Captured prints are kept up to this many characters per test: enough for any log worth reading. */
const MAX_OUTPUT = 1024 * 1024;

const KNOWN_TYPES = new Set([
  "start",
  "allSuites",
  "suite",
  "debug",
  "group",
  "testStart",
  "print",
  "error",
  "testDone",
  "done",
]);

interface Group {
  readonly parentID: number | undefined;
  /** The name as the reporter gives it: the parent's name, a space, then the group's own. */
  readonly fullName: string;
}

interface Suite {
  readonly path?: string;
  readonly platform?: string;
}

interface RunningTest {
  readonly name: string;
  readonly suiteID: number | undefined;
  readonly groupIDs: readonly number[];
  readonly line: number | undefined;
  readonly skipReason: string | undefined;
  readonly startTime: number | undefined;
  readonly errors: { error: string; stackTrace?: string; isFailure?: boolean }[];
  output: string;
  skipMessage: string | undefined;
}

/** What the reporter itself adds around the user's tests. */
type Synthetic = "loading" | "hook" | undefined;

function syntheticKind(test: RunningTest): Synthetic {
  if (test.groupIDs.length === 0 && test.name.startsWith("loading ")) return "loading";
  // A group's hooks are named after it: `database (setUpAll)`.
  if (/(?:^|\s)\((?:setUpAll|tearDownAll)\)$/.test(test.name)) return "hook";
  return undefined;
}

function statusOf(result: string, skipped: boolean | undefined): TestStatus {
  if (result === "success") return skipped === true ? "skipped" : "passed";
  if (result === "failure") return "failed";
  return "error";
}

function failureOf(errors: RunningTest["errors"]): RawFailure | undefined {
  const [first, ...rest] = errors;
  if (first === undefined) return undefined;
  const message = first.error.trim();
  // package:test sets isFailure exactly when the error is its TestFailure (a failed expect()).
  const type =
    first.isFailure === true
      ? "TestFailure"
      : /^([A-Z]\w*(?:Exception|Error)|Exception|Error)\b(?::|\s+after\b)/.exec(message)?.[1];
  const stacks = [
    first.stackTrace?.trimEnd() ?? "",
    ...rest.map((more) => `${more.error.trim()}\n${more.stackTrace?.trimEnd() ?? ""}`),
  ];
  const stack = stacks
    .map((part) => part.trimEnd())
    .filter((part) => part !== "")
    .join("\n\n");
  return {
    ...(type === undefined ? {} : { type }),
    ...(message === "" ? {} : { message }),
    ...(stack === "" ? {} : { stack }),
  };
}

/** Reads one Dart JSON reporter stream, emitting each test as its `testDone` arrives. */
class DartJsonReader {
  private readonly suites = new Map<number, Suite>();
  private readonly groups = new Map<number, Group>();
  private readonly running = new Map<number, RunningTest>();
  private info: { runnerVersion?: string; protocolVersion?: string; durationMs?: number } = {};
  private events = 0;

  constructor(
    private readonly path: string,
    private readonly sink: RawRecordSink,
  ) {}

  async event(value: unknown, line: number): Promise<void> {
    const base = eventSchema.safeParse(value);
    if (!base.success) throw parseError(this.path, "not a Dart JSON reporter event: missing type", { line });
    if (!KNOWN_TYPES.has(base.data.type)) return;
    this.events++;
    switch (base.data.type) {
      case "start":
        this.start(this.read(startSchema, value, line));
        return;
      case "suite":
        this.suite(this.read(suiteSchema, value, line));
        return;
      case "group":
        this.group(this.read(groupSchema, value, line));
        return;
      case "testStart":
        this.testStart(this.read(testStartSchema, value, line), base.data.time);
        return;
      case "print":
        this.print(this.read(printSchema, value, line));
        return;
      case "error":
        this.error(this.read(errorSchema, value, line));
        return;
      case "testDone":
        await this.testDone(this.read(testDoneSchema, value, line), base.data.time);
        return;
      case "done":
        if (base.data.time !== undefined) this.info = { ...this.info, durationMs: base.data.time };
        return;
      default:
        return;
    }
  }

  async end(): Promise<void> {
    if (this.events === 0) throw parseError(this.path, "not a Dart JSON reporter stream: no events");
    // Tests that started and never finished: the runner died under them.
    for (const [id, test] of this.running) await this.finish(id, test, "error", undefined, undefined);
    const { runnerVersion, protocolVersion, durationMs } = this.info;
    const info: RawReportInfo = {
      kind: "report",
      ...(runnerVersion === undefined ? {} : { tool: "package:test", toolVersion: runnerVersion }),
      ...(durationMs === undefined ? {} : { durationMs }),
      ...(protocolVersion === undefined ? {} : { properties: { protocolVersion } }),
    };
    if (Object.keys(info).length > 1) await this.sink.emit(info);
  }

  private read<T extends z.ZodType>(schema: T, value: unknown, line: number): z.infer<T> {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") ?? "";
    throw parseError(this.path, `malformed Dart JSON reporter event: ${where}: ${issue?.message ?? "invalid"}`, {
      line,
    });
  }

  private start(event: z.infer<typeof startSchema>): void {
    this.info = {
      ...this.info,
      ...(event.runnerVersion == null ? {} : { runnerVersion: event.runnerVersion }),
      ...(event.protocolVersion == null ? {} : { protocolVersion: event.protocolVersion }),
    };
  }

  private suite({ suite }: z.infer<typeof suiteSchema>): void {
    this.suites.set(suite.id, {
      ...(suite.path == null ? {} : { path: suite.path }),
      ...(suite.platform == null ? {} : { platform: suite.platform }),
    });
  }

  private group({ group }: z.infer<typeof groupSchema>): void {
    this.groups.set(group.id, { parentID: group.parentID ?? undefined, fullName: group.name ?? "" });
  }

  private testStart({ test }: z.infer<typeof testStartSchema>, time: number | undefined): void {
    this.running.set(test.id, {
      name: test.name,
      suiteID: test.suiteID ?? undefined,
      groupIDs: test.groupIDs ?? [],
      // `line` is in `url`, which for Flutter's testWidgets is flutter_test's own file; `root_line` is in the test file.
      line: test.root_line ?? test.line ?? undefined,
      skipReason: test.metadata?.skipReason ?? undefined,
      startTime: time,
      errors: [],
      output: "",
      skipMessage: undefined,
    });
  }

  private print(event: z.infer<typeof printSchema>): void {
    const test = this.running.get(event.testID);
    if (test === undefined) return;
    if (event.messageType === "skip") {
      test.skipMessage = event.message.replace(/^Skip:\s*/, "");
      return;
    }
    if (test.output.length >= MAX_OUTPUT) return;
    const joined = test.output === "" ? event.message : `${test.output}\n${event.message}`;
    test.output = joined.length > MAX_OUTPUT ? joined.slice(0, MAX_OUTPUT) : joined;
  }

  private error(event: z.infer<typeof errorSchema>): void {
    const test = this.running.get(event.testID);
    // An error after testDone belongs to a test already emitted: there is nothing left to attach it to.
    if (test === undefined) return;
    test.errors.push({
      error: event.error,
      ...(event.stackTrace == null ? {} : { stackTrace: event.stackTrace }),
      ...(event.isFailure === undefined ? {} : { isFailure: event.isFailure }),
    });
  }

  private async testDone(event: z.infer<typeof testDoneSchema>, time: number | undefined): Promise<void> {
    const test = this.running.get(event.testID);
    if (test === undefined) return;
    await this.finish(event.testID, test, statusOf(event.result, event.skipped), event.hidden, time);
  }

  private async finish(
    id: number,
    test: RunningTest,
    status: TestStatus,
    hidden: boolean | undefined,
    time: number | undefined,
  ): Promise<void> {
    this.running.delete(id);
    const suite = test.suiteID === undefined ? undefined : this.suites.get(test.suiteID);
    const synthetic = syntheticKind(test);
    const failing = status === "failed" || status === "error";
    if (synthetic !== undefined || hidden === true) {
      if (failing) await this.suiteFailure(test, suite, synthetic, status);
      return;
    }
    const { suitePath, innermost } = this.groupPath(test.groupIDs);
    const name =
      innermost !== "" && test.name.startsWith(`${innermost} `) ? test.name.slice(innermost.length + 1) : test.name;
    const skipReason = status === "skipped" ? (test.skipReason ?? test.skipMessage) : undefined;
    const failure = failing ? failureOf(test.errors) : undefined;
    const durationMs =
      time !== undefined && test.startTime !== undefined && time >= test.startTime ? time - test.startTime : undefined;
    const attempt: RawAttempt = {
      status,
      ...(durationMs === undefined ? {} : { durationMs }),
      ...(failure === undefined ? {} : { failure }),
      ...(skipReason === undefined || skipReason === "" ? {} : { skipReason }),
      ...(test.output === "" ? {} : { stdout: test.output }),
    };
    const record: RawTestCase = {
      kind: "case",
      suite: suitePath,
      name,
      ...(suite?.path === undefined ? {} : { file: suite.path }),
      ...(test.line === undefined ? {} : { line: test.line }),
      attempts: [attempt],
      ...(suite?.platform === undefined ? {} : { properties: { platform: suite.platform } }),
    };
    await this.sink.emit(record);
  }

  private async suiteFailure(
    test: RunningTest,
    suite: Suite | undefined,
    synthetic: Synthetic,
    status: TestStatus,
  ): Promise<void> {
    const { suitePath } = this.groupPath(test.groupIDs);
    const first = suitePath[0] ?? suite?.path ?? test.name;
    const failure = failureOf(test.errors) ?? {};
    await this.sink.emit({
      kind: "suite-failure",
      suite: [first, ...suitePath.slice(1)],
      ...(suite?.path === undefined ? {} : { file: suite.path }),
      failure,
      // A file that does not load never ran; a failing setUpAll/tearDownAll is a failing hook.
      status: synthetic === "hook" || (synthetic === undefined && status === "failed") ? "failed" : "error",
      ...(test.output === "" ? {} : { stdout: test.output }),
    });
  }

  /** The named groups a test is in, outermost first, each without its parent's prefix. */
  private groupPath(groupIDs: readonly number[]): { suitePath: string[]; innermost: string } {
    const suitePath: string[] = [];
    let parentName = "";
    for (const id of groupIDs) {
      const group = this.groups.get(id);
      if (group === undefined || group.fullName === "") continue;
      const own =
        parentName !== "" && group.fullName.startsWith(`${parentName} `)
          ? group.fullName.slice(parentName.length + 1)
          : group.fullName;
      suitePath.push(own);
      parentName = group.fullName;
    }
    return { suitePath, innermost: parentName };
  }
}

function isDartEvent(value: unknown): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const event = value as Record<string, unknown>;
  if (typeof event.type !== "string" || !KNOWN_TYPES.has(event.type)) return false;
  if (event.type === "start") return "protocolVersion" in event;
  return (
    "suite" in event ||
    "test" in event ||
    "testID" in event ||
    "group" in event ||
    "count" in event ||
    "success" in event
  );
}

/** Parser of Dart/Flutter's JSON reporter stream (`dart test --reporter json`, `flutter test --machine`). */
export const dartJsonParser: ResultParser = {
  format: "dart-json",
  description: "Dart/Flutter JSON reporter (dart test --reporter json, flutter test --machine)",
  matches(sniff: ReportSniff): boolean {
    if (sniff.syntax !== "ndjson" && sniff.syntax !== "json") return false;
    return isDartEvent(sniff.firstJsonLine);
  },
  async parse(source: ReportSource, sink: RawRecordSink): Promise<void> {
    const reader = new DartJsonReader(source.path, sink);
    for await (const line of readLines(source)) {
      const text = line.text.trim();
      // Flutter's tool may print plain progress lines around the events.
      if (!text.startsWith("{")) continue;
      await reader.event(parseJsonLine(source.path, line), line.number);
    }
    await reader.end();
  },
};
