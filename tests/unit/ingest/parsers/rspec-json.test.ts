import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ReportSniff } from "../../../../src/ingest/parser.js";
import { rspecJsonParser } from "../../../../src/ingest/parsers/rspec-json.js";
import { sniffFile } from "../../../../src/ingest/sniff.js";
import { rspecExampleFactory, rspecReport } from "../../../factories/rspec-report.js";
import {
  DORNY_FIXTURES,
  bindParser,
  casesOf,
  filesClaimedBy,
  firstAttemptCounts,
  fixture,
  kaizenRejection,
  sniffText,
  suiteFailuresOf,
} from "../../../support/parser-harness.js";

const FIXTURES = fixture("rspec-json");
const { parseFile, parseText } = bindParser(rspecJsonParser, "rspec.json");

describe("rspecJsonParser on the dorny-test-reporter corpus", () => {
  it("reads rspec-json.json with the counts dorny renders (1 passed, 1 failed, 1 skipped)", async () => {
    const file = path.join(DORNY_FIXTURES, "rspec-json.json");
    expect(rspecJsonParser.matches(await sniffFile(file))).toBe(true);
    const records = await parseFile(file);
    expect(firstAttemptCounts(records)).toEqual({ passed: 1, failed: 1, skipped: 1 });
    expect(records[0]).toEqual({ kind: "report", tool: "rspec", toolVersion: "3.13.0", durationMs: 191.18387 });
    const [passed, failed, skipped] = casesOf(records);
    expect(passed).toMatchObject({
      suite: ["CheckEnvVars#call when all env vars are defined behaves like success load"],
      name: "logs success message",
      file: "./spec/config/check_env_vars_spec.rb",
      line: 12,
      properties: { id: "./spec/config/check_env_vars_spec.rb[1:1:1:1:1]" },
    });
    expect(passed?.attempts[0].durationMs).toBeCloseTo(79.159625, 6);
    expect(failed?.attempts[0].failure).toMatchObject({
      type: "RSpec::Mocks::MockExpectationError",
      message: expect.stringContaining("expected: 0 times") as unknown,
      stack: expect.stringContaining("./config/check_env_vars.rb:11:in `call'") as unknown,
    });
    expect(skipped?.attempts[0]).toMatchObject({ status: "skipped", skipReason: "Temporarily skipped with xit" });
  });

  it("reads the empty report: no examples, only the report record", async () => {
    const file = path.join(DORNY_FIXTURES, "empty/rspec-json.json");
    expect(rspecJsonParser.matches(await sniffFile(file))).toBe(true);
    expect(await parseFile(file)).toEqual([
      { kind: "report", tool: "rspec", toolVersion: "3.13.0", durationMs: 2.514266 },
    ]);
  });
});

describe("rspecJsonParser on reports written by RSpec 3.12", () => {
  it("tells failed expectations from errors and pending from skipped", async () => {
    const records = await parseFile(path.join(FIXTURES, "well-defined/rspec-3.12-calculator.json"));
    expect(firstAttemptCounts(records)).toEqual({ passed: 3, failed: 2, error: 1, skipped: 2 });
    const byName = new Map(casesOf(records).map((test) => [test.name, test]));
    expect(byName.get("fails on purpose")?.attempts[0].failure).toMatchObject({
      type: "RSpec::Expectations::ExpectationNotMetError",
      message: "expected: 3\n     got: 2\n\n(compared using ==)",
    });
    expect(byName.get("raises on division by zero")?.attempts[0]).toMatchObject({
      status: "error",
      failure: { type: "ZeroDivisionError", message: "divided by 0" },
    });
    expect(byName.get("passes although pending")?.attempts[0]).toMatchObject({
      status: "failed",
      failure: { type: "RSpec::Core::Pending::PendingExampleFixedError" },
    });
    expect(byName.get("is pending")?.attempts[0].skipReason).toBe("rounding not implemented");
    expect(byName.get("still adds")?.suite).toEqual(["Calculator#add with negative numbers"]);
    expect(byName.get("is expected to eq 2")?.suite).toEqual(["Calculator#div"]);
  });

  it("turns an error outside of examples into a suite failure", async () => {
    const hook = suiteFailuresOf(
      await parseFile(path.join(FIXTURES, "well-defined/rspec-3.12-after-context-hook.json")),
    );
    expect(hook).toEqual([
      {
        kind: "suite-failure",
        suite: ["./spec/after_hook_spec.rb"],
        file: "./spec/after_hook_spec.rb",
        failure: {
          type: "RuntimeError",
          message: "cleanup failed",
          stack: "./spec/after_hook_spec.rb:2:in `block (2 levels) in <top (required)>'",
        },
        status: "failed",
      },
    ]);
    const load = await parseFile(path.join(FIXTURES, "well-defined/rspec-3.12-load-error.json"));
    expect(casesOf(load)).toEqual([]);
    expect(suiteFailuresOf(load)).toEqual([
      {
        kind: "suite-failure",
        suite: ["./spec/broken_spec.rb"],
        file: "./spec/broken_spec.rb",
        failure: {
          type: "LoadError",
          message: "cannot load such file -- this_gem_does_not_exist",
          stack: "./spec/broken_spec.rb:1:in `<top (required)>'",
        },
        status: "error",
      },
    ]);
  });
});

