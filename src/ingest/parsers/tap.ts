import { z } from "zod";
import type { TestStatus } from "../../domain/test-status.js";
import { readLines } from "../line-stream.js";
import type { ReportSniff, ReportSource, ResultParser } from "../parser.js";
import type {
  RawAttempt,
  RawFailure,
  RawRecordSink,
  RawReportInfo,
  RawSuiteFailure,
  RawTestCase,
} from "../raw-records.js";
import { parseYamlSubset } from "./tap-yaml.js";

/*
 * The Test Anything Protocol, versions 12 to 14, as node:test, node-tap, tape, Perl's Test::More
 * and Test2 write it:
 *
 *   TAP version 14
 *   1..4                                   plan; `1..0 # SKIP why` skips the whole stream
 *   ok 1 - adds                            test point: number and description optional
 *   not ok 2 - divides # TODO later        directives: # SKIP reason, # TODO reason (\# escapes)
 *     ---                                  YAML diagnostics of the test point above
 *     duration_ms: 0.2
 *     ...
 *   # Subtest: nested                      announces a subtest (node:test, node-tap, Test2)
 *       ok 1 - inner                       a subtest's lines are indented 4 more
 *       1..1
 *   ok 3 - nested                          the point that closes (and names) the subtest
 *   ok 4 - buffered {                      node-tap/Test2 buffered subtest: the body follows in braces
 *       ok 1 - inner
 *   }
 *   Bail out! database down                the run stopped here
 *
 * A point with subtests is a group (node:test's `describe`, `t.test` inside a test): its
 * subtests are the tests, and the group itself becomes a suite failure only when it failed for
 * a reason of its own (a failing hook) rather than because a subtest did. Lines that are none of
 * the above are the tests' stray output and are ignored.
 *
 * The stream is read line by line and a test is emitted once the line after it shows that its
 * diagnostics (if any) are complete. Only the tests of a subtest whose name is not yet known
 * (no `# Subtest:` line) are held back until the point that closes it.
 */

const diagnosticsSchema = z.looseObject({
  duration_ms: z.number().nonnegative().optional().catch(undefined),
  failureType: z.string().optional().catch(undefined),
  error: z.string().optional().catch(undefined),
  message: z.string().optional().catch(undefined),
  name: z.string().optional().catch(undefined),
  // node-tap 7–11 wrote the stack as a list of frames.
  stack: z
    .union([z.string(), z.array(z.string()).transform((frames) => frames.map((frame) => frame.trimEnd()).join("\n"))])
    .optional()
    .catch(undefined),
  location: z.string().optional().catch(undefined),
});

type Diagnostics = z.infer<typeof diagnosticsSchema>;

/** node:test failure types that mean the test did not run to completion, rather than failed an assertion. */
const CRASHES = new Set(["cancelledByParent", "testTimeoutFailure", "uncaughtException", "unhandledRejection"]);

/** The characters of one diagnostics block kept; past this the block is too big to be advice. */
const MAX_DIAGNOSTICS = 1024 * 1024;

/** Lines of Test::More `#   Failed test` commentary kept per test. */
const MAX_COMMENT_LINES = 200;

const VERSION = /^TAP version (\d+)$/i;
const PLAN = /^(\d+)\.\.(\d+)(?:\s+(.*))?$/;
const POINT = /^(not\s+)?ok(?:\s+(.*))?$/;
const BAIL_OUT = /^Bail out!\s*(.*)$/i;
const PRAGMA = /^pragma\s+[+-]/;
const SUBTEST = /^#\s*Subtest(?::\s*(.*?))?\s*$/i;
const DIRECTIVE = /^\s*(skip\S*|todo)(?=\s|$)\s*([\s\S]*)$/i;
const TIME = /^\s*time=\s*(\d+(?:\.\d+)?)(ms|s)(?=\s|$)/;

interface Directive {
  readonly kind: "skip" | "todo";
  readonly reason: string;
}

interface TestPoint {
  readonly ok: boolean;
  readonly number: number | undefined;
  readonly description: string;
  readonly directive: Directive | undefined;
  readonly timeMs: number | undefined;
  /** The line ended with `{`: a buffered subtest's body follows. */
  readonly buffered: boolean;
}

