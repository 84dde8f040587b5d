import type { FailureSignature, FailureText } from "./failure-signature.js";
import { isTestCode } from "./test-code.js";

/** What rules read of a signature: everything but the derived key and scope. */
export type SignatureText = Omit<FailureSignature, "fingerprint" | "scope" | "resource" | "aliases" | "keyFrames">;

/**
 * What kind of problem a failure is:
 * - `regression`: the product broke; the code under test fails its assertions.
 * - `flaky`: the test passes and fails on the same code (retries, mixed outcomes).
 * - `infrastructure`: the CI machinery failed: network, services, disk, memory.
 * - `timeout`: a test, hook or wait ran out of time.
 * - `environment`: the machine is set up wrong: a missing dependency, binary, permission or setting.
 * - `test-bug`: the test code itself is broken (a type error in the test, not an assertion).
 */
export type FailureCategory = "regression" | "flaky" | "infrastructure" | "timeout" | "environment" | "test-bug";

/** Every category, in the order reports list them. */
export const FAILURE_CATEGORIES: readonly FailureCategory[] = [
  "regression",
  "flaky",
  "infrastructure",
  "timeout",
  "environment",
  "test-bug",
];

/** What the history says about a failure, beside its text. */
export interface FailureContext {
  /** A later attempt of the same test in the same run passed. */
  readonly passedOnRetry: boolean;
}

/** A transparent classification rule: named, listed by `kaizen rules`, explainable. */
export interface CategoryRule {
  /** Stable id, shown wherever the rule decided. */
  readonly id: string;
  readonly category: FailureCategory;
  /** What the rule looks for, in a sentence. */
  readonly description: string;
  /** How often the rule is right when it fires, as a prior for the learned model. */
  readonly confidence: number;
  /** Whether the rule fires on a failure. */
  matches(signature: SignatureText, failure: FailureText, context: FailureContext): boolean;
}

/** What a rule decided about a failure. */
export interface RuleVerdict {
  readonly category: FailureCategory;
  readonly rule: string;
  readonly confidence: number;
}

// The headline and the stack's statements as well as the message: some reporters (Playwright's
// JUnit) put only the test's title in the message and the error in the body.
const textOf = (signature: SignatureText, failure: FailureText): string =>
  `${signature.exceptionType ?? ""} ${signature.headline}\n${failure.message.slice(0, 4000)}\n${signature.statements.join("\n").slice(0, 2000)}`;

/**
 * The rules, most specific first: the first that fires decides. A timeout that passed on retry
 * is a timeout: what to do about it is to tune the limit or the wait, and the test's flakiness
 * is scored on its own (`kaizen flaky`) whatever the category.
 */