describe("rspecJsonParser on generated reports", () => {
  it("derives a one-level suite from full_description and the seconds into milliseconds", async () => {
    const examples = rspecExampleFactory.buildList(5);
    const tests = casesOf(await parseText(JSON.stringify(rspecReport(examples))));
    expect(tests).toHaveLength(5);
    examples.forEach((example, i) => {
      const group = (example.full_description ?? "").slice(0, -(example.description ?? "").length).trim();
      expect(tests[i]).toMatchObject({
        suite: [group],
        name: example.description,
        file: example.file_path,
        line: example.line_number,
      });
      expect(tests[i]?.attempts[0].durationMs).toBeCloseTo((example.run_time ?? 0) * 1000, 9);
    });
  });

  it("keeps the whole description as the name when the two do not nest", async () => {
    const example = rspecExampleFactory.build({
      description: "an example",
      full_description: "Something else entirely",
    });
    const [test] = casesOf(await parseText(JSON.stringify(rspecReport([example]))));
    expect(test).toMatchObject({ suite: [], name: "an example" });
  });
});

describe("rspecJsonParser with fields missing", () => {
  it("leaves out what the report does not say", async () => {
    const records = await parseFile(path.join(FIXTURES, "missing/sparse.json"));
    expect(records[0]).toEqual({ kind: "report", tool: "rspec" });
    const tests = casesOf(records);
    expect(tests[0]).toEqual({ kind: "case", suite: [], name: "", attempts: [{ status: "passed" }] });
    expect(tests.map((test) => [test.suite, test.name, test.attempts[0].status])).toEqual([
      [[], "", "passed"],
      [[], "fails without an exception", "failed"],
      [[], "Widget has an empty description", "error"],
      [["Widget"], "pends", "skipped"],
      [["Widget"], "custom status", "error"],
      [["Widget"], "no class", "failed"],
    ]);
    expect(tests[2]?.attempts[0].failure).toEqual({ type: "RuntimeError" });
    expect(tests[3]?.attempts[0]).toEqual({ status: "skipped" });
    // A negative run time and a line 0 are not real values.
    expect(tests[4]).not.toHaveProperty("line");
    expect(tests[4]?.attempts[0]).toEqual({ status: "error" });
    expect(tests[5]?.attempts[0]).toEqual({ status: "failed" });
    expect(suiteFailuresOf(records)).toEqual([
      {
        kind: "suite-failure",
        suite: ["in a `before(:suite)` hook"],
        failure: { type: "RuntimeError", message: "no db" },
        status: "failed",
      },
      {
        kind: "suite-failure",
        suite: ["spec/x_spec.rb"],
        file: "spec/x_spec.rb",
        failure: { message: "An error occurred while loading spec/x_spec.rb." },
        status: "error",
      },
      {
        kind: "suite-failure",
        suite: ["somewhere"],
        failure: { message: "An error occurred somewhere." },
        status: "error",
      },
    ]);
  });
});

describe("rspecJsonParser on invalid input", () => {
  it.each([
    ["examples-not-array.json", "not an RSpec JSON report: examples: Invalid input: expected array, received object"],
    [
      "example-without-status.json",
      "not an RSpec JSON report: examples[0].status: Invalid input: expected string, received undefined",
    ],
    ["not-rspec.json", "not an RSpec JSON report: missing examples"],
    ["truncated.json", "truncated JSON: the document ends before it is complete"],
  ])("%s is a PARSE_ERROR naming the file", async (name, message) => {
    const file = path.join(FIXTURES, "invalid", name);
    const error = await kaizenRejection(parseFile(file));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.message).toBe(message);
    expect(error.file).toBe(file);
  });

  it("rejects an empty file, an array and a scalar", async () => {
    expect((await kaizenRejection(parseText(""))).message).toBe("not an RSpec JSON report: the file is empty");
    expect((await kaizenRejection(parseText("[]"))).message).toBe(
      "not an RSpec JSON report: expected an object with examples",
    );
    expect((await kaizenRejection(parseText("null"))).message).toBe(
      "not an RSpec JSON report: expected an object with examples",
    );
  });

  it("names the line of a syntax error", async () => {
    const error = await kaizenRejection(
      parseText('{\n  "examples": [\n    {"status": "passed",}\n  ]\n}', "spec.json"),
    );
    expect(error).toMatchObject({ code: "PARSE_ERROR", file: "spec.json", position: { line: 3 } });
  });
});

describe("rspecJsonParser.matches", () => {
  const sniff = (text: string): ReportSniff => sniffText("x.json", text);

  it("needs examples plus an RSpec-only key", () => {
    expect(rspecJsonParser.matches(sniff(JSON.stringify(rspecReport(rspecExampleFactory.buildList(2)))))).toBe(true);
    expect(rspecJsonParser.matches(sniff('{"examples": [], "summary": {"example_count": 0}}'))).toBe(true);
    expect(rspecJsonParser.matches(sniff('{"examples": []}'))).toBe(false);
    expect(rspecJsonParser.matches(sniff('[{"examples": [], "summary_line": ""}]'))).toBe(false);
    expect(rspecJsonParser.matches(sniff("examples: full_description"))).toBe(false);
  });

  it("claims no file of another format", async () => {
    const mine = /rspec-json/;
    expect(await filesClaimedBy(rspecJsonParser, mine)).toEqual([]);
  });
});
