import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { jestJsonParser } from "../../../../src/ingest/parsers/jest-json.js";
import { vitestJsonParser } from "../../../../src/ingest/parsers/vitest-json.js";
import { jestAssertionFactory, jestFileFactory, jestReportFactory, stackFor } from "../../../factories/jest-report.js";
import {
  caseNamed,
  casesOf,
  finalCounts,
  fixture,
  itClaimsNoOtherSamples,
  parseDocument,
  parseError,
  parseFile,
  sampleFiles,
  sniffDocument,
  sniffPath,
  suiteFailuresOf,
} from "../../../support/json-report-harness.js";

const wellDefined = (name: string): string => fixture("vitest-json", "well-defined", `vitest-4.1.12-${name}.json`);
const vitestReport = (assertionResults: ReturnType<typeof jestAssertionFactory.build>[]): unknown =>
  jestReportFactory.build(
    { testResults: [jestFileFactory.build({ assertionResults })] },
    { transient: { flavor: "vitest" } },
  );

describe("vitestJsonParser on real Vitest 4.1.12 output", () => {
  it("reads passing tests with suites, file, line, meta and tags", async () => {
    const records = await parseFile(vitestJsonParser, wellDefined("passing"));
    expect(records[0]).toEqual({
      kind: "report",
      tool: "vitest",
      startedAt: expect.stringMatching(/^\d{4}-/) as unknown,
    });
    expect(casesOf(records).map((test) => [test.suite, test.name, test.line])).toEqual([
      [["math", "addition"], "adds two numbers", 4],
      [["math"], "multiplies", 6],
      [[], "top-level test", 8],
      [[], "has meta and tags", 2],
    ]);
    const tagged = caseNamed(records, "has meta and tags");
    expect(tagged.properties).toEqual({ owner: "team-a", ticket: "42" });
    expect(tagged.tags).toEqual(["slow"]);
    expect(tagged.file).toBe("/tmp/kz-fx/vitest/ok/meta.test.js");
    expect(caseNamed(records, "multiplies").attempts[0].durationMs).toBeCloseTo(0.387, 2);
    expect(caseNamed(records, "multiplies")).not.toHaveProperty("properties");
  });

  it("splits assertion errors, thrown errors and timeouts", async () => {
    const records = await parseFile(vitestJsonParser, wellDefined("failing"));
    expect(finalCounts(records)).toEqual({ passed: 1, failed: 3, error: 0, skipped: 0 });
    expect(caseNamed(records, "compares objects").attempts[0].failure).toMatchObject({
      type: "AssertionError",
      message: "expected { a: 1, b: [ 1, 2 ] } to deeply equal { a: 2, b: [ 1, 3 ] }",
    });
    expect(caseNamed(records, "throws an error").attempts[0].failure?.type).toBe("TypeError");
    expect(caseNamed(records, "times out").attempts).toHaveLength(1);
  });

  it("maps skipped and todo tests to skipped", async () => {
    const records = await parseFile(vitestJsonParser, wellDefined("skipped"));
    expect(finalCounts(records)).toEqual({ passed: 1, failed: 0, error: 0, skipped: 4 });
  });

  it("turns the failure messages of a retried test into the failed attempts before the last", async () => {
    const records = await parseFile(vitestJsonParser, wellDefined("retried"));
    const flaky = caseNamed(records, "fails first then passes").attempts;
    expect(flaky.map((attempt) => attempt.status)).toEqual(["failed", "passed"]);
    expect(flaky[0].failure?.message).toBe("expected 1 to be 2 // Object.is equality");
    expect(flaky[1]).not.toHaveProperty("failure");
    const always = caseNamed(records, "always fails").attempts;
    expect(always.map((attempt) => [attempt.status, attempt.failure?.message])).toEqual([
      ["failed", "expected 1 to be 100 // Object.is equality"],
      ["failed", "expected 2 to be 100 // Object.is equality"],
    ]);
    expect(always[1]?.durationMs).toBeGreaterThan(0);
  });

  it("reports a file that failed to import, and a file failed by a hook, as suite errors", async () => {
    const records = await parseFile(vitestJsonParser, wellDefined("import-failure"));
    expect(finalCounts(records)).toEqual({ passed: 4, failed: 0, error: 0, skipped: 0 });
    const [imported, hooked] = suiteFailuresOf(records);
    expect(imported).toEqual({
      kind: "suite-failure",
      suite: ["/tmp/kz-fx/vitest/broken/broken.test.js"],
      file: "/tmp/kz-fx/vitest/broken/broken.test.js",
      failure: {
        message: "Cannot find module './does-not-exist.js' imported from /tmp/kz-fx/vitest/broken/broken.test.js",
      },
      status: "error",
    });
    expect(hooked).toMatchObject({ suite: ["/tmp/kz-fx/vitest/broken/hook.test.js"], failure: {}, status: "error" });
  });
});

