import { hash } from "node:crypto";
import { isEnvironmental } from "./failure-categories.js";
import { isTestCode } from "./test-code.js";
import { tokenizeLine, WILDCARD } from "./log-tokens.js";

/** A failure as a test report gives it. */
export interface FailureText {
  /** The exception or assertion type, when the format names it. */
  readonly type: string | null;
  /** The failure message (may span lines: assertion diffs). */
  readonly message: string;
  /** The stack trace, when there is one. */
  readonly stack: string | null;
}

/** What stays the same between occurrences of one root cause. */
export interface FailureSignature {
  /** The exception type, from the report or from the first line of the message or stack. */
  readonly exceptionType: string | null;
  /** The first line of the message with its values masked: the failure's message template. */
  readonly messageTemplate: string;
  /** Up to {@link MAX_FRAMES} frames of the project's own code, innermost first, as `file:function` (no line numbers). */
  readonly frames: readonly string[];
  /** Hash of type, message template and (for code failures) frames: the exact key of the failure's root cause. */
  readonly fingerprint: string;
  /** The first meaningful line as written (values not masked): what the rules read. */
  readonly headline: string;
  /**
   * Statements of the stack beyond the headline (`Caused by: ...`, `E   ValueError: ...`,
   * `FATAL ERROR: ...`), not its frames or code excerpts: the rules read them too.
   */
  readonly statements: readonly string[];
  /**
   * `environment` when the text says the machinery failed (network, resources, a missing
   * dependency or setting): then the frames only say where the code noticed, and are left out
   * of the fingerprint and site, so that one outage is one root cause across every code path.
   */
  readonly scope: "code" | "environment";
  /**
   * For a failure of the environment, the host it could not reach or resolve, when the text
   * names one (not a loopback address: test servers listen there on random ports). One host's
   * outage is one root cause, whichever client, language or code path noticed it.
   */
  readonly resource: string | null;
  /**
   * Fingerprints of the other hosts the text names, when it names several (a URL's host name
   * and the address it resolved to): clients that name only one of them still meet this cause.
   */
  readonly aliases: readonly string[];
  /**
   * The frames the fingerprint and site key on: the innermost frame of the project's product
   * code when there is one (a null dereference there is one cause, whichever test called it),
   * else the test code's frames (an assertion is the test's own).
   */
  readonly keyFrames: readonly string[];
}

