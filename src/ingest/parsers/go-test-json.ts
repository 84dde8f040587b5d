import { z } from "zod";
import { parseError } from "../../domain/errors.js";
import type { TestStatus } from "../../domain/test-status.js";
import { parseJsonLine, readLines } from "../line-stream.js";
import type { ReportSniff, ReportSource, ResultParser } from "../parser.js";
import type { RawAttempt, RawFailure, RawRecordSink, RawTestCase } from "../raw-records.js";

/*
 * `go test -json` (cmd/test2json): one TestEvent per line,
 *
 *   { Time, Action, Package, Test, Elapsed (seconds), Output, FailedBuild }
 *   Action: start (1.20+) run pause cont pass fail skip bench output
 *
 * and, since Go 1.24, the build's own events { ImportPath, Action: build-output | build-fail, Output }.
 * Events of parallel tests and packages interleave. A test ends with pass/fail/skip (or bench, for a
 * benchmark that logged); the package ends with an event without Test. Subtests are tests named
 * `Parent/sub`, with their own run and end events; the parent is reported too.
 *
 * Older toolchains (and `2>&1`) put the compiler's errors in the stream as plain text:
 *
 *   # example.com/pkg [example.com/pkg.test]
 *   ./pkg_test.go:6:2: undefined: x
 *   FAIL	example.com/pkg [build failed]
 *
 * Memory stays bounded: a test is emitted when its last event arrives and then forgotten, and
 * captured output is capped per test and per package.
 */

const eventSchema = z.looseObject({
  Time: z.string().optional().catch(undefined),
  Action: z.string(),
  Package: z.string().optional().catch(undefined),
  Test: z.string().optional().catch(undefined),
  Elapsed: z.number().nonnegative().optional().catch(undefined),
  Output: z.string().optional().catch(undefined),
  ImportPath: z.string().optional().catch(undefined),
  FailedBuild: z.string().optional().catch(undefined),
});

type TestEvent = z.infer<typeof eventSchema>;

/** Output kept per test and per package: the start of a log says where it went wrong. */
const MAX_OUTPUT = 1024 * 1024;

/** Output that the go command and the testing package write around a test's own. */
const NOISE =
  /^(?:=== (?:RUN|PAUSE|CONT|NAME)\b|\s*--- (?:FAIL|PASS|SKIP|BENCH):|(?:FAIL|PASS|ok)(?:\s|$)|exit status \d+$|\?\s)/;
// `file_test.go:12: message` from t.Log/t.Error; compiler errors (`file.go:3:8: ...`) have a column and do not match.
const LOG_LINE = /^\s*([\w.\-/\\]+\.go):(\d+): (.*)$/;
const PANIC_LINE = /^panic: /;
const BUILD_FAILED = /^FAIL\s+(\S+)\s+\[(?:build|setup) failed\]\s*$/;

/** Captured text, cut off past a bound. */
class Output {
  private readonly parts: string[] = [];
  private size = 0;

  append(text: string): void {
    if (this.size >= MAX_OUTPUT) return;
    const room = MAX_OUTPUT - this.size;
    const part = text.length > room ? text.slice(0, room) : text;
    this.parts.push(part);
    this.size += part.length;
  }

  get empty(): boolean {
    return this.size === 0;
  }

  text(): string {
    return this.parts.join("");
  }
}

interface RunningTest {
  readonly output: Output;
  startedAt?: string;
}

interface RunningPackage {
  readonly output: Output;
  failingTests: number;
}

/** The lines of `text`, without the trailing empty one. */

/** Seconds to milliseconds, rounded to the nanosecond so that binary fractions do not show (0.079159625 s is 79.159625 ms). */
function secondsToMs(seconds: number): number {
  return Math.round(seconds * 1e9) / 1e6;
}

