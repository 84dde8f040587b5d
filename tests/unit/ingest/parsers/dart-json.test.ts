import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ReportSniff } from "../../../../src/ingest/parser.js";
import { dartJsonParser } from "../../../../src/ingest/parsers/dart-json.js";
import { sniffFile } from "../../../../src/ingest/sniff.js";
import { DartStream, dartTestSpecFactory } from "../../../factories/dart-events.js";
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

const FIXTURES = fixture("dart-json");
const { parseFile, parseText } = bindParser(dartJsonParser, "dart.json");

describe("dartJsonParser on the dorny-test-reporter corpus", () => {
  it("reads dart-json.json with the counts dorny renders (1 passed, 4 failed, 1 skipped)", async () => {
    const file = path.join(DORNY_FIXTURES, "dart-json.json");
    expect(dartJsonParser.matches(await sniffFile(file))).toBe(true);
    const records = await parseFile(file);
    // dorny counts errors as failures: 1 assertion failure + 3 exceptions.
    expect(firstAttemptCounts(records)).toEqual({ passed: 1, failed: 1, error: 3, skipped: 1 });
    const tests = casesOf(records);
    expect(tests.map((test) => [test.file, test.suite, test.name])).toEqual([
      ["test\\second_test.dart", [], "Timeout test"],
      ["test\\second_test.dart", [], "Skipped test"],
      ["test\\main_test.dart", ["Test 1"], "Passing test"],
      ["test\\main_test.dart", ["Test 1", "Test 1.1"], "Failing test"],
      ["test\\main_test.dart", ["Test 1", "Test 1.1"], "Exception in target unit"],
      ["test\\main_test.dart", ["Test 2"], "Exception in test"],
    ]);
    expect(tests[0]?.attempts[0]).toEqual({
      status: "error",
      durationMs: 37,
      failure: {
        type: "TimeoutException",
        message: "TimeoutException after 0:00:00.000001: Test timed out after 0 seconds.",
        stack: "dart:isolate  _RawReceivePortImpl._handleMessage",
      },
    });
    expect(tests[1]?.attempts[0]).toMatchObject({ status: "skipped", skipReason: "skipped test" });
    expect(tests[3]).toMatchObject({ line: 12, properties: { platform: "vm" } });
    expect(tests[3]?.attempts[0].failure).toMatchObject({
      type: "TestFailure",
      message: "Expected: <2>\n  Actual: <1>",
    });
    expect(records[records.length - 1]).toEqual({
      kind: "report",
      tool: "package:test",
      toolVersion: "1.15.4",
      durationMs: 3760,
      properties: { protocolVersion: "0.1.1" },
    });
  });

  it("reads the empty run: hidden loading tests and hooks are not tests", async () => {
    const records = await parseFile(path.join(DORNY_FIXTURES, "empty/dart-json.json"));
    expect(casesOf(records)).toEqual([]);
    expect(suiteFailuresOf(records)).toEqual([]);
  });

  it("reads Flutter's provider results (268 passed, 1 failed) with lines in the test file", async () => {
    const file = path.join(DORNY_FIXTURES, "external/flutter/provider-test-results.json");
    expect(dartJsonParser.matches(await sniffFile(file))).toBe(true);
    const tests = casesOf(await parseFile(file));
    expect(tests).toHaveLength(269);
    expect(tests.filter((test) => test.attempts[0].status === "passed")).toHaveLength(268);
    const failing = tests.filter((test) => test.attempts[0].status !== "passed");
    expect(failing).toHaveLength(1);
    expect(failing[0]?.file).toBe("/__w/provider/provider/test/value_listenable_provider_test.dart");
    // testWidgets' own line is in flutter_test; root_line is the line in the test file.
    expect(tests.find((test) => test.name === "rebuilds when value change")?.line).toBe(13);
  });
});

describe("dartJsonParser on load failures and hooks (written from the JSON reporter protocol)", () => {
  it("reports a file that fails to load and a failing setUpAll as suite failures", async () => {
    const records = await parseFile(path.join(FIXTURES, "well-defined/protocol-0.1.1-load-failure-and-hooks.json"));
    expect(suiteFailuresOf(records)).toEqual([
      {
        kind: "suite-failure",
        suite: ["test/broken_test.dart"],
        file: "test/broken_test.dart",
        failure: { message: expect.stringMatching(/^Failed to load "test\/broken_test.dart":/) as unknown },
        status: "error",
      },
      {
        kind: "suite-failure",
        suite: ["database"],
        file: "test/db_test.dart",
        failure: {
          type: "SocketException",
          message: expect.stringContaining("Connection refused") as unknown,
          stack: expect.stringContaining("_NativeSocket.startConnect") as unknown,
        },
        status: "failed",
      },
    ]);
    const tests = casesOf(records);
    expect(tests.map((test) => [test.suite, test.name, test.attempts[0].status])).toEqual([
      [["parser", "numbers"], "reads integers", "passed"],
      [["parser", "numbers"], "reads floats", "failed"],
      [["parser"], "handles unicode", "skipped"],
    ]);
    expect(tests[0]?.attempts[0]).toEqual({ status: "passed", durationMs: 7, stdout: "parsing 42\nparsed 42" });
    expect(tests[0]?.properties).toEqual({ platform: "chrome" });
    // A second error (a failing tearDown) is kept after the first one's stack.
    expect(tests[1]?.attempts[0].failure?.stack).toContain("Bad state: tearDown failed");
  });
});

