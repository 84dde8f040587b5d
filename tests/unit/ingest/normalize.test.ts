import { faker } from "@faker-js/faker";
import { beforeEach, describe, expect, it } from "vitest";
import { SUITE_SEPARATOR, testIdOf } from "../../../src/domain/test-identity.js";
import { outcomeOf, type NormalizedTestResult, type TestAttempt } from "../../../src/domain/test-result.js";
import type { TestStatus } from "../../../src/domain/test-status.js";
import {
  addSummary,
  boundText,
  DEFAULT_TEXT_LIMITS,
  emptySummary,
  MAX_TRACKED_TESTS,
  normalizeFilePath,
  ReportNormalizer,
  SUITE_FAILURE_NAME,
  suiteOf,
  type ReportSummary,
} from "../../../src/ingest/normalize.js";
import type { RawAttempt, RawFailure, RawRecord, RawTestCase } from "../../../src/ingest/raw-records.js";
import {
  rawAttempt,
  rawReportInfoFactory,
  rawSuiteFailureFactory,
  rawTestCaseFactory,
} from "../../factories/raw-records.js";

const PROJECT = "kaizen";

function accept(normalizer: ReportNormalizer, record: RawRecord): NormalizedTestResult {
  const result = normalizer.accept(record);
  if (result === undefined) throw new Error(`no result for a ${record.kind} record`);
  return result;
}

const normalizeOne = (
  record: RawRecord,
  normalizer = new ReportNormalizer({ project: PROJECT }),
): NormalizedTestResult => accept(normalizer, record);

function only(result: NormalizedTestResult): TestAttempt {
  expect(result.attempts).toHaveLength(1);
  return result.attempts[0];
}

const withAttempts = (record: RawTestCase, ...attempts: RawAttempt[]): RawTestCase => ({
  ...record,
  attempts: attempts as [RawAttempt, ...RawAttempt[]],
});

describe("boundText", () => {
  it("keeps a text that fits", () => {
    expect(boundText("", 0)).toBe("");
    expect(boundText("abc", 3)).toBe("abc");
  });

  it("keeps a quarter from the head and the rest from the tail, and says how much it left out", () => {
    const text = `${"h".repeat(10)}${"m".repeat(80)}${"t".repeat(30)}`;
    expect(boundText(text, 40)).toBe(`${"h".repeat(10)}\n…[80 characters omitted]…\n${"t".repeat(30)}`);
    expect(boundText("abcdefghij", 5)).toBe("a\n…[5 characters omitted]…\nghij");
  });
});

describe("suiteOf", () => {
  it.each([
    [[], undefined, ""],
    [[], "com.example.FooTest", "com.example.FooTest"],
    [["outer", "inner"], undefined, `outer${SUITE_SEPARATOR}inner`],
    [["outer"], "Class", `outer${SUITE_SEPARATOR}Class`],
    [[" outer ", "", "  ", "inner"], "", `outer${SUITE_SEPARATOR}inner`],
    [["same", "same", "other"], undefined, `same${SUITE_SEPARATOR}other`],
    [["com.example.FooTest"], "com.example.FooTest", "com.example.FooTest"],
    [["a", "b", "a"], "a", `a${SUITE_SEPARATOR}b${SUITE_SEPARATOR}a`],
  ] as const)("joins %j with class %j as %j", (suite, className, expected) => {
    expect(suiteOf(suite, className)).toBe(expected);
  });
});

describe("normalizeFilePath", () => {
  it.each([
    [undefined, [], null],
    ["", [], null],
    ["   ", [], null],
    ["src\\test\\a.test.ts", [], "src/test/a.test.ts"],
    ["./src/a.ts", [], "src/a.ts"],
    ["././src/a.ts", [], "src/a.ts"],
    ["src//deep///a.ts", [], "src/deep/a.ts"],
    [" tests/a.ts ", [], "tests/a.ts"],
    ["file:///work/repo/src/a.ts", ["/work/repo"], "src/a.ts"],
    ["/work/repo/src/a.ts", ["/work/repo/"], "src/a.ts"],
    ["C:\\agent\\_work\\1\\s\\Tests\\A.cs", ["C:\\agent\\_work\\1\\s\\"], "Tests/A.cs"],
    ["/home/runner/work/app/app/test/a.js", ["/other", "/home/runner/work/app/app"], "test/a.js"],
    ["/work/repository/a.ts", ["/work/repo"], "/work/repository/a.ts"],
    ["/elsewhere/a.ts", ["/work/repo"], "/elsewhere/a.ts"],
    ["/work/repo/", ["/work/repo"], null],
    ["/work/repo/./a.ts", ["/work/repo"], "a.ts"],
  ] as const)("makes %j with roots %j into %j", (file, roots, expected) => {
    expect(normalizeFilePath(file, roots)).toBe(expected);
  });

  it("strips the first root that matches, in the order given", () => {
    expect(normalizeFilePath("/work/repo/src/a.ts", ["/work", "/work/repo"])).toBe("repo/src/a.ts");
  });
});