/** What a closed subtest held, for the point that owns it. */
interface ChildSummary {
  readonly name: string | undefined;
  readonly tests: number;
  readonly failures: number;
  /** The subtest's plan was `1..0`: its reason, or "" when it gave none; `false` otherwise. */
  readonly skipAll: string | false;
}

interface Pending {
  readonly point: TestPoint;
  readonly implicitNumber: number;
  child: ChildSummary | undefined;
  diagnostics: { readonly value: Diagnostics | undefined; readonly raw: string } | undefined;
  readonly comments: string[];
  /** A buffered subtest of this point is open: the point waits for its `}`. */
  open: boolean;
}

interface Plan {
  readonly end: number;
  readonly skipReason: string | undefined;
}

/** A record on its way up the subtest levels; its suite is relative to the level it is in. */
type Outgoing = RawTestCase | (Omit<RawSuiteFailure, "suite"> & { readonly suite: readonly string[] });

const UNKNOWN_INDENT = -1;

/** One nesting level: the top of the stream, or the body of a subtest. */
class Level {
  tests = 0;
  failures = 0;
  points = 0;
  announced: string | undefined;
  pending: Pending | undefined;
  plan: Plan | undefined;
  closed = false;
  readonly held: Outgoing[] = [];

  constructor(
    public parent: Level | undefined,
    public indent: number,
    /** The subtest's name; "" for the top level and nameless subtests; undefined while not yet known. */
    public name: string | undefined,
    readonly buffered: boolean,
    readonly owner: Pending | undefined,
  ) {}

  summary(): ChildSummary {
    return {
      name: this.name === "" ? undefined : this.name,
      tests: this.tests,
      failures: this.failures,
      skipAll: this.plan?.end === 0 ? (this.plan.skipReason ?? "") : false,
    };
  }
}

interface YamlBlock {
  readonly indent: number;
  readonly owner: Pending | undefined;
  readonly lines: string[];
  size: number;
}

function indentOf(raw: string): number {
  let n = 0;
  while (raw[n] === " " || raw[n] === "\t") n += 1;
  return n;
}