export const CATEGORY_RULES: readonly CategoryRule[] = [
  {
    id: "timeout.exceeded",
    category: "timeout",
    description: "the message or type says time ran out (timeout, timed out, deadline exceeded)",
    confidence: 0.9,
    matches: (s, f) =>
      /\btime[ds]?[ -]?out\b|timeout|deadline exceeded|exceeded .{0,40}\b(?:time|deadline)|took longer than/i.test(
        textOf(s, f),
      ),
  },
  {
    id: "flaky.passed-on-retry",
    category: "flaky",
    description: "the same test passed on a later attempt in the same run, on the same code",
    confidence: 0.9,
    matches: (_s, _f, context) => context.passedOnRetry,
  },
  {
    id: "infrastructure.network",
    category: "infrastructure",
    description: "a connection failed: ECONNREFUSED, ECONNRESET, DNS errors, 502/503/504 from a service",
    confidence: 0.85,
    matches: (s, f) =>
      /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|socket hang up|connection (?:refused|reset|closed by peer)|net::ERR_[A-Z_]+|no such host|could not translate host name|\b(?:service|database|server|host|backend|broker) (?:is )?(?:unavailable|unreachable|down)\b|broken pipe|name or service not known|temporary failure in name resolution|getaddrinfo|\b50[234]\b.{0,30}(?:gateway|unavailable|timeout)|ConnectException|UnknownHostException|NoRouteToHost/i.test(
        textOf(s, f),
      ),
  },
  {
    id: "infrastructure.resources",
    category: "infrastructure",
    description: "the machine ran out of memory, disk or file handles, or the process was killed",
    confidence: 0.85,
    matches: (s, f) =>
      /out of memory|OutOfMemoryError|MemoryError|heap limit|Allocation failed|cannot allocate memory|\bOOM\b|oom-kill|ENOSPC|no space left on device|too many open files|EMFILE|SIGKILL|exit code 137|\bKilled\b|worker (?:process )?(?:has )?(?:exited|crashed|terminated|died) unexpectedly|forked VM terminated|VM crash/i.test(
        textOf(s, f),
      ),
  },
  {
    id: "environment.missing-dependency",
    category: "environment",
    description: "a module, class, binary or browser the tests need is missing",
    confidence: 0.8,
    matches: (s, f) =>
      /cannot find module|cannot find package|ERR_MODULE_NOT_FOUND|failed to load url|does the file exist\?|can't resolve '|ModuleNotFoundError|ImportError|no module named|command not found|ClassNotFoundException|NoClassDefFoundError|UnsatisfiedLinkError|library not loaded|executable doesn't exist|spawn \S+ ENOENT|cannot open shared object/i.test(
        textOf(s, f),
      ),
  },
  {
    id: "environment.configuration",
    category: "environment",
    description: "permissions, credentials, certificates or settings are wrong on the machine",
    confidence: 0.7,
    matches: (s, f) =>
      /permission denied|EACCES|EPERM|environment variable|is not set\b|missing (?:config|credentials|token)|certificate|unable to verify|\b401\b|\b403\b/i.test(
        textOf(s, f),
      ),
  },
  {
    id: "test-bug.error-in-test",
    category: "test-bug",
    description: "a programming error (TypeError, NullPointerException, NameError, ...) raised in the test's own file",
    confidence: 0.6,
    matches: (s) =>
      /^(?:TypeError|ReferenceError|SyntaxError|NameError|AttributeError|(?:java\.lang\.)?NullPointerException|System\.NullReferenceException|KeyError|IndexError)$/.test(
        s.exceptionType ?? "",
      ) && isTestCode(s.frames[0] ?? ""),
  },
  {
    id: "regression.assertion",
    category: "regression",
    description: "an assertion failed: until history says otherwise, the product changed",
    confidence: 0.55,
    matches: (s, f) =>
      /assert|DID NOT (?:RAISE|WARN)|expect(?:ed)?\b|to (?:be|equal|have|contain)|should\b|but was|\bwant\b|\bgot\b|!==|!=/i.test(
        textOf(s, f),
      ),
  },
  {
    id: "regression.crash",
    category: "regression",
    description:
      "the code under test crashed: a panic, segmentation fault or uncaught error outside the test's own file",
    confidence: 0.5,
    matches: (s, f) =>
      /\bpanic\b|segmentation fault|SIGSEGV|core dumped|IllegalStateException|IllegalArgumentException|NullPointerException|unhandled|uncaught/i.test(
        textOf(s, f),
      ),
  },
  {
    id: "regression.exception",
    category: "regression",
    description: "an exception was raised in the project's own code, outside the test's file",
    confidence: 0.45,
    matches: (s) =>
      /(?:Error|Exception|Panic|Fault)$/.test(s.exceptionType ?? "") &&
      s.frames[0] !== undefined &&
      !isTestCode(s.frames[0]),
  },
];

/** Ids of the rules that say the machinery failed, not the code: see {@link isEnvironmental}. */
const ENVIRONMENT_RULES = new Set([
  "infrastructure.network",
  "infrastructure.resources",
  "environment.missing-dependency",
  "environment.configuration",
]);

/** Whether a failure's text says the machinery failed (network, resources, dependencies, settings), whatever its history. */
export function isEnvironmental(signature: SignatureText, failure: FailureText): boolean {
  return CATEGORY_RULES.some(
    (rule) => ENVIRONMENT_RULES.has(rule.id) && rule.matches(signature, failure, { passedOnRetry: false }),
  );
}

/** The verdict of the first rule that fires, or `undefined` when none does. */
export function classifyFailure(
  signature: SignatureText,
  failure: FailureText,
  context: FailureContext = { passedOnRetry: false },
  rules: readonly CategoryRule[] = CATEGORY_RULES,
): RuleVerdict | undefined {
  const rule = rules.find((candidate) => candidate.matches(signature, failure, context));
  return rule === undefined ? undefined : { category: rule.category, rule: rule.id, confidence: rule.confidence };
}