describe("dartJsonParser on generated streams", () => {
  it("strips the group prefixes from names and builds the suite from the groups", async () => {
    const stream = new DartStream();
    const { suiteID, rootID } = stream.suite("test/widget_test.dart");
    const outer = stream.group(suiteID, [rootID], "Widget");
    const inner = stream.group(suiteID, outer, "Widget layout");
    const specs = dartTestSpecFactory.buildList(3);
    const [first, second, third] = specs;
    if (first === undefined || second === undefined || third === undefined) throw new Error("factory");
    stream.test(suiteID, inner, "Widget layout", first);
    stream.test(suiteID, outer, "Widget", second);
    stream.test(suiteID, [rootID], "", third);
    const tests = casesOf(await parseText(stream.text()));
    expect(tests.map((test) => [test.suite, test.name, test.line, test.attempts[0].durationMs])).toEqual([
      [["Widget", "layout"], first.name, first.line, first.millis],
      [["Widget"], second.name, second.line, second.millis],
      [[], third.name, third.line, third.millis],
    ]);
  });

  it("maps results: failure, error, skipped, and errors without a stack", async () => {
    const stream = new DartStream();
    const { suiteID, rootID } = stream.suite("test/a_test.dart");
    stream.test(
      suiteID,
      [rootID],
      "",
      dartTestSpecFactory.build({
        name: "fails",
        result: "failure",
        errors: [{ error: "Expected: true", stackTrace: "", isFailure: true }],
      }),
    );
    stream.test(
      suiteID,
      [rootID],
      "",
      dartTestSpecFactory.build({
        name: "throws",
        result: "error",
        errors: [{ error: "StateError: bad", stackTrace: "a.dart 1:1  main\n", isFailure: false }],
      }),
    );
    stream.test(
      suiteID,
      [rootID],
      "",
      dartTestSpecFactory.build({ name: "skips", skipped: true, skipReason: "later" }),
    );
    stream.test(suiteID, [rootID], "", dartTestSpecFactory.build({ name: "odd result", result: "weird" as "error" }));
    const attempts = casesOf(await parseText(stream.text(false))).map((test) => test.attempts[0]);
    expect(attempts[0]).toMatchObject({
      status: "failed",
      failure: { type: "TestFailure", message: "Expected: true" },
    });
    expect(attempts[0]?.failure).not.toHaveProperty("stack");
    expect(attempts[1]).toMatchObject({
      status: "error",
      failure: { type: "StateError", message: "StateError: bad", stack: "a.dart 1:1  main" },
    });
    expect(attempts[2]).toMatchObject({ status: "skipped", skipReason: "later" });
    expect(attempts[3]?.status).toBe("error");
  });

  it("caps the prints kept per test", async () => {
    const stream = new DartStream();
    const { suiteID, rootID } = stream.suite("test/noisy_test.dart");
    stream.test(
      suiteID,
      [rootID],
      "",
      dartTestSpecFactory.build({
        prints: [...Array.from({ length: 6 }, () => "y".repeat(200 * 1024)), "past the cap"],
      }),
    );
    const [test] = casesOf(await parseText(stream.text()));
    expect(test?.attempts[0].stdout).toHaveLength(1024 * 1024);
  });

  it("reports a failing hidden test as a suite failure", async () => {
    const stream = new DartStream();
    const { suiteID, rootID } = stream.suite("test/hidden_test.dart");
    stream.test(
      suiteID,
      [rootID],
      "",
      dartTestSpecFactory.build({ name: "hidden and failing", result: "failure", prints: ["why"] }),
      true,
    );
    stream.test(suiteID, [rootID], "", dartTestSpecFactory.build({ name: "hidden and passing" }), true);
    expect(await parseText(stream.text())).toEqual([
      {
        kind: "suite-failure",
        suite: ["test/hidden_test.dart"],
        file: "test/hidden_test.dart",
        failure: {},
        status: "failed",
        stdout: "why",
      },
      {
        kind: "report",
        tool: "package:test",
        toolVersion: "1.25.8",
        durationMs: expect.any(Number) as unknown,
        properties: { protocolVersion: "0.1.1" },
      },
    ]);
  });

  it("ignores event types it does not know and plain lines around the events", async () => {
    const stream = new DartStream();
    const { suiteID, rootID } = stream.suite("test/a_test.dart");
    stream.raw({ type: "futureEvent", payload: 1 });
    stream.test(suiteID, [rootID], "", dartTestSpecFactory.build());
    const text = `Waiting for another flutter command to release the startup lock...\n${stream.text()}\n`;
    expect(firstAttemptCounts(await parseText(text))).toEqual({ passed: 1 });
  });
});