function unescape(text: string): string {
  return text.replace(/\\([\\#])/g, "$1");
}

/** Splits a description at its first unescaped ` #`: the text before, and the comment after. */
function splitComment(body: string): { before: string; comment: string | undefined } {
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "\\" && (body[i + 1] === "#" || body[i + 1] === "\\")) {
      i++;
      continue;
    }
    if (c === "#" && (i === 0 || /\s/.test(body[i - 1] ?? "")))
      return { before: body.slice(0, i), comment: body.slice(i + 1) };
  }
  return { before: body, comment: undefined };
}

function parsePoint(ok: boolean, rest: string): TestPoint {
  let body = rest;
  const number = /^(\d+)(?=\s|$)\s*/.exec(body);
  if (number !== null) body = body.slice(number[0].length);
  let buffered = false;
  if (/(?:^|\s)\{$/.test(body)) {
    buffered = true;
    body = body.slice(0, -1).trimEnd();
  }
  body = body.replace(/^-(?:\s+|$)/, "");
  const { before, comment } = splitComment(body);
  let description = unescape(before).trim();
  let directive: Directive | undefined;
  let timeMs: number | undefined;
  const matched = comment === undefined ? null : DIRECTIVE.exec(comment);
  const time = comment === undefined ? null : TIME.exec(comment);
  if (matched !== null) {
    const kind = (matched[1] ?? "").toLowerCase().startsWith("skip") ? "skip" : "todo";
    directive = { kind, reason: unescape(matched[2] ?? "").trim() };
  } else if (time !== null) {
    timeMs = Number(time[1]) * (time[2] === "s" ? 1000 : 1);
  } else if (comment !== undefined) {
    // Not a directive: the `#` was part of the description.
    description = unescape(body).trim();
  }
  // node-tap writes `ok 2 - name { # time=1ms` for a buffered subtest with a time.
  if (!buffered && /(?:^|\s)\{$/.test(description) && comment !== undefined) {
    buffered = true;
    description = description.slice(0, -1).trimEnd();
  }
  return { ok, number: number === null ? undefined : Number(number[1]), description, directive, timeMs, buffered };
}

function locationOf(location: string | undefined): { file?: string; line?: number } {
  if (location === undefined) return {};
  const match = /^(.*?):(\d+)(?::\d+)?$/.exec(location);
  if (match === null) return { file: location };
  const line = Number(match[2]);
  return { ...(match[1] === "" ? {} : { file: match[1] }), ...(line > 0 ? { line } : {}) };
}

function dedentLines(lines: readonly string[]): string {
  const indents = lines.filter((line) => line.trim() !== "").map(indentOf);
  const cut = Math.min(Infinity, ...indents);
  return lines
    .map((line) => line.slice(cut))
    .join("\n")
    .trim();
}

/** Reads one TAP stream. */
class TapReader {
  private readonly root = new Level(undefined, 0, "", false, undefined);
  private current: Level = this.root;
  private yaml: YamlBlock | undefined;
  private bailed = false;
  private version: string | undefined;
  private durationMs: number | undefined;
  /** Test numbers a TAP 12 plan (`1..5 todo 2 4;`) marks as todo. */
  private readonly todo = new Set<number>();

  constructor(
    private readonly path: string,
    private readonly sink: RawRecordSink,
  ) {}

  async line(raw: string): Promise<void> {
    if (this.bailed) return;
    if (this.yaml !== undefined && this.yamlLine(this.yaml, raw)) return;
    const text = raw.trim();
    if (text === "") return;
    const indent = indentOf(raw);
    if (text === "---") {
      this.startYaml(indent);
      return;
    }
    if (text.startsWith("#") && !SUBTEST.test(text)) {
      this.comment(text, indent);
      return;
    }
    if (text === "{") {
      const pending = this.current.pending;
      if (pending !== undefined && !pending.open) this.openBuffered(pending);
      return;
    }
    if (text === "}") {
      await this.closeBrace();
      return;
    }
    const point = POINT.exec(text);
    if (
      point !== null ||
      VERSION.test(text) ||
      PLAN.test(text) ||
      BAIL_OUT.test(text) ||
      PRAGMA.test(text) ||
      SUBTEST.test(text)
    ) {
      await this.structural(
        text,
        indent,
        point === null ? undefined : parsePoint(point[1] === undefined, point[2] ?? ""),
      );
      return;
    }
    // Anything else is stray output of the tests: it only ends the diagnostics window of the point above.
    await this.finalize(this.current);
  }

  async end(): Promise<void> {
    // A block that never reached `...` is not trusted.
    this.yaml = undefined;
    await this.closeAll();
    const info: RawReportInfo = {
      kind: "report",
      ...(this.durationMs === undefined ? {} : { durationMs: this.durationMs }),
      ...(this.version === undefined ? {} : { properties: { tapVersion: this.version } }),
    };
    if (this.durationMs !== undefined || this.version !== undefined) await this.sink.emit(info);
  }

  private startYaml(indent: number): void {
    const pending = this.current.pending;
    const owner =
      pending !== undefined && !pending.open && pending.diagnostics === undefined && indent >= this.current.indent
        ? pending
        : undefined;
    // A block with no test point above it is read past and dropped, so that its lines are not taken for TAP.
    this.yaml = { indent, owner, lines: [], size: 0 };
  }

  /** Feeds a line to the open diagnostics block; false when the line is not part of it. */
  private yamlLine(block: YamlBlock, raw: string): boolean {
    const text = raw.trim();
    const indent = indentOf(raw);
    if (text === "..." && indent === block.indent) {
      this.yaml = undefined;
      if (block.owner !== undefined) {
        const body = block.lines.map((line) => line.slice(Math.min(block.indent, indentOf(line)))).join("\n");
        const value = block.size > MAX_DIAGNOSTICS ? undefined : parseYamlSubset(body);
        const parsed =
          value !== null && typeof value === "object" && !Array.isArray(value)
            ? diagnosticsSchema.safeParse(value)
            : undefined;
        block.owner.diagnostics = { value: parsed?.success === true ? parsed.data : undefined, raw: body };
      }
      return true;
    }
    if (text === "" || indent >= block.indent) {
      if (block.size <= MAX_DIAGNOSTICS) block.lines.push(raw);
      block.size += raw.length + 1;
      return true;
    }
    // A comment less indented than the block does not end it (TAP producers interleave them).
    if (text.startsWith("#")) return true;
    this.yaml = undefined;
    return false;
  }

  private comment(text: string, indent: number): void {
    if (this.current === this.root && indent === 0) {
      const nodeDuration = /^#\s*duration_ms\s+(\d+(?:\.\d+)?)\s*$/.exec(text);
      const tapTime = /^#\s*time=(\d+(?:\.\d+)?)(ms|s)\s*$/.exec(text);
      if (nodeDuration !== null) this.durationMs = Number(nodeDuration[1]);
      else if (tapTime !== null) this.durationMs = Number(tapTime[1]) * (tapTime[2] === "s" ? 1000 : 1);
    }
    const pending = this.current.pending;
    if (pending === undefined || pending.point.ok || pending.diagnostics !== undefined) return;
    const body = text.replace(/^#\s?/, "");
    // Test::More explains a failure in `#   Failed test ...` comments right after it.
    if (/^\s*Looks like you/.test(body)) return;
    if ((pending.comments.length > 0 || /^\s*Failed\b/.test(body)) && pending.comments.length < MAX_COMMENT_LINES)
      pending.comments.push(body);
  }

  /** A version, plan, test point, bail out, pragma or `# Subtest` line, at `indent`. */
  private async structural(text: string, indent: number, point: TestPoint | undefined): Promise<void> {
    let closing: Level | undefined;
    if (this.current.indent === UNKNOWN_INDENT) this.current.indent = indent;
    if (indent > this.current.indent) {
      const parent = this.current;
      await this.finalize(parent);
      const announced = parent.announced;
      parent.announced = undefined;
      const subtest = SUBTEST.exec(text);
      // node:test announces a subtest at the parent's indentation, node-tap at the child's own.
      const name =
        announced ??
        (subtest === null
          ? undefined
          : subtest[1] === undefined || subtest[1] === ""
            ? undefined
            : unescape(subtest[1]));
      this.current = new Level(parent, indent, name, false, undefined);
      if (announced === undefined && subtest !== null) return;
    } else if (indent < this.current.indent) {
      closing = await this.popTo(indent);
      if (closing !== undefined && indent > this.current.indent) {
        // Indentation that skips a level: the line opens the level its indentation implies.
        const between = new Level(this.current, indent, this.current.announced, false, undefined);
        this.current.announced = undefined;
        closing.parent = between;
        between.tests += closing.tests;
        between.failures += closing.failures;
        this.current = between;
      }
    }
    if (point !== undefined) {
      await this.point(point, closing);
      return;
    }
    if (closing !== undefined) await this.close(closing, undefined);
    const level = this.current;
    await this.finalize(level);
    const subtest = SUBTEST.exec(text);
    if (subtest !== null) {
      level.announced = subtest[1] === undefined || subtest[1] === "" ? undefined : unescape(subtest[1]);
      return;
    }
    const version = VERSION.exec(text);
    if (version !== null) {
      if (level === this.root) this.version ??= version[1];
      return;
    }
    const plan = PLAN.exec(text);
    if (plan !== null) {
      this.plan(level, Number(plan[2]), plan[3]);
      return;
    }
    const bail = BAIL_OUT.exec(text);
    if (bail !== null) await this.bailOut(level, unescape(bail[1] ?? "").trim());
  }

  private plan(level: Level, end: number, rest: string | undefined): void {
    const comment = rest === undefined ? undefined : splitComment(rest).comment;
    const reason =
      comment === undefined
        ? undefined
        : unescape(comment)
            .replace(/^\s*skip\S*\s*:?\s*/i, "")
            .trim();
    level.plan = { end, skipReason: reason === "" ? undefined : reason };
    const todo = rest === undefined ? null : /^todo\s+([\d\s]+);?$/i.exec(rest.trim());
    if (todo !== null && level === this.root)
      for (const n of (todo[1] ?? "").trim().split(/\s+/)) this.todo.add(Number(n));
  }

  private async point(point: TestPoint, closing: Level | undefined): Promise<void> {
    const level = this.current;
    await this.finalize(level);
    level.announced = undefined;
    level.points++;
    const pending: Pending = {
      point,
      implicitNumber: level.points,
      child: undefined,
      diagnostics: undefined,
      comments: [],
      open: false,
    };
    if (closing !== undefined) {
      // The streamed subtest just read ends here: this point is its parent and gives it a name.
      await this.close(closing, point.description);
      pending.child = closing.summary();
    }
    level.pending = pending;
    if (point.buffered) this.openBuffered(pending);
  }

  private openBuffered(pending: Pending): void {
    pending.open = true;
    this.current = new Level(this.current, UNKNOWN_INDENT, pending.point.description, true, pending);
  }

  private async closeBrace(): Promise<void> {
    let buffered: Level | undefined = this.current;
    while (buffered !== undefined && !buffered.buffered) buffered = buffered.parent;
    if (buffered === undefined) return;
    while (this.current !== buffered) await this.leave();
    await this.leave();
    await this.finalize(this.current);
  }

  /** Pops levels indented deeper than `indent`; returns the last one popped, still open, for the point that may close it. */
  private async popTo(indent: number): Promise<Level | undefined> {
    let closing: Level | undefined;
    while (this.current.parent !== undefined && !this.current.buffered && indent < this.current.indent) {
      const level = this.current;
      await this.finalize(level);
      if (closing !== undefined) await this.close(closing, undefined);
      closing = level;
      this.current = level.parent ?? this.root;
    }
    return closing;
  }

  /** Closes the innermost level without a closing point (end of stream, bail out, `}`). */
  private async leave(): Promise<void> {
    const level = this.current;
    await this.finalize(level);
    await this.close(level, undefined);
    this.current = level.parent ?? this.root;
    if (level.owner !== undefined) {
      level.owner.open = false;
      level.owner.child = level.summary();
    }
  }

  private async closeAll(): Promise<void> {
    while (this.current !== this.root) await this.leave();
    await this.finalize(this.root);
  }

  private async close(level: Level, name: string | undefined): Promise<void> {
    level.name ??= name ?? "";
    level.closed = true;
    const held = level.held.splice(0);
    for (const record of held) await this.deliver(level, record);
  }

  private async bailOut(level: Level, reason: string): Promise<void> {
    await this.record(level, {
      kind: "suite-failure",
      suite: [],
      failure: { type: "Bail out!", ...(reason === "" ? {} : { message: reason }) },
      status: "error",
    });
    this.bailed = true;
    await this.closeAll();
  }

  /** Emits the pending point of `level`, now that nothing more can be added to it. */
  private async finalize(level: Level): Promise<void> {
    const pending = level.pending;
    if (pending === undefined || pending.open) return;
    level.pending = undefined;
    const { point, child } = pending;
    const diagnostics = pending.diagnostics?.value;
    const status = this.statusOf(pending, level);
    const durationMs = diagnostics?.duration_ms ?? point.timeMs;
    const failing = status === "failed" || status === "error";
    if (child !== undefined && child.tests > 0) {
      // A group: its subtests are the tests. It is a failure of its own only when no subtest explains it.
      const failureType = diagnostics?.failureType;
      if (!failing || (child.failures > 0 && (failureType === undefined || failureType === "subtestsFailed"))) return;
      const name = child.name ?? (point.description === "" ? undefined : point.description);
      await this.record(level, {
        kind: "suite-failure",
        suite: name === undefined ? [] : [name],
        ...(locationOf(diagnostics?.location).file === undefined
          ? {}
          : { file: locationOf(diagnostics?.location).file }),
        failure: this.failureOf(pending),
        status: failureType !== undefined && CRASHES.has(failureType) ? "error" : "failed",
        ...(durationMs === undefined ? {} : { durationMs }),
      });
      return;
    }
    const skipReason =
      status !== "skipped"
        ? undefined
        : point.directive !== undefined
          ? point.directive.reason
          : child?.skipAll || undefined;
    const failure = failing ? this.failureOf(pending) : undefined;
    const attempt: RawAttempt = {
      status,
      ...(durationMs === undefined ? {} : { durationMs }),
      ...(failure === undefined || Object.keys(failure).length === 0 ? {} : { failure }),
      ...(skipReason === undefined || skipReason === "" ? {} : { skipReason }),
    };
    const { file, line } = locationOf(diagnostics?.location);
    await this.record(level, {
      kind: "case",
      suite: [],
      // An unnamed point is known by its number, given or implied by its position (TAP's own identity for it).
      name: point.description !== "" ? point.description : String(point.number ?? pending.implicitNumber),
      ...(file === undefined ? {} : { file }),
      ...(line === undefined ? {} : { line }),
      attempts: [attempt],
    });
  }

  private statusOf(pending: Pending, level: Level): TestStatus {
    const { point, child } = pending;
    if (point.directive !== undefined) return "skipped";
    if (level === this.root && point.number !== undefined && this.todo.has(point.number)) return "skipped";
    if (!point.ok) {
      const failureType = pending.diagnostics?.value?.failureType;
      return failureType !== undefined && (CRASHES.has(failureType) || failureType === "hookFailed")
        ? "error"
        : "failed";
    }
    if (child !== undefined && child.tests === 0 && child.skipAll !== false) return "skipped";
    return "passed";
  }

  private failureOf(pending: Pending): RawFailure {
    const diagnostics = pending.diagnostics?.value;
    const raw = pending.diagnostics?.raw.trim();
    const commentary = pending.comments.length === 0 ? undefined : dedentLines(pending.comments);
    const message = diagnostics?.error ?? diagnostics?.message ?? commentary;
    const type = diagnostics?.name ?? diagnostics?.failureType;
    // Without a stack, the whole diagnostics block (got/wanted, found/wanted) is the failure's body.
    const stack = diagnostics?.stack ?? (raw === undefined || raw === "" ? undefined : raw);
    return {
      ...(type === undefined ? {} : { type }),
      ...(message === undefined || message.trim() === "" ? {} : { message: message.trim() }),
      ...(stack === undefined || stack.trim() === "" ? {} : { stack: stack.trimEnd() }),
    };
  }

  /** Counts a new record in every level it is inside, then sends it on its way. */
  private async record(level: Level, record: Outgoing): Promise<void> {
    const failing =
      record.kind === "suite-failure" ||
      record.attempts.some((attempt) => attempt.status === "failed" || attempt.status === "error");
    for (let at: Level | undefined = level; at !== undefined; at = at.parent) {
      at.tests++;
      if (failing) at.failures++;
    }
    await this.deliver(level, record);
  }

  /** Sends a record up through the levels, each adding its name; a level whose name is not known yet holds it. */
  private async deliver(from: Level, record: Outgoing): Promise<void> {
    let outgoing = record;
    for (let level = from; level.parent !== undefined; level = level.parent) {
      if (level.name === undefined && !level.closed) {
        level.held.push(outgoing);
        return;
      }
      if (level.name !== undefined && level.name !== "")
        outgoing = { ...outgoing, suite: [level.name, ...outgoing.suite] };
    }
    if (outgoing.kind === "case") {
      await this.sink.emit(outgoing);
      return;
    }
    const [first, ...rest] = outgoing.suite;
    // A failure of the whole stream (bail out at the top) belongs to the only suite there is: the report.
    await this.sink.emit({ ...outgoing, suite: first === undefined ? [this.path] : [first, ...rest] });
  }
}

/** Parser of TAP streams (versions 12–14: node:test, node-tap, tape, Test::More, Test2). */
export const tapParser: ResultParser = {
  format: "tap",
  description: "TAP 12/13/14 (node --test --test-reporter=tap, node-tap, tape, prove)",
  matches(sniff: ReportSniff): boolean {
    if (sniff.syntax !== "text") return false;
    let seen = 0;
    for (const raw of sniff.head.split(/\r?\n/, 1000)) {
      const text = raw.trim();
      if (text === "") continue;
      if (VERSION.test(text) || /^\d+\.\.\d+(?:\s|$)/.test(text) || /^(?:not\s+)?ok(?:\s|$)/.test(text)) return true;
      if (++seen >= 30) return false;
    }
    return false;
  },
  async parse(source: ReportSource, sink: RawRecordSink): Promise<void> {
    const reader = new TapReader(source.path, sink);
    for await (const line of readLines(source)) await reader.line(line.text);
    await reader.end();
  },
};