describe("summaries", () => {
  it("starts empty and adds up", () => {
    const total = emptySummary();
    expect(total).toEqual({ tests: 0, passed: 0, failed: 0, errors: 0, skipped: 0, flaky: 0, attempts: 0 });
    const more: ReportSummary = { tests: 6, passed: 1, failed: 1, errors: 1, skipped: 1, flaky: 2, attempts: 9 };
    addSummary(total, more);
    addSummary(total, more);
    expect(total).toEqual({ tests: 12, passed: 2, failed: 2, errors: 2, skipped: 2, flaky: 4, attempts: 18 });
    expect(emptySummary()).not.toBe(emptySummary());
  });
});

describe("ReportNormalizer", () => {
  beforeEach(() => {
    faker.seed(1618);
  });

  describe("identity", () => {
    it("gives the same test the same id in every report, from project, suite, name and file", () => {
      const raw = rawTestCaseFactory.build();
      const first = normalizeOne(raw);
      const second = normalizeOne({ ...raw, line: (raw.line ?? 0) + 10, attempts: [rawAttempt("failed")] });
      expect(second.test.id).toBe(first.test.id);
      expect(first.test).toEqual({
        id: testIdOf({
          project: PROJECT,
          suite: suiteOf(raw.suite, raw.className),
          name: raw.name,
          file: raw.file ?? null,
        }),
        suite: suiteOf(raw.suite, raw.className),
        name: raw.name,
        file: raw.file,
        line: raw.line,
      });
      expect(first.test.id).toMatch(/^[0-9a-f]{16}$/);
    });

    it("tells tests apart by project, file, suite, class and name", () => {
      const raw = rawTestCaseFactory.build();
      const id = normalizeOne(raw).test.id;
      expect(normalizeOne(raw, new ReportNormalizer({ project: "other" })).test.id).not.toBe(id);
      expect(normalizeOne({ ...raw, file: "src/other.test.ts" }).test.id).not.toBe(id);
      expect(normalizeOne({ ...raw, file: undefined }).test.id).not.toBe(id);
      expect(normalizeOne({ ...raw, suite: [...raw.suite, "nested"] }).test.id).not.toBe(id);
      expect(normalizeOne({ ...raw, className: "Other" }).test.id).not.toBe(id);
      expect(normalizeOne({ ...raw, name: `${raw.name}!` }).test.id).not.toBe(id);
    });

    it("keeps the id when only the way the file is written changes", () => {
      const normalizer = (): ReportNormalizer =>
        new ReportNormalizer({ project: PROJECT, rootDirs: ["/ci/workspace", "C:\\build\\agent"] });
      const base = rawTestCaseFactory.build({ file: "src/test/a.test.ts" });
      const ids = [
        "src/test/a.test.ts",
        "./src/test/a.test.ts",
        "src\\test\\a.test.ts",
        "/ci/workspace/src/test/a.test.ts",
        "file:///ci/workspace/src/test/a.test.ts",
        "C:\\build\\agent\\src\\test\\a.test.ts",
      ].map((file) => normalizeOne({ ...base, file }, normalizer()).test);
      expect(new Set(ids.map((test) => test.id)).size).toBe(1);
      expect(ids.every((test) => test.file === "src/test/a.test.ts")).toBe(true);
    });

    it("strips the longest root directory first, whatever order they are given in", () => {
      const normalizer = new ReportNormalizer({
        project: PROJECT,
        rootDirs: ["/work", "/work/repo", "/work/repo/packages"],
      });
      const result = normalizeOne(rawTestCaseFactory.build({ file: "/work/repo/packages/app/a.test.ts" }), normalizer);
      expect(result.test.file).toBe("app/a.test.ts");
    });

    it("trims the name and names a nameless test '(unnamed)'", () => {
      expect(normalizeOne(rawTestCaseFactory.build({ name: "  spaced  " })).test.name).toBe("spaced");
      expect(normalizeOne(rawTestCaseFactory.build({ name: " \t " })).test.name).toBe("(unnamed)");
    });

    it("keeps only positive integer lines", () => {
      expect(normalizeOne(rawTestCaseFactory.build({ line: 12 })).test.line).toBe(12);
      for (const line of [0, -3, 1.5, Number.NaN, undefined]) {
        expect(normalizeOne({ ...rawTestCaseFactory.build(), line }).test.line).toBeNull();
      }
    });
  });

  describe("attempts and the summary", () => {
    it("numbers the attempts of a test listed several times 1..n and counts it once", () => {
      const normalizer = new ReportNormalizer({ project: PROJECT });
      const raw = rawTestCaseFactory.build();
      const other = rawTestCaseFactory.build();
      const numbers = [
        accept(normalizer, withAttempts(raw, rawAttempt("failed"))),
        accept(normalizer, other),
        accept(normalizer, withAttempts(raw, rawAttempt("error"), rawAttempt("failed"))),
        accept(normalizer, withAttempts(raw, rawAttempt("passed"))),
      ].map((result) => result.attempts.map((attempt) => attempt.attempt));
      expect(numbers).toEqual([[1], [1], [2, 3], [4]]);
      expect(normalizer.summary()).toEqual({
        tests: 2,
        passed: 1,
        failed: 0,
        errors: 0,
        skipped: 0,
        flaky: 1,
        attempts: 5,
      });
    });

    it.each([
      [["passed"], "passed"],
      [["failed"], "failed"],
      [["error"], "error"],
      [["skipped"], "skipped"],
      [["failed", "passed"], "flaky"],
      [["error", "passed"], "flaky"],
      [["passed", "failed"], "failed"],
      [["failed", "failed"], "failed"],
      [["failed", "error"], "error"],
      [["skipped", "passed"], "passed"],
      [["failed", "skipped"], "skipped"],
      [["failed", "skipped", "passed"], "flaky"],
      [["passed", "passed"], "passed"],
    ] as const)("counts a test run as %j as %s, whether in one record or several", (statuses, outcome) => {
      const key = { passed: "passed", failed: "failed", error: "errors", skipped: "skipped", flaky: "flaky" } as const;
      const expected = { ...emptySummary(), tests: 1, attempts: statuses.length, [key[outcome]]: 1 };
      const together = new ReportNormalizer({ project: PROJECT });
      together.accept(rawTestCaseFactory.build({}, { transient: { statuses } }));
      expect(together.summary()).toEqual(expected);
      const apart = new ReportNormalizer({ project: PROJECT });
      const raw = rawTestCaseFactory.build();
      for (const status of statuses) apart.accept(withAttempts(raw, rawAttempt(status)));
      expect(apart.summary()).toEqual(expected);
    });

    it("summarizes thousands of tests with duplicates like the outcome of all their attempts", () => {
      const normalizer = new ReportNormalizer({ project: PROJECT, rootDirs: ["/repo"] });
      // Round k holds the k-th entry of every test listed more than k - 1 times: retries come later in the report.
      const rounds: RawTestCase[][] = [[], [], []];
      for (const raw of rawTestCaseFactory.buildList(3000)) {
        const statuses = Array.from({ length: faker.number.int({ min: 1, max: 3 }) }, () =>
          faker.helpers.weightedArrayElement<TestStatus>([
            { weight: 6, value: "passed" },
            { weight: 2, value: "failed" },
            { weight: 1, value: "error" },
            { weight: 1, value: "skipped" },
          ]),
        );
        // Some reports give one entry with all attempts, some list each retry again (and write its path differently).
        if (faker.datatype.boolean()) rounds[0]?.push(withAttempts(raw, ...statuses.map(rawAttempt)));
        else {
          statuses.forEach((status, k) => {
            const file = k === 0 ? raw.file : `/repo/${raw.file ?? ""}`;
            rounds[k]?.push(withAttempts({ ...raw, file }, rawAttempt(status)));
          });
        }
      }
      const statusesById = new Map<string, TestStatus[]>();
      for (const record of rounds.flatMap((round) => faker.helpers.shuffle(round))) {
        const result = accept(normalizer, record);
        const statuses = statusesById.get(result.test.id) ?? [];
        for (const attempt of result.attempts) {
          expect(attempt.attempt).toBe(statuses.length + 1);
          statuses.push(attempt.status);
        }
        statusesById.set(result.test.id, statuses);
      }
      const expected = emptySummary();
      for (const statuses of statusesById.values()) {
        const outcome = outcomeOf(statuses.map((status) => ({ status })));
        expected.tests++;
        expected.attempts += statuses.length;
        if (outcome === "error") expected.errors++;
        else expected[outcome]++;
      }
      expect(statusesById.size).toBe(3000);
      expect(expected.flaky).toBeGreaterThan(0);
      expect(normalizer.summary()).toEqual(expected);
      // Asking again changes nothing.
      expect(normalizer.summary()).toEqual(expected);
    });

    it("forgets tests after MAX_TRACKED_TESTS distinct ones, so memory stays bounded, and still counts each", () => {
      const n = MAX_TRACKED_TESTS;
      const normalizer = new ReportNormalizer({ project: PROJECT });
      const first: RawTestCase = { kind: "case", suite: ["s"], name: "t0", attempts: [{ status: "failed" }] };
      accept(normalizer, first);
      for (let i = 1; i < n; i++) {
        normalizer.accept({ kind: "case", suite: ["s"], name: `t${i}`, attempts: [{ status: "passed" }] });
      }
      // Still tracked: a retry of the first test continues its attempts.
      expect(only(accept(normalizer, { ...first, attempts: [{ status: "passed" }] })).attempt).toBe(2);
      // One more distinct test flushes the tracker: the first test starts over.
      normalizer.accept({ kind: "case", suite: ["s"], name: `t${n}`, attempts: [{ status: "skipped" }] });
      expect(only(accept(normalizer, first)).attempt).toBe(1);
      expect(normalizer.summary()).toEqual({
        tests: n + 2,
        passed: n - 1,
        failed: 1,
        errors: 0,
        skipped: 1,
        flaky: 1,
        attempts: n + 3,
      });
    });
  });

  describe("suite failures and report records", () => {
    it("turns a suite failure into a '(suite)' pseudo-test marked kaizen.kind", () => {
      const normalizer = new ReportNormalizer({ project: PROJECT, rootDirs: ["/src"] });
      const raw = rawSuiteFailureFactory.build({ file: "/src/pkg/main_test.go" });
      const result = accept(normalizer, raw);
      expect(result).toEqual({
        test: {
          id: testIdOf({ project: PROJECT, suite: raw.suite[0], name: SUITE_FAILURE_NAME, file: "pkg/main_test.go" }),
          suite: raw.suite[0],
          name: "(suite)",
          file: "pkg/main_test.go",
          line: null,
        },
        attempts: [
          {
            attempt: 1,
            status: "error",
            durationMs: raw.durationMs,
            startedAt: null,
            failure: { type: null, message: raw.failure.message, stack: null },
            skipReason: null,
            stdout: raw.stdout,
            stderr: raw.stderr,
          },
        ],
        properties: { "kaizen.kind": "suite-failure" },
        tags: [],
      });
      expect(normalizer.summary()).toMatchObject({ tests: 1, errors: 1, attempts: 1 });
    });

    it("turns a bare suite failure into a pseudo-test without file, duration or output", () => {
      const result = normalizeOne({
        kind: "suite-failure",
        suite: ["outer", "inner"],
        status: "failed",
        failure: { stack: "Error: beforeAll hook failed\n    at setup (a.ts:1:1)" },
      });
      expect(result.test).toMatchObject({ suite: `outer${SUITE_SEPARATOR}inner`, name: "(suite)", file: null });
      expect(only(result)).toMatchObject({
        status: "failed",
        durationMs: null,
        stdout: null,
        stderr: null,
        failure: { message: "Error: beforeAll hook failed" },
      });
    });

    it("merges report records into reportInfo, later values winning, and counts no test for them", () => {
      const normalizer = new ReportNormalizer({ project: PROJECT });
      expect(normalizer.reportInfo()).toBeUndefined();
      const info = rawReportInfoFactory.build();
      expect(normalizer.accept(info)).toBeUndefined();
      expect(normalizer.accept({ kind: "report", hostname: "runner-7", properties: { shard: "2/4" } })).toBeUndefined();
      expect(normalizer.reportInfo()).toEqual({ ...info, hostname: "runner-7", properties: { shard: "2/4" } });
      expect(normalizer.summary()).toEqual(emptySummary());
    });
  });

  describe("attempt details", () => {
    it("copies what the report says about each attempt", () => {
      const raw = rawTestCaseFactory.build({}, { transient: { statuses: ["failed", "skipped", "passed"] } });
      const [failed, skipped, passed] = raw.attempts;
      const result = normalizeOne(raw);
      expect(result.attempts).toEqual([
        {
          attempt: 1,
          status: "failed",
          durationMs: failed.durationMs,
          startedAt: failed.startedAt,
          failure: failed.failure,
          skipReason: null,
          stdout: null,
          stderr: failed.stderr,
        },
        {
          attempt: 2,
          status: "skipped",
          durationMs: null,
          startedAt: null,
          failure: null,
          skipReason: skipped?.skipReason,
          stdout: null,
          stderr: null,
        },
        {
          attempt: 3,
          status: "passed",
          durationMs: passed?.durationMs,
          startedAt: passed?.startedAt,
          failure: null,
          skipReason: null,
          stdout: passed?.stdout,
          stderr: null,
        },
      ]);
      expect(result.properties).toEqual(raw.properties);
      expect(result.tags).toEqual(raw.tags);
    });

    it("drops durations that are not finite non-negative numbers and dates that do not parse", () => {
      const raw = rawTestCaseFactory.build();
      const attempt = (fields: Partial<RawAttempt>): TestAttempt =>
        only(normalizeOne(withAttempts(raw, { status: "passed", ...fields })));
      for (const durationMs of [-1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        expect(attempt({ durationMs }).durationMs).toBeNull();
      }
      expect(attempt({ durationMs: 0 }).durationMs).toBe(0);
      expect(attempt({ durationMs: 12.5 }).durationMs).toBe(12.5);
      for (const startedAt of ["", "  ", "not a date", "2024-13-45T99:00:00Z"]) {
        expect(attempt({ startedAt }).startedAt).toBeNull();
      }
      expect(attempt({ startedAt: "2024-03-01T10:00:00+02:00" }).startedAt).toBe("2024-03-01T08:00:00.000Z");
      expect(attempt({ startedAt: "2024-03-01T08:00:00.123Z" }).startedAt).toBe("2024-03-01T08:00:00.123Z");
    });

    it("keeps a skip reason only for skipped attempts, and no empty one", () => {
      const raw = rawTestCaseFactory.build();
      const skipReason = (status: TestStatus, reason: string): string | null =>
        only(normalizeOne(withAttempts(raw, { status, skipReason: reason }))).skipReason;
      expect(skipReason("skipped", "not on Windows")).toBe("not on Windows");
      expect(skipReason("skipped", "")).toBeNull();
      expect(skipReason("passed", "not on Windows")).toBeNull();
      expect(skipReason("failed", "not on Windows")).toBeNull();
    });

    it("gives a failure exactly to failed and errored attempts", () => {
      const raw = rawTestCaseFactory.build();
      const failure = { type: "AssertionError", message: "boom", stack: "AssertionError: boom\n  at x" };
      const failureOf = (status: TestStatus, fields: Partial<RawAttempt> = { failure }): TestAttempt["failure"] =>
        only(normalizeOne(withAttempts(raw, { status, ...fields }))).failure;
      expect(failureOf("failed")).toEqual(failure);
      expect(failureOf("error")).toEqual(failure);
      expect(failureOf("passed")).toBeNull();
      expect(failureOf("skipped")).toBeNull();
      expect(failureOf("failed", {})).toEqual({ type: null, message: "", stack: null });
      expect(failureOf("error", { failure: {} })).toEqual({ type: null, message: "", stack: null });
    });

    it("falls back to the first line of the stack for a missing or blank message, and drops blank fields", () => {
      const raw = rawTestCaseFactory.build();
      const failureOf = (fields: RawFailure): TestAttempt["failure"] =>
        only(normalizeOne(withAttempts(raw, { status: "failed", failure: fields }))).failure;
      const stack = "  TimeoutError: waited 5000ms  \n    at wait (a.ts:3:9)";
      expect(failureOf({ stack })).toEqual({ type: null, message: "TimeoutError: waited 5000ms", stack: stack.trim() });
      expect(failureOf({ message: " \n ", stack })?.message).toBe("TimeoutError: waited 5000ms");
      expect(failureOf({ type: "  ", message: " kept ", stack: "   " })).toEqual({
        type: null,
        message: "kept",
        stack: null,
      });
      expect(failureOf({ type: " Error ", message: "m" })).toEqual({ type: "Error", message: "m", stack: null });
    });

    it("drops empty output", () => {
      const attempt = only(
        normalizeOne(withAttempts(rawTestCaseFactory.build(), { status: "passed", stdout: "", stderr: "" })),
      );
      expect(attempt.stdout).toBeNull();
      expect(attempt.stderr).toBeNull();
    });
  });

  describe("text bounds", () => {
    it("bounds messages, stacks, types, skip reasons and output with the limits given", () => {
      const limits = { message: 40, stack: 60, output: 80 };
      const normalizer = new ReportNormalizer({ project: PROJECT, limits });
      const long = (length: number): string => faker.string.alpha(length);
      const failure = { type: long(600), message: long(100), stack: long(200) };
      const [failed, skipped] = accept(
        normalizer,
        withAttempts(
          rawTestCaseFactory.build(),
          { status: "failed", failure, stdout: long(500), stderr: long(500) },
          { status: "skipped", skipReason: long(100) },
        ),
      ).attempts;
      expect(failed.failure).toEqual({
        type: boundText(failure.type, 512),
        message: boundText(failure.message, 40),
        stack: boundText(failure.stack, 60),
      });
      expect(failed.stdout).toMatch(/characters omitted/);
      expect(failed.stdout?.length).toBeLessThan(80 + 40);
      expect(failed.stderr?.length).toBeLessThan(80 + 40);
      expect(skipped?.skipReason?.length).toBeLessThan(40 + 40);
    });

    it("uses the default limits when given none", () => {
      const message = "m".repeat(DEFAULT_TEXT_LIMITS.message + 1);
      const result = normalizeOne(withAttempts(rawTestCaseFactory.build(), { status: "failed", failure: { message } }));
      expect(only(result).failure?.message).toBe(boundText(message, DEFAULT_TEXT_LIMITS.message));
    });

    it("bounds properties and tags in number and length, and drops repeated tags", () => {
      const properties: Record<string, string> = {};
      for (let i = 0; i < 250; i++) properties[`key-${String(i).padStart(3, "0")}`] = `value ${i}`;
      properties["key-000"] = "v".repeat(5000);
      const longKey = "k".repeat(300);
      // Spread, not build overrides: fishery would merge these into the factory's own properties.
      const result = normalizeOne({
        ...rawTestCaseFactory.build(),
        properties: { [longKey]: "x", ...properties },
        tags: ["@a", "@a", "t".repeat(300), ...Array.from({ length: 150 }, (_, i) => `@tag${i}`)],
      });
      const keys = Object.keys(result.properties);
      expect(keys).toHaveLength(200);
      expect(keys[0]).toBe(boundText(longKey, 256));
      expect(result.properties["key-000"]).toBe(boundText("v".repeat(5000), 4096));
      expect(result.tags).toHaveLength(100);
      expect(result.tags.slice(0, 3)).toEqual(["@a", boundText("t".repeat(300), 256), "@tag0"]);
    });

    it("gives empty properties and tags when the report has none", () => {
      const result = normalizeOne({ ...rawTestCaseFactory.build(), properties: undefined, tags: undefined });
      expect(result.properties).toEqual({});
      expect(result.tags).toEqual([]);
    });
  });
});
