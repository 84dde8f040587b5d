import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ReportSniff } from "../../../../src/ingest/parser.js";
import { cucumberJsonParser } from "../../../../src/ingest/parsers/cucumber-json.js";
import type { RawRecord, RawSuiteFailure } from "../../../../src/ingest/raw-records.js";
import { sniffFile } from "../../../../src/ingest/sniff.js";
import {
  cucumberFeatureFactory,
  cucumberScenarioFactory,
  cucumberStepFactory,
  type CucumberFeatureJson,
} from "../../../factories/cucumber-report.js";
import {
  bindParser,
  casesOf,
  corpus,
  filesClaimedBy,
  fixture,
  kaizenRejection,
  sniffText,
} from "../../../support/parser-harness.js";

const CUCUMBER = corpus("cucumber-reporting");
const FIXTURES = fixture("cucumber-json");
const { parseFile, parseText } = bindParser(cucumberJsonParser, "cucumber.json");

function parseReport(features: unknown, name = "cucumber.json"): Promise<RawRecord[]> {
  return parseText(JSON.stringify(features), name);
}

function statuses(records: readonly RawRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const test of casesOf(records)) {
    const status = test.attempts[test.attempts.length - 1]?.status ?? "none";
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

describe("cucumberJsonParser on the cucumber-reporting corpus", () => {
  const expected: Record<string, Record<string, number>> = {
    "json/sample.json": { passed: 2, failed: 1, skipped: 1 },
    "json/sample_failed.json": { passed: 1, failed: 2, skipped: 1 },
    "json/simple.json": { passed: 1 },
    "json/empty.json": {},
    "json/invalid-report.json": { passed: 1 },
    "json/timestamped/all-last-failed.json": { passed: 1, failed: 1 },
    "json/timestamped/all-passed.json": { passed: 2 },
    "json/timestamped/part1.json": { passed: 1 },
    "json/timestamped/part2.json": { failed: 1 },
    "json/timestamped/part2-rerun-failed.json": { failed: 1 },
    "json/timestamped/part2-rerun-passed.json": { passed: 1 },
  };

  it.each(Object.entries(expected))("%s gives %j", async (rel, counts) => {
    const file = path.join(CUCUMBER, rel);
    expect(cucumberJsonParser.matches(await sniffFile(file))).toBe(true);
    expect(statuses(await parseFile(file))).toEqual(counts);
  });

  it("reads sample.json: backgrounds, hooks, tags, outlines and step output", async () => {
    const tests = casesOf(await parseFile(path.join(CUCUMBER, "json/sample.json")));
    expect(tests.map((test) => [test.suite, test.name, test.line])).toEqual([
      [["1st feature"], "Account has <sufficient funds>", 33],
      [["Second feature"], "Account may not have sufficient funds", 19],
      [["Second feature"], "Clean-up", 31],
      [["Second feature"], "This step has no result...", 35],
    ]);
    const [outline, failing] = tests;
    expect(outline?.file).toBe("net/masterthought/example(s)/ATM:東京.feature");
    expect(outline?.tags).toEqual(["@featureTag", "@fast", "@checkout"]);
    // 99107447000 ns of background plus the scenario's own steps and hook.
    expect(outline?.attempts[0].durationMs).toBeCloseTo(99_323.867589, 5);
    expect(failing?.attempts[0].stdout).toContain("Could not connect to the server @Rocky@");
    expect(failing?.attempts[0].stdout).not.toContain("Not Base64");
  });

  it("rejects an empty file and the trends files, which are not reports", async () => {
    const empty = await kaizenRejection(parseFile(path.join(CUCUMBER, "json/empty-file.json")));
    expect(empty.code).toBe("PARSE_ERROR");
    expect(empty.file).toContain("empty-file.json");
    for (const trends of ["cucumber-trends.json", "demo-trends.json"]) {
      const file = path.join(CUCUMBER, trends);
      expect(cucumberJsonParser.matches(await sniffFile(file))).toBe(false);
      const error = await kaizenRejection(parseFile(file));
      expect(error.code).toBe("PARSE_ERROR");
      expect(error.message).toBe("not a Cucumber JSON report: expected an array of features, got an object");
      expect(error.describe()).toContain(trends);
    }
  });
});

describe("cucumberJsonParser on cucumber-js output", () => {
  it("maps every step status of cucumber-js 12.9.0", async () => {
    const tests = casesOf(await parseFile(path.join(FIXTURES, "well-defined/cucumber-js-12.9.0.json")));
    const byName = new Map(tests.map((test) => [test.name, test.attempts[0]]));
    expect(tests).toHaveLength(9);
    expect(byName.get("adding two numbers")).toMatchObject({ status: "passed", stdout: "added 2 and 3" });
    expect(byName.get("a failing assertion")?.failure).toMatchObject({
      type: "AssertionError",
      message: expect.stringContaining("4 !== 5") as unknown,
      stack: expect.stringContaining("steps.js:16:51") as unknown,
    });
    expect(byName.get("an undefined step")).toMatchObject({
      status: "error",
      failure: { type: "undefined", message: "undefined step: When I press the square-root button" },
    });
    expect(byName.get("an ambiguous step")).toMatchObject({ status: "error", failure: { type: "ambiguous" } });
    expect(byName.get("a pending step")).toMatchObject({
      status: "skipped",
      skipReason: "pending step: When I divide 1 by 3",
    });
    expect(byName.get("a before hook fails")).toMatchObject({
      status: "failed",
      failure: { type: "Error", message: "database connection refused" },
    });
    expect(byName.get("skipped by a hook")?.status).toBe("skipped");
    expect(tests.filter((test) => test.name.startsWith("multiplying")).map((test) => test.line)).toEqual([31, 32]);
    expect(tests[0]?.tags).toEqual(["@calc"]);
    expect(tests[1]?.tags).toEqual(["@calc", "@wip"]);
  });
});

describe("cucumberJsonParser on generated reports", () => {
  it("emits one test per scenario, in nanoseconds converted to milliseconds", async () => {
    const features = cucumberFeatureFactory.buildList(3);
    const tests = casesOf(await parseReport(features));
    expect(tests).toHaveLength(6);
    features.forEach((feature, f) => {
      (feature.elements ?? []).forEach((scenario, s) => {
        const test = tests[f * 2 + s];
        expect(test).toMatchObject({
          suite: [feature.name],
          name: scenario.name,
          file: feature.uri,
          line: scenario.line,
        });
        const total = (scenario.steps ?? []).reduce((sum, step) => sum + (step.result?.duration ?? 0), 0);
        expect(test?.attempts[0].durationMs).toBeCloseTo(total / 1e6, 9);
      });
    });
  });

  it("attaches each background copy to the scenario after it", async () => {
    const background = {
      type: "background",
      keyword: "Background",
      steps: [cucumberStepFactory.build({ result: { status: "failed", error_message: "boom" } })],
    };
    const feature = cucumberFeatureFactory.build({
      elements: [background, cucumberScenarioFactory.build(), cucumberScenarioFactory.build()],
    });
    expect(casesOf(await parseReport([feature])).map((test) => test.attempts[0].status)).toEqual(["failed", "passed"]);
  });

  it("takes the worst status: failed over undefined over pending over skipped", async () => {
    const step = (status: string): ReturnType<typeof cucumberStepFactory.build> =>
      cucumberStepFactory.build({ result: { status } });
    const scenario = (...list: string[]): ReturnType<typeof cucumberScenarioFactory.build> =>
      cucumberScenarioFactory.build({ steps: list.map(step) });
    const feature = cucumberFeatureFactory.build({
      elements: [
        scenario("passed", "undefined", "failed"),
        scenario("passed", "ambiguous", "skipped"),
        scenario("passed", "pending", "skipped"),
        scenario("skipped", "skipped"),
        scenario("passed", "skipped"),
        scenario("PASSED"),
      ],
    });
    expect(casesOf(await parseReport([feature])).map((test) => test.attempts[0].status)).toEqual([
      "failed",
      "error",
      "skipped",
      "skipped",
      "skipped",
      "passed",
    ]);
  });

  it("splits Java and Ruby error messages into type, message and stack", async () => {
    const failing = (error_message: string): ReturnType<typeof cucumberScenarioFactory.build> =>
      cucumberScenarioFactory.build({
        steps: [cucumberStepFactory.build({ result: { status: "failed", error_message } })],
      });
    const feature = cucumberFeatureFactory.build({
      elements: [
        failing(
          "java.lang.AssertionError: \nExpected: is <80>\n     got: <90>\n\n\tat org.junit.Assert.assertThat(Assert.java:780)",
        ),
        failing(
          "expected: 3\n     got: 2 (RSpec::Expectations::ExpectationNotMetError)\n./features/step_definitions/steps.rb:4:in `/^the result is (\\d+)$/'",
        ),
        failing("something odd happened"),
        failing("   "),
      ],
    });
    const failures = casesOf(await parseReport([feature])).map((test) => test.attempts[0].failure);
    expect(failures[0]).toEqual({
      type: "java.lang.AssertionError",
      message: "Expected: is <80>\n     got: <90>",
      stack:
        "java.lang.AssertionError: \nExpected: is <80>\n     got: <90>\n\n\tat org.junit.Assert.assertThat(Assert.java:780)",
    });
    expect(failures[1]).toMatchObject({
      type: "RSpec::Expectations::ExpectationNotMetError",
      message: "expected: 3\n     got: 2",
    });
    expect(failures[2]).toEqual({ message: "something odd happened", stack: "something odd happened" });
    expect(failures[3]).toBeUndefined();
  });

  it("reads step hooks, step output and text embeddings", async () => {
    const log = Buffer.from("logged line", "utf8").toString("base64");
    const scenario = cucumberScenarioFactory.build({
      before: [{ result: { status: "passed", duration: 1_000_000 } }],
      steps: [
        cucumberStepFactory.build({
          before: [{ result: { status: "passed", duration: 1_000_000 } }],
          after: [{ result: { status: "failed", duration: 1_000_000, error_message: "after step hook failed" } }],
          output: ["plain", ["nested"], 42, { ignored: true }],
          embeddings: [
            { mime_type: "text/x.cucumber.log+plain", data: log },
            { mime_type: "image/png", data: "iVBORw0KGgo=" },
            { mime_type: "text/plain", data: Buffer.from([0xff, 0xfe, 0xfd]).toString("base64") },
            { mime_type: "text/plain" },
          ],
          result: { status: "passed", duration: 1_000_000 },
        }),
      ],
      after: [{ result: { status: "passed", duration: 1_000_000 } }],
    });
    const [test] = casesOf(await parseReport([cucumberFeatureFactory.build({ elements: [scenario] })]));
    expect(test?.attempts[0]).toEqual({
      status: "failed",
      durationMs: 5,
      stdout: "plain\nnested\n42\nlogged line",
      failure: { message: "after step hook failed", stack: "after step hook failed" },
    });
  });

  it("reports a failing background that no scenario follows as a suite failure", async () => {
    const feature = cucumberFeatureFactory.build({
      elements: [
        cucumberScenarioFactory.build(),
        { type: "background", steps: [cucumberStepFactory.build({ result: { status: "undefined" } })] },
      ],
    });
    const records = await parseReport([feature]);
    expect(records.filter((record): record is RawSuiteFailure => record.kind === "suite-failure")).toEqual([
      {
        kind: "suite-failure",
        suite: [feature.name],
        file: feature.uri,
        failure: { type: "undefined", message: expect.stringMatching(/^undefined step: /) as unknown },
        status: "error",
        durationMs: expect.any(Number) as unknown,
      },
    ]);
    const passing = cucumberFeatureFactory.build({
      elements: [{ type: "background", steps: [cucumberStepFactory.build()] }],
    });
    expect(await parseReport([passing])).toEqual([]);
  });
});

describe("cucumberJsonParser with fields missing", () => {
  it("leaves out what the report does not say", async () => {
    const records = await parseFile(path.join(FIXTURES, "missing/sparse.json"));
    const tests = casesOf(records);
    expect(tests.map((test) => [test.suite, test.name, test.attempts[0].status])).toEqual([
      [[], "", "skipped"],
      [[], "no type, no line, no results", "skipped"],
      [[], "tags as strings, hook without result", "passed"],
      [[], "unknown status", "skipped"],
      [["Behave writes seconds"], "timed in seconds", "skipped"],
    ]);
    expect(tests[0]).toEqual({ kind: "case", suite: [], name: "", attempts: [{ status: "skipped" }] });
    expect(tests[2]?.tags).toEqual(["@smoke"]);
    // A fractional duration means the writer used seconds (behave), for the whole document.
    expect(tests[2]?.attempts[0].durationMs).toBe(5000);
    expect(tests[4]?.attempts[0]).toEqual({
      status: "skipped",
      durationMs: 250,
      skipReason: "pending step: Then another",
    });
    expect(records.find((record) => record.kind === "suite-failure")).toMatchObject({
      suite: ["Background only"],
      failure: { type: "java.sql.SQLException", message: "connection refused" },
      status: "failed",
    });
  });

  it("uses a pending step's message as the skip reason and survives a step without keyword", async () => {
    const feature: CucumberFeatureJson = {
      keyword: "Feature",
      elements: [
        {
          type: "scenario",
          name: "pending",
          steps: [
            { result: { status: "pending", error_message: "TODO: implement me" } },
            { result: { status: "pending" } },
          ],
        },
        { type: "scenario", name: "nameless pending", steps: [{ result: { status: "pending" } }] },
        {
          type: "scenario",
          name: "nameless undefined",
          steps: [{ result: { status: "undefined" } }, { result: { status: "ambiguous" } }],
        },
      ],
    };
    const tests = casesOf(await parseReport([feature]));
    expect(tests[0]?.attempts[0].skipReason).toBe("TODO: implement me");
    expect(tests[1]?.attempts[0]).toEqual({ status: "skipped" });
    expect(tests[2]?.attempts[0]).toEqual({ status: "error", failure: { type: "ambiguous" } });
  });
});

describe("cucumberJsonParser on invalid input", () => {
  it.each([
    [
      "feature-not-object.json",
      "not a Cucumber JSON report: features[1]: Invalid input: expected object, received number",
    ],
    [
      "elements-not-array.json",
      "not a Cucumber JSON report: features[0].elements: Invalid input: expected array, received object",
    ],
    ["not-features.json", "not a Cucumber JSON report: features[0]: a feature has none of elements, uri, keyword"],
    ["truncated.json", "truncated JSON: the document ends before it is complete"],
  ])("%s is a PARSE_ERROR naming the file", async (name, message) => {
    const file = path.join(FIXTURES, "invalid", name);
    const error = await kaizenRejection(parseFile(file));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.message).toBe(message);
    expect(error.file).toBe(file);
  });

  it("names the line and column of a syntax error", async () => {
    const error = await kaizenRejection(parseText('[\n  {"uri": "a",,}\n]', "bad.json"));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.file).toBe("bad.json");
    expect(error.position?.line).toBe(2);
  });

  it("rejects JSON that is not an array", async () => {
    for (const [document, got] of [
      [null, "null"],
      ["text", "string"],
      [3, "number"],
    ] as const) {
      const error = await kaizenRejection(parseText(JSON.stringify(document), "x.json"));
      expect(error.message).toBe(`not a Cucumber JSON report: expected an array of features, got ${got}`);
    }
  });
});

describe("cucumberJsonParser.matches", () => {
  const sniff = (text: string): ReportSniff => sniffText("x.json", text);

  it("claims Cucumber reports, including the empty array Cucumber writes when nothing ran", () => {
    expect(cucumberJsonParser.matches(sniff(JSON.stringify(cucumberFeatureFactory.buildList(1), null, 2)))).toBe(true);
    expect(cucumberJsonParser.matches(sniff("[\n]"))).toBe(true);
    expect(cucumberJsonParser.matches(sniff("[1, 2]"))).toBe(false);
    expect(cucumberJsonParser.matches(sniff('{"elements": [], "keyword": "Feature"}'))).toBe(false);
    expect(cucumberJsonParser.matches(sniff('<?xml version="1.0"?><testsuites/>'))).toBe(false);
  });

  it("claims no file of another format", async () => {
    const mine = /cucumber-reporting[\\/]json|fixtures[\\/]cucumber-json[\\/]/;
    expect(await filesClaimedBy(cucumberJsonParser, mine)).toEqual([]);
  });
});