describe("dartJsonParser with fields missing", () => {
  it("leaves out what the events do not say and reports tests that never finished", async () => {
    const records = await parseFile(path.join(FIXTURES, "missing/sparse-events.json"));
    expect(records).toEqual([
      { kind: "case", suite: [], name: "no group, no line, no time", attempts: [{ status: "passed" }] },
      { kind: "case", suite: [], name: "skipped without a reason", attempts: [{ status: "skipped" }] },
      { kind: "case", suite: [], name: "errored without a message", attempts: [{ status: "error" }] },
      { kind: "case", suite: [], name: "an unknown suite", attempts: [{ status: "passed" }] },
      {
        kind: "case",
        suite: [],
        name: "never finished",
        attempts: [{ status: "error", stdout: "started, then the runner died" }],
      },
      { kind: "report", properties: { protocolVersion: "0.1.1" } },
    ]);
  });

  it("emits no report record when the stream says nothing about the run", async () => {
    const records = await parseText('{"type":"allSuites","count":0}\n{"type":"start"}\n');
    expect(records).toEqual([]);
  });

  it("reads a hidden failing test of no known suite, with errors lacking message or stack", async () => {
    const text = [
      '{"type":"testStart","test":{"id":1,"name":"orphan hidden","groupIDs":[]}}',
      '{"type":"error","testID":1,"error":""}',
      '{"type":"error","testID":1,"error":"second"}',
      '{"type":"testDone","testID":1,"result":"failure","hidden":true}',
      '{"type":"done","success":false}',
    ].join("\n");
    expect(await parseText(text)).toEqual([
      { kind: "suite-failure", suite: ["orphan hidden"], failure: { stack: "second" }, status: "failed" },
    ]);
  });

  it("reports a loading test that never finished as a suite failure", async () => {
    const text = [
      '{"type":"suite","suite":{"id":0,"platform":"vm","path":"test/slow_test.dart"}}',
      '{"type":"testStart","test":{"id":1,"name":"loading test/slow_test.dart","suiteID":0,"groupIDs":[]}}',
    ].join("\n");
    expect(suiteFailuresOf(await parseText(text))).toEqual([
      {
        kind: "suite-failure",
        suite: ["test/slow_test.dart"],
        file: "test/slow_test.dart",
        failure: {},
        status: "error",
      },
    ]);
  });
});

describe("dartJsonParser on invalid input", () => {
  it("rejects lines that are not reporter events, naming the file and line", async () => {
    const file = path.join(FIXTURES, "invalid/not-events.json");
    expect(dartJsonParser.matches(await sniffFile(file))).toBe(false);
    const error = await kaizenRejection(parseFile(file));
    expect(error).toMatchObject({
      code: "PARSE_ERROR",
      file,
      position: { line: 1 },
      message: "not a Dart JSON reporter event: missing type",
    });
  });

  it("rejects a truncated stream at the cut line", async () => {
    const file = path.join(FIXTURES, "invalid/truncated.json");
    const error = await kaizenRejection(parseFile(file));
    expect(error).toMatchObject({ code: "PARSE_ERROR", file, position: { line: 3 } });
  });

  it("rejects an event of a known type with the wrong shape", async () => {
    const file = path.join(FIXTURES, "invalid/bad-event-shape.json");
    const error = await kaizenRejection(parseFile(file));
    expect(error).toMatchObject({ code: "PARSE_ERROR", file, position: { line: 2 } });
    expect(error.message).toBe(
      "malformed Dart JSON reporter event: test.id: Invalid input: expected number, received undefined",
    );
  });

  it("rejects a file with no events", async () => {
    const error = await kaizenRejection(parseText("no events here\n", "empty.json"));
    expect(error).toMatchObject({
      code: "PARSE_ERROR",
      file: "empty.json",
      message: "not a Dart JSON reporter stream: no events",
    });
  });
});

describe("dartJsonParser.matches", () => {
  const sniff = (text: string): ReportSniff => sniffText("x.json", text);

  it("claims streams that start with a reporter event", () => {
    expect(dartJsonParser.matches(sniff(new DartStream().text()))).toBe(true);
    expect(dartJsonParser.matches(sniff('{"type":"suite","suite":{"id":0}}\n{"type":"done","success":true}\n'))).toBe(
      true,
    );
    expect(dartJsonParser.matches(sniff('{"type":"start"}\n{"type":"done"}\n'))).toBe(false);
    expect(dartJsonParser.matches(sniff('{"type":"testDone"}\n{"type":"done"}\n'))).toBe(false);
    expect(dartJsonParser.matches(sniff('{"type":"commit","sha":"abc"}\n{"type":"commit"}\n'))).toBe(false);
    expect(dartJsonParser.matches(sniff("[1]\n"))).toBe(false);
    expect(dartJsonParser.matches(sniff("type: start\n"))).toBe(false);
  });

  it("claims no file of another format", async () => {
    const mine = /dart-json|flutter/;
    expect(await filesClaimedBy(dartJsonParser, mine)).toEqual([]);
  });
});