describe("vitestJsonParser on reduced and generated reports", () => {
  it("leaves out what the report does not say", async () => {
    const records = await parseFile(
      vitestJsonParser,
      fixture("vitest-json", "missing", "only-titles-and-statuses.json"),
    );
    expect(records[0]).toEqual({ kind: "report", tool: "vitest" });
    expect(caseNamed(records, "fails first then passes")).toEqual({
      kind: "case",
      suite: [],
      name: "fails first then passes",
      file: "/tmp/kz-fx/vitest/flaky/flaky.test.js",
      attempts: [
        { status: "failed", failure: expect.objectContaining({ type: "AssertionError" }) as unknown },
        { status: "passed" },
      ],
    });
    expect(suiteFailuresOf(records)).toEqual([]);
  });

  it("keeps scalar meta values only and skips empty tags", async () => {
    const test = jestAssertionFactory.build({
      title: "meta",
      meta: { owner: "x", flaky: true, nested: { a: 1 }, list: [1] },
      tags: [],
    });
    const records = await parseDocument(vitestJsonParser, "meta.json", vitestReport([test]));
    expect(caseNamed(records, "meta").properties).toEqual({ owner: "x", flaky: "true" });
    expect(caseNamed(records, "meta")).not.toHaveProperty("tags");
  });

  it("keeps a failed test without messages as one bare failed attempt, and pending tests as skipped", async () => {
    const failed = jestAssertionFactory.build({ title: "bare", status: "failed", failureMessages: [] });
    const pending = jestAssertionFactory.build({
      title: "pending",
      status: "pending",
      failureMessages: [stackFor("Error", "ignored")],
    });
    const records = await parseDocument(vitestJsonParser, "bare.json", vitestReport([failed, pending]));
    expect(caseNamed(records, "bare").attempts).toEqual([
      { status: "failed", durationMs: expect.any(Number) as unknown },
    ]);
    expect(caseNamed(records, "pending").attempts).toEqual([
      { status: "skipped", durationMs: expect.any(Number) as unknown },
    ]);
  });

  it("takes a passed test without failureMessages as one attempt", async () => {
    const test = jestAssertionFactory.build({ title: "quiet", failureMessages: undefined });
    const records = await parseDocument(vitestJsonParser, "quiet.json", vitestReport([test]));
    expect(caseNamed(records, "quiet").attempts).toHaveLength(1);
  });

  it("does not read Jest's invocations in a Vitest report", async () => {
    const test = jestAssertionFactory.build({ title: "counted", invocations: 3 });
    const records = await parseDocument(vitestJsonParser, "inv.json", vitestReport([test]));
    expect(caseNamed(records, "counted").attempts).toHaveLength(1);
  });

  it("rejects truncated, mistyped and foreign documents with the file and line", async () => {
    const truncated = fixture("vitest-json", "invalid", "truncated.json");
    const cut = await parseError(vitestJsonParser, truncated, readFileSync(truncated, "utf8"));
    expect(cut).toMatchObject({ code: "PARSE_ERROR", file: truncated });
    expect(cut.message).toMatch(/truncated/);
    const mistyped = fixture("vitest-json", "invalid", "title-not-a-string.json");
    const text = readFileSync(mistyped, "utf8");
    const error = await parseError(vitestJsonParser, mistyped, text);
    expect(error.message).toMatch(/^not a valid Vitest JSON report: testResults\[0\]\.assertionResults\[0\]\.title: /);
    expect(error.position?.line).toBe(text.split("\n").findIndex((row) => row.includes('"title": 42')) + 1);
    const foreign = await parseError(vitestJsonParser, "foreign.json", { stats: {}, tests: [] });
    expect(foreign.message).toBe('not a Vitest JSON report: missing "testResults"');
  });
});

describe("vitestJsonParser.matches", () => {
  const samples = sampleFiles();

  it.each(samples["vitest-json"] ?? [])("claims %s (and Jest's parser does not)", async (file) => {
    const sniff = await sniffPath(file);
    expect(vitestJsonParser.matches(sniff)).toBe(true);
    expect(jestJsonParser.matches(sniff)).toBe(false);
  });

  itClaimsNoOtherSamples(vitestJsonParser);

  it("claims a Vitest report from its beginning alone, and one without meta", () => {
    const head = readFileSync(wellDefined("failing"), "utf8").slice(0, 500);
    expect(vitestJsonParser.matches(sniffDocument("big.json", head, false))).toBe(true);
    expect(
      vitestJsonParser.matches(sniffDocument("old.json", { numTotalTests: 0, numTotalTestSuites: 0, testResults: [] })),
    ).toBe(true);
  });

  it("prefers Jest's top-level members over a stray meta", () => {
    const report = jestReportFactory.build({
      testResults: [{ name: "/a.test.js", assertionResults: [{ title: "t", status: "passed", meta: {} }] }],
    });
    expect(vitestJsonParser.matches(sniffDocument("mixed.json", report))).toBe(false);
    expect(jestJsonParser.matches(sniffDocument("mixed.json", report))).toBe(true);
  });

  it("claims on a meta member even with Jest-looking per-test members", () => {
    const report = {
      numTotalTests: 1,
      testResults: [
        { name: "/a.test.js", assertionResults: [{ title: "t", status: "passed", meta: {}, numPassingAsserts: 1 }] },
      ],
    };
    expect(vitestJsonParser.matches(sniffDocument("vitest-like.json", report))).toBe(true);
  });
});