// Where failure texts name the host they could not reach: a URL, Node's and Java's DNS errors,
// Go's resolver, libpq, and a refused connection to a non-loopback address.
// An address that was connected to comes first: clients name a service by its address or by a
// host name, and the address is what they all share once the name resolved.
const HOST_PATTERNS: readonly RegExp[] = [
  /(?:^|[\s"'(=@/`])((?:\d{1,3}\.){3}\d{1,3})(?=[:"'\s),/`]|$)/,
  /\b(?:ENOTFOUND|EAI_AGAIN)\s+([\w.-]+)/,
  /UnknownHostException:\s*([\w.-]+)/,
  /\blookup ([\w.-]+)(?: on [\d.:[\]a-f]+)?: no such host/,
  /could not translate host name "([^"]+)"/,
  /\b(?:server at|host=)["']?([\w.-]+)/,
  /\(([a-z][\w-]*(?:\.[\w-]+)+):\d+\)/,
  /\b(?:https?|wss?|postgres(?:ql)?|mysql|redis|amqp|mongodb):\/\/(?:[^@/\s]+@)?([\w.-]+)/,
];
const LOOPBACK = /^(?:localhost|127\.[\d.]+|0\.0\.0\.0|::1)$/;

/** Conditions of the machine that are one root cause whoever meets them: a full disk, exhausted memory. */
const CONDITIONS: readonly (readonly [string, RegExp])[] = [
  ["disk-full", /no space left on device|ENOSPC|disk (?:is )?full|disk quota exceeded/i],
  [
    "out-of-memory",
    /out of memory|OutOfMemoryError|MemoryError|heap limit|oom-kill|cannot allocate memory|exit code 137|Allocation failed/i,
  ],
  ["file-handles", /too many open files|EMFILE|ENFILE/i],
];

/** The hosts a text names (first the one to key on), else the machine condition it reports. */
function resourcesOf(texts: readonly string[]): string[] {
  const hosts: string[] = [];
  for (const pattern of HOST_PATTERNS)
    for (const text of texts) {
      const host = pattern.exec(text)?.[1]?.toLowerCase().replace(/\.$/, "");
      if (host !== undefined && /[a-z\d]/.test(host) && !LOOPBACK.test(host) && !hosts.includes(host)) hosts.push(host);
    }
  if (hosts.length > 0) return hosts;
  const condition = CONDITIONS.find(([, pattern]) => texts.some((text) => pattern.test(text)));
  return condition === undefined ? [] : [condition[0]];
}

const environmentKey = (resource: string): string =>
  hash("sha256", JSON.stringify(["environment", resource]), "hex").slice(0, 16);

/** Project frames in a signature: the innermost few say where the failure is, the rest how it was reached. */
export const MAX_FRAMES = 3;

/** Message lines looked at for the first meaningful one. */
const MAX_MESSAGE_LINES = 20;

/** `TypeError: x`, `java.lang.IllegalStateException: x`, `AssertionError`, `panic: x`, `E   ValueError: x`. */
const TYPED_LINE =
  /^(?:E\s+)?((?:[A-Za-z_$][\w$]*\.)*[A-Za-z_$][\w$]*(?:Error|Exception|Failure|Fault|Panic|Timeout|Interrupt|Exit)\w*|panic|AssertionError|Error)(?::\s*(.*))?$/;

// Frame shapes of the common runtimes; each yields a file and a function (`previous`: Go prints
// the function on the line before its file, with its arguments: `pkg.(*T).F(0xc0, ...)`).
const FRAME_SHAPES: readonly { pattern: RegExp; file: number; fn: number | "previous" | "none" }[] = [
  // V8: `at fn (file:line:col)` (node:test's TAP drops the `at`) and `at file:line:col`
  { pattern: /^\s*(?:at )?(?:async )?([^\s()][^()]*?) \((.+?)(?::\d+){1,2}\)$/, file: 2, fn: 1 },
  { pattern: /^\s*at (?:async )?((?:[a-z]+:\/\/)?(?:[a-z]:)?[^\s()]+?)(?::\d+){1,2}$/i, file: 1, fn: "none" },
  // Vitest: ` ❯ fn file:line:col` and ` ❯ file:line:col`
  { pattern: /^\s*❯ (?:async )?([^\s()]+) ((?:[a-z]:)?[^\s()]+?):\d+:\d+$/i, file: 2, fn: 1 },
  { pattern: /^\s*❯ ((?:[a-z]:)?[^\s()]+?):\d+:\d+$/i, file: 1, fn: "none" },
  // JVM: `at pkg.Class.method(File.java:48)`, with an optional `app//` class loader
  { pattern: /^\s*at (?:[\w.-]+\/\/)?([\w$.<>]+)\(([^():]+)(?::\d+)?\)$/, file: 2, fn: 1 },
  // .NET: `at Ns.Class.Method(args) in /path/File.cs:line 42`
  { pattern: /^\s*at ([\w.<>`]+)\(.*\) in (.+?):line \d+$/, file: 2, fn: 1 },
  // Python: `File "x.py", line 10, in func`, and pytest's `tests/x.py:76: in func` or `tests/x.py:76: AssertionError`
  { pattern: /^\s*File "(.+?)", line \d+, in (.+)$/, file: 1, fn: 2 },
  { pattern: /^(\S+\.py):\d+: (?:in (\w+)|\w+)$/, file: 1, fn: 2 },
  // Ruby: `path.rb:10:in 'method'`
  { pattern: /^\s*(?:# )?(.+?\.rb):\d+:in [`'](.+)'$/, file: 1, fn: 2 },
  // Go: `\t/path/file.go:42 +0x1d`, and `t.Error`'s `    file_test.go:62: message`
  { pattern: /^\s+(\/.+?\.go):\d+(?: \+0x[0-9a-f]+)?$/, file: 1, fn: "previous" },
  { pattern: /^\s*([\w./-]+_test\.go):\d+: /, file: 1, fn: "none" },
];

/** Files of code that is not the project's: runtimes and dependencies. */
const FOREIGN_FILE =
  /node_modules|site-packages|dist-packages|[\\/]usr[\\/](?:lib|local[\\/]go|share)|^node:|^internal[\\/]|^<anonymous>$|^native|[\\/]go[\\/]src[\\/](?:runtime|testing)[\\/]/;
/** Functions of runtimes and test frameworks, by package. */
const FOREIGN_FUNCTION =
  /^(?:java|javax|jdk|sun|kotlin|scala|org\.junit|org\.testng|org\.apache\.maven|junit|org\.gradle|System|Microsoft|NUnit|Xunit|_pytest|pluggy|unittest|runtime|testing)\./;

function isForeign(file: string, fn: string): boolean {
  return FOREIGN_FILE.test(file) || FOREIGN_FUNCTION.test(fn);
}

/** Directory names that start a project's sources, whatever the checkout is called. */
const SOURCE_ROOTS = new Set([
  "src",
  "lib",
  "test",
  "tests",
  "spec",
  "specs",
  "app",
  "pkg",
  "internal",
  "cmd",
  "__tests__",
  "e2e",
]);

/**
 * A file path as it stays the same across machines: checkouts live in different places, so
 * the path from the innermost source root (`src/`, `tests/`, ...), else its last two segments.
 */
function stableFile(file: string): string {
  const segments = file
    .replace(/\\/g, "/")
    .replace(/^file:\/\//, "")
    .replace(/\?.*$/, "")
    .split("/");
  for (let i = segments.length - 2; i >= 0; i--)
    if (SOURCE_ROOTS.has(segments[i] as string)) return segments.slice(i).join("/");
  return segments.slice(-2).join("/");
}

/** The project's own frames of a stack trace, innermost first, as `file:function`. */
export function projectFrames(stack: string, limit = MAX_FRAMES): string[] {
  const frames: string[] = [];
  const lines = stack.split("\n");
  for (let i = 0; i < lines.length && frames.length < limit; i++) {
    const line = (lines[i] as string).trimEnd();
    for (const shape of FRAME_SHAPES) {
      const match = shape.pattern.exec(line);
      if (match === null) continue;
      const file = match[shape.file] as string;
      const fn =
        shape.fn === "none"
          ? ""
          : shape.fn === "previous"
            ? (lines[i - 1] ?? "").trim().replace(/\([^()]*\)$/, "")
            : (match[shape.fn] ?? "");
      if (!isForeign(file, fn)) frames.push(`${stableFile(file)}:${fn.replace(/^Object\./, "")}`);
      break;
    }
  }
  return frames;
}

/**
 * A line that only names the test: Playwright's JUnit reporter writes `file:line:col title` as the
 * failure message and `[project] › file:line:col › title ───` atop its body, the error below.
 */
const TEST_HEADER = /^(?:\[[^\]]+\]\s+›\s+)?[\w./@-]+\.\w+:\d+:\d+\s+(?:›\s+)?\S/;

/** Type values that say nothing beyond "it failed" (the JUnit element's name written as its type). */
const PLACEHOLDER_TYPE = /^(?:failure|error|failed|exception)$/i;

/** Messages that say nothing beyond "it failed" (go-junit-report writes `Failed`): the stack says what. */
const PLACEHOLDER_MESSAGE = /^\s*(?:failed|failure|error|test failed\.?)?\s*$/i;

/** Go's test-runner lines and the `file_test.go:62: ` that `t.Error` puts before its message. */
const GO_RUNNER_LINE = /^(?:=== (?:RUN|PAUSE|CONT|NAME)|--- (?:FAIL|PASS|SKIP):)/;
const GO_LOCATION = /^[\w./-]+\.go:\d+: /;

/** Lines after the headline the rules read too. */
const CONTINUATION_LINES = 2;

/** Stack lines looked at for statements the rules read. */
const MAX_STATEMENT_LINES = 60;

function isNoise(line: string): boolean {
  // Code excerpts (`> 3 | expect(x)`), caret lines, diff markers and frames say nothing of the cause.
  return /^\s*(?:>?\s*\d+\s*\||\|\s*\^|at\s|❯\s|File ")/.test(line) || /^\s*[-+]\s*(?:Expected|Received)\b/.test(line);
}

/**
 * The signature of a failure: its exception type, its message template (the first meaningful
 * line, values masked) and the innermost frames of the project's own code. Two failures with
 * one root cause share it however their numbers, ids, paths and line numbers differ; a
 * failure in shared code (a connection helper) keeps one signature across every test it fails.
 */
export function failureSignature(failure: FailureText): FailureSignature {
  const given = failure.type?.trim() ?? "";
  let exceptionType = given === "" || PLACEHOLDER_TYPE.test(given) ? null : given;
  const sources = PLACEHOLDER_MESSAGE.test(failure.message)
    ? [failure.stack ?? "", failure.message]
    : [failure.message, failure.stack ?? ""];
  let headline = "";
  // The lines right after the headline: a message wrapped onto the next line still says what failed.
  let continuation: string[] = [];
  for (const source of sources) {
    const lines = source.split("\n").slice(0, MAX_MESSAGE_LINES);
    const at = lines.findIndex((raw) => {
      const line = raw.trim().replace(/^●\s*/, "").replace(GO_LOCATION, "");
      return !(line === "" || isNoise(line) || TEST_HEADER.test(line) || GO_RUNNER_LINE.test(line));
    });
    if (at === -1) continue;
    headline = (lines[at] as string).trim().replace(/^●\s*/, "").replace(GO_LOCATION, "");
    continuation = lines
      .slice(at + 1, at + 1 + CONTINUATION_LINES)
      .map((line) => line.trim())
      .filter((line) => line !== "" && !isNoise(line) && !GO_RUNNER_LINE.test(line));
    break;
  }
  let first = headline;
  const typed = TYPED_LINE.exec(first);
  if (typed !== null) {
    exceptionType ??= typed[1] ?? null;
    first = (typed[2] ?? "").trim();
  }
  const masked = tokenizeLine(first)
    .map((token) => token.masked)
    .join(" ");
  const messageTemplate = masked === "" ? WILDCARD : masked;
  const frames = projectFrames(failure.stack ?? failure.message);
  const statements = [
    ...continuation,
    ...(failure.stack ?? "")
      .split("\n")
      .slice(0, MAX_STATEMENT_LINES)
      .map((line) => line.trim().replace(GO_LOCATION, ""))
      .filter((line) => line !== headline && (TYPED_LINE.test(line) || /^(?:Caused by|FATAL)\b/.test(line))),
  ];
  const partial = { exceptionType, messageTemplate, frames, headline, statements };
  const scope = isEnvironmental(partial, failure) ? "environment" : "code";
  const resources =
    scope === "environment" ? resourcesOf([headline, ...statements, failure.message.slice(0, 1000)]) : [];
  const resource = resources[0] ?? null;
  const product = frames.find((frame) => !isTestCode(frame));
  const keyFrames = scope === "environment" ? [] : product === undefined ? frames : [product];
  const fingerprint =
    resource === null
      ? hash("sha256", JSON.stringify([exceptionType ?? "", messageTemplate, keyFrames]), "hex").slice(0, 16)
      : environmentKey(resource);
  return { ...partial, fingerprint, scope, resource, aliases: resources.slice(1).map(environmentKey), keyFrames };
}