function linesOf(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** Removes the indentation that all non-blank lines share. */
function dedent(lines: readonly string[]): string {
  const indents = lines.filter((line) => line.trim() !== "").map(indentOf);
  const cut = indents.length === 0 ? 0 : Math.min(...indents);
  return lines
    .map((line) => line.slice(cut))
    .join("\n")
    .trim();
}

/** The message of the first `file_test.go:12: message` line that has one, with its continuation lines. */
function firstLogMessage(lines: readonly string[]): string | undefined {
  for (const [at, first] of lines.entries()) {
    const log = LOG_LINE.exec(first);
    if (log === null) continue;
    const indent = indentOf(first);
    const parts = [log[3] ?? ""];
    for (const line of lines.slice(at + 1)) {
      // t.Errorf indents the continuation lines of a multi-line message deeper than the first.
      if (LOG_LINE.test(line) || NOISE.test(line) || indentOf(line) <= indent) break;
      parts.push(line.trim());
    }
    const message = parts.join("\n").trim();
    if (message !== "") return message;
  }
  return undefined;
}

/** Why a test or package failed, read from its output; and whether it crashed rather than failed. */
function failureFromOutput(text: string): { failure: RawFailure; crashed: boolean } {
  const lines = linesOf(text).filter((line) => !NOISE.test(line));
  const panicAt = lines.findIndex((line) => PANIC_LINE.test(line));
  if (panicAt !== -1) {
    const message = (lines[panicAt] ?? "").replace(/\s*\[recovered\]\s*$/, "");
    return { failure: { type: "panic", message, stack: lines.slice(panicAt).join("\n").trim() }, crashed: true };
  }
  const message = firstLogMessage(lines) ?? lines.find((line) => line.trim() !== "" && !/^#\s/.test(line))?.trim();
  const stack = dedent(lines);
  return {
    failure: { ...(message === undefined ? {} : { message }), ...(stack === "" ? {} : { stack }) },
    crashed: false,
  };
}

/** The package of an ImportPath such as `example.com/pkg [example.com/pkg.test]`. */
function packageOfImportPath(importPath: string): string {
  return importPath.replace(/\s+\[.*\]$/, "");
}

/** Reads one `go test -json` stream. */
class GoTestJsonReader {
  private readonly tests = new Map<string, RunningTest>();
  private readonly packages = new Map<string, RunningPackage>();
  /** Build output by ImportPath (Go 1.24's build-output), and which of those builds failed. */
  private readonly builds = new Map<string, { output: Output; failed: boolean; reported: boolean }>();
  /** Plain-text compiler output by package, from `# pkg` headers, and packages with a plain `FAIL pkg [build failed]`. */
  private readonly plainBuilds = new Map<string, { output: Output; failed: boolean }>();
  private plainHeader: string | undefined;
  private events = 0;

  constructor(
    private readonly path: string,
    private readonly sink: RawRecordSink,
  ) {}

  async event(value: unknown, line: number): Promise<void> {
    const parsed = eventSchema.safeParse(value);
    if (!parsed.success) throw parseError(this.path, "not a go test -json event: missing Action", { line });
    this.events++;
    const event = parsed.data;
    if (event.ImportPath !== undefined && event.Package === undefined) {
      this.buildEvent(event, event.ImportPath);
      return;
    }
    if (event.Package === undefined) return;
    if (event.Test === undefined) await this.packageEvent(event, event.Package);
    else await this.testEvent(event, event.Package, event.Test);
  }

  /** A line that is not JSON: compiler output printed around the events. */
  plain(text: string): void {
    const header = /^#\s+(\S+)/.exec(text);
    if (header?.[1] !== undefined) {
      this.plainHeader = header[1];
      this.plainBuild(this.plainHeader);
      return;
    }
    const failed = BUILD_FAILED.exec(text)?.[1];
    if (failed !== undefined) {
      const build = this.plainBuild(failed);
      build.failed = true;
      if (build.output.empty) build.output.append(`${text}\n`);
      this.plainHeader = undefined;
      return;
    }
    if (this.plainHeader !== undefined) this.plainBuild(this.plainHeader).output.append(`${text}\n`);
  }

  async end(): Promise<void> {
    if (this.events === 0) throw parseError(this.path, "not a go test -json stream: no test events");
    for (const key of [...this.tests.keys()]) {
      const [pkg = "", name = ""] = key.split("\u0000");
      await this.finishTest(pkg, name, undefined);
    }
    for (const [importPath, build] of this.builds) {
      if (build.failed && !build.reported)
        await this.buildFailure(packageOfImportPath(importPath), build.output.text(), undefined);
    }
    for (const [pkg, build] of this.plainBuilds) {
      if (build.failed) await this.buildFailure(pkg, build.output.text(), undefined);
    }
  }

  private buildEvent(event: TestEvent, importPath: string): void {
    let build = this.builds.get(importPath);
    if (build === undefined) {
      build = { output: new Output(), failed: false, reported: false };
      this.builds.set(importPath, build);
    }
    if (event.Action === "build-output" && event.Output !== undefined) build.output.append(event.Output);
    if (event.Action === "build-fail") build.failed = true;
  }

  private plainBuild(pkg: string): { output: Output; failed: boolean } {
    let build = this.plainBuilds.get(pkg);
    if (build === undefined) {
      build = { output: new Output(), failed: false };
      this.plainBuilds.set(pkg, build);
    }
    return build;
  }

  private packageOf(pkg: string): RunningPackage {
    let state = this.packages.get(pkg);
    if (state === undefined) {
      state = { output: new Output(), failingTests: 0 };
      this.packages.set(pkg, state);
    }
    return state;
  }

  private testOf(pkg: string, name: string): RunningTest {
    const key = `${pkg}\u0000${name}`;
    let state = this.tests.get(key);
    if (state === undefined) {
      state = { output: new Output() };
      this.tests.set(key, state);
    }
    return state;
  }

  private async testEvent(event: TestEvent, pkg: string, name: string): Promise<void> {
    switch (event.Action) {
      case "run": {
        const state = this.testOf(pkg, name);
        if (event.Time !== undefined) state.startedAt = event.Time;
        return;
      }
      case "output":
        if (event.Output !== undefined) this.testOf(pkg, name).output.append(event.Output);
        return;
      case "pass":
      case "fail":
      case "skip":
      case "bench":
        await this.finishTest(pkg, name, event);
        return;
      default:
        return;
    }
  }

  /** Emits a test: with its final event, or (`end` undefined) one that never reported an outcome. */
  private async finishTest(pkg: string, name: string, end: TestEvent | undefined): Promise<void> {
    const key = `${pkg}\u0000${name}`;
    const state = this.tests.get(key) ?? { output: new Output() };
    this.tests.delete(key);
    const output = state.output.text();
    let status: TestStatus;
    let failure: RawFailure | undefined;
    let skipReason: string | undefined;
    if (end === undefined || end.Action === "fail") {
      const read = failureFromOutput(output);
      // A panic, a timeout, or a test still running when its package ended did not run to completion.
      status = end === undefined || read.crashed ? "error" : "failed";
      failure = Object.keys(read.failure).length === 0 ? undefined : read.failure;
      this.packageOf(pkg).failingTests++;
    } else if (end.Action === "skip") {
      status = "skipped";
      skipReason = firstLogMessage(linesOf(output));
    } else {
      status = "passed";
    }
    const attempt: RawAttempt = {
      status,
      ...(end?.Elapsed === undefined ? {} : { durationMs: secondsToMs(end.Elapsed) }),
      ...(state.startedAt === undefined ? {} : { startedAt: state.startedAt }),
      ...(failure === undefined ? {} : { failure }),
      ...(skipReason === undefined ? {} : { skipReason }),
      ...(output === "" ? {} : { stdout: output }),
    };
    const record: RawTestCase = { kind: "case", suite: [pkg], name, attempts: [attempt] };
    await this.sink.emit(record);
  }

  private async packageEvent(event: TestEvent, pkg: string): Promise<void> {
    switch (event.Action) {
      case "start":
        this.packageOf(pkg);
        return;
      case "output":
        if (event.Output !== undefined) this.packageOf(pkg).output.append(event.Output);
        return;
      case "pass":
      case "fail":
      case "skip":
        await this.finishPackage(pkg, event);
        return;
      default:
        return;
    }
  }

  private async finishPackage(pkg: string, event: TestEvent): Promise<void> {
    for (const key of [...this.tests.keys()]) {
      const [owner = "", name = ""] = key.split("\u0000");
      if (owner === pkg) await this.finishTest(pkg, name, undefined);
    }
    const state = this.packageOf(pkg);
    this.packages.delete(pkg);
    if (event.Action !== "fail") return;
    const importPath = event.FailedBuild;
    const build = importPath === undefined ? undefined : this.builds.get(importPath);
    const plain = this.plainBuilds.get(pkg);
    // One broken dependency fails every package that imports it: each names it in FailedBuild.
    if (build !== undefined) build.reported = true;
    this.plainBuilds.delete(pkg);
    if (build !== undefined && !build.output.empty) {
      await this.buildFailure(pkg, build.output.text(), event.Elapsed);
      return;
    }
    if (state.failingTests > 0 && importPath === undefined) return;
    // TestMain, an init panic, a build or setup failure: the package failed with no test to blame.
    const output = state.output.text();
    const onlyVerdict = linesOf(output).every(
      (line) => NOISE.test(line) || BUILD_FAILED.test(line) || line.trim() === "",
    );
    const text = plain !== undefined && !plain.output.empty && onlyVerdict ? plain.output.text() : output;
    const read = failureFromOutput(text);
    const fallback = linesOf(output)
      .find((line) => line.trim() !== "")
      ?.trim();
    await this.sink.emit({
      kind: "suite-failure",
      suite: [pkg],
      failure:
        read.failure.message !== undefined || fallback === undefined
          ? read.failure
          : { ...read.failure, message: fallback },
      status: "error",
      ...(event.Elapsed === undefined ? {} : { durationMs: secondsToMs(event.Elapsed) }),
      ...(output === "" ? {} : { stdout: output }),
    });
  }

  private async buildFailure(pkg: string, output: string, elapsed: number | undefined): Promise<void> {
    const lines = linesOf(output).filter((line) => !/^#\s/.test(line) && line.trim() !== "");
    const message = lines.find((line) => !BUILD_FAILED.test(line))?.trim() ?? lines[0]?.trim();
    await this.sink.emit({
      kind: "suite-failure",
      suite: [pkg],
      failure: {
        type: "build failed",
        ...(message === undefined ? {} : { message }),
        ...(output.trim() === "" ? {} : { stack: output.trim() }),
      },
      status: "error",
      ...(elapsed === undefined ? {} : { durationMs: secondsToMs(elapsed) }),
    });
  }
}

function isGoEvent(value: unknown): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const event = value as Record<string, unknown>;
  return typeof event.Action === "string" && ("Package" in event || "Time" in event || "ImportPath" in event);
}

/** Parser of the `go test -json` event stream (cmd/test2json). */
export const goTestJsonParser: ResultParser = {
  format: "go-test-json",
  description: "Go test JSON (go test -json, go tool test2json)",
  matches(sniff: ReportSniff): boolean {
    if (sniff.syntax === "ndjson" || sniff.syntax === "json") return isGoEvent(sniff.firstJsonLine);
    if (sniff.syntax !== "text") return false;
    // Compiler errors printed to the same file come before the first event.
    for (const line of sniff.head.split(/\r?\n/, 200)) {
      if (!line.startsWith("{")) continue;
      try {
        return isGoEvent(JSON.parse(line));
      } catch {
        return false;
      }
    }
    return false;
  },
  async parse(source: ReportSource, sink: RawRecordSink): Promise<void> {
    const reader = new GoTestJsonReader(source.path, sink);
    for await (const line of readLines(source)) {
      // Only a line that opens an object is an event; anything else is the go command's plain text.
      if (line.text.startsWith('{"')) await reader.event(parseJsonLine(source.path, line), line.number);
      else if (line.text.trim() !== "") reader.plain(line.text);
    }
    await reader.end();
  },
};
