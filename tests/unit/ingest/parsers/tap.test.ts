import { readdirSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { KaizenError } from "../../../../src/domain/errors.js";
import { TEST_STATUSES } from "../../../../src/domain/test-status.js";
import type { ReportSniff, ReportSource } from "../../../../src/ingest/parser.js";
import { tapParser } from "../../../../src/ingest/parsers/tap.js";
import { parseYamlSubset } from "../../../../src/ingest/parsers/tap-yaml.js";
import type { RawRecord } from "../../../../src/ingest/raw-records.js";
import { sniffFile } from "../../../../src/ingest/sniff.js";
import { tapLines, tapPointFactory } from "../../../factories/tap-stream.js";
import {
  bindParser,
  casesOf,
  corpus,
  filesClaimedBy,
  firstAttemptCounts,
  fixture,
  sniffText,
  suiteFailuresOf,
} from "../../../support/parser-harness.js";

const TAP_PARSER = corpus("tap-parser/fixtures");
const FIXTURES = fixture("tap");
const { parseFile, parseText } = bindParser(tapParser, "report.tap");

/** [suite path, name, status] of each test, for compact assertions. */
function outline(records: readonly RawRecord[]): [string, string, string][] {
  return casesOf(records).map((test) => [test.suite.join(" > "), test.name, test.attempts[0].status]);
}

describe("tapParser on node:test's TAP reporter (node 20.20.2)", () => {
  it("emits the leaves of describe/it and t.test nesting, with node's diagnostics", async () => {
    const file = path.join(FIXTURES, "well-defined/node-test-v20.20.2.tap");
    expect(tapParser.matches(await sniffFile(file))).toBe(true);
    const records = await parseFile(file);
    expect(outline(records)).toEqual([
      ["", "adds numbers", "passed"],
      ["", "fails an assertion", "failed"],
      ["", "throws an error", "failed"],
      ["", "is skipped", "skipped"],
      ["", "is todo and fails", "skipped"],
      ["calculator", "multiplies", "passed"],
      ["calculator > division", "divides", "passed"],
      ["calculator > division", "divides by zero", "failed"],
      ["calculator", "skipped in describe", "skipped"],
      ["with a failing hook", "never runs", "error"],
      ["with a failing hook", "never runs either", "error"],
      ["parent test with subtests", "child passes", "passed"],
      ["parent test with subtests", "child fails", "failed"],
      ["with a failing after hook", "passes before the hook runs", "passed"],
      ["", "times out", "error"],
    ]);
    const tests = casesOf(records);
    expect(tests[1]).toMatchObject({ file: "/tmp/kz-tap/math.test.mjs", line: 8 });
    expect(tests[1]?.attempts[0]).toMatchObject({
      status: "failed",
      durationMs: 7.862446,
      failure: {
        type: "AssertionError",
        message: "one plus one is three\n\n2 !== 3",
        stack: expect.stringMatching(
          /^TestContext.<anonymous> \(file:\/\/\/tmp\/kz-tap\/math.test.mjs:9:10\)\n/,
        ) as unknown,
      },
    });
    expect(tests[3]?.attempts[0].skipReason).toBe("not on this platform");
    expect(tests[4]?.attempts[0].skipReason).toBe("implement later");
    expect(tests[14]?.attempts[0].failure).toMatchObject({
      type: "testTimeoutFailure",
      message: "test timed out after 20ms",
    });
    // The groups fail because of their subtests, except where a hook failed on its own.
    expect(suiteFailuresOf(records)).toEqual([
      {
        kind: "suite-failure",
        suite: ["with a failing hook"],
        file: "/tmp/kz-tap/math.test.mjs",
        failure: {
          type: "hookFailed",
          message: "database unavailable",
          stack: expect.stringContaining("math.test.mjs:39:11") as unknown,
        },
        status: "failed",
        durationMs: 0.270724,
      },
      {
        kind: "suite-failure",
        suite: ["with a failing after hook"],
        file: "/tmp/kz-tap/math.test.mjs",
        failure: {
          type: "hookFailed",
          message: "cleanup failed",
          stack: expect.stringContaining("math.test.mjs:54:11") as unknown,
        },
        status: "failed",
        durationMs: 0.627794,
      },
    ]);
    expect(records[records.length - 1]).toEqual({
      kind: "report",
      durationMs: 873.152421,
      properties: { tapVersion: "13" },
    });
  });
});

describe("tapParser on TAP 14 subtests", () => {
  it("names subtests from `# Subtest`, from the closing point, and from a buffered point", async () => {
    const records = await parseFile(path.join(FIXTURES, "well-defined/tap14-subtests.tap"));
    expect(outline(records)).toEqual([
      ["streamed with a heading", "inner one", "passed"],
      ["streamed with a heading", "inner two", "failed"],
      ["named by its closing point", "unnamed until its parent closes", "passed"],
      ["buffered with a time", "inside braces", "passed"],
      ["", "plain failure", "failed"],
      ["", "escaped # hash and a skip", "skipped"],
    ]);
    const tests = casesOf(records);
    expect(tests[1]?.attempts[0].failure).toEqual({
      message: "expected 2, got 3",
      stack: 'message: "expected 2, got 3"\nseverity: fail\nat:\n  file: test/inner.js\n  line: 12',
    });
    expect(tests[5]?.attempts[0].skipReason).toBe("not on Windows");
    expect(suiteFailuresOf(records)).toEqual([]);
    expect(records[records.length - 1]).toEqual({
      kind: "report",
      durationMs: 40.25,
      properties: { tapVersion: "14" },
    });
  });
});

describe("tapParser on the tap-parser corpus", () => {
  const files = readdirSync(TAP_PARSER).filter((name) => name.endsWith(".tap"));

  it.each(files)("%s parses, and every record is well-formed", async (name) => {
    const records = await parseFile(path.join(TAP_PARSER, name));
    for (const record of records) {
      if (record.kind === "case") {
        expect(typeof record.name).toBe("string");
        expect(record.suite.every((part) => typeof part === "string" && part !== "")).toBe(true);
        expect(record.attempts).toHaveLength(1);
        expect(TEST_STATUSES).toContain(record.attempts[0].status);
        if (record.attempts[0].durationMs !== undefined)
          expect(record.attempts[0].durationMs).toBeGreaterThanOrEqual(0);
      } else if (record.kind === "suite-failure") {
        expect(record.suite.length).toBeGreaterThan(0);
        expect(["failed", "error"]).toContain(record.status);
      }
    }
    expect(records.filter((record) => record.kind === "report").length).toBeLessThanOrEqual(1);
  });

  it.each([
    ["basic.tap", { passed: 3, failed: 2 }],
    ["combined.tap", { passed: 5, failed: 2, skipped: 3 }],
    ["combined_compat.tap", { passed: 5, failed: 2, skipped: 3 }],
    ["with_comments.tap", { passed: 1, skipped: 4 }],
    ["todo.tap", { passed: 2, skipped: 7 }],
    ["todo_inline.tap", { passed: 2, skipped: 3 }],
    ["skip.tap", { passed: 3, skipped: 2 }],
    ["skip-one-fail.tap", { skipped: 1 }],
    ["got-spare-tuits.tap", { passed: 2, skipped: 2 }],
    ["perl-test2-buffered.tap", { passed: 8, failed: 1 }],
    ["perl-test2-streamed.tap", { passed: 4 }],
    ["subtest-buffer.tap", { passed: 6 }],
    ["subtest-comment-indent.tap", { passed: 6 }],
    ["subtest-no-comment.tap", { passed: 6 }],
    ["yamlish-looks-like-child.tap", { passed: 3 }],
    ["version-in-yaml.tap", { failed: 4 }],
    ["skip-all.tap", {}],
    ["echo.tap", {}],
    ["out_err_mix.tap", {}],
  ])("%s gives %j", async (name, counts) => {
    expect(firstAttemptCounts(await parseFile(path.join(TAP_PARSER, name)))).toEqual(counts);
  });

  it("stops at Bail out! and reports it as an error of the stream", async () => {
    const records = await parseFile(path.join(TAP_PARSER, "bailout.tap"));
    expect(outline(records).map(([, name]) => name)).toEqual(["1", "2", "3"]);
    expect(suiteFailuresOf(records)).toEqual([
      {
        kind: "suite-failure",
        suite: [path.join(TAP_PARSER, "bailout.tap")],
        failure: { type: "Bail out!", message: "GERONIMMMOOOOOO!!!" },
        status: "error",
      },
    ]);
    const escaped = suiteFailuresOf(await parseFile(path.join(TAP_PARSER, "bail-escaped.tap")));
    expect(escaped[0]?.failure.message).toBe("hash # slash \\ noesc hash # noesc slash \\ done");
    const bare = suiteFailuresOf(await parseFile(path.join(TAP_PARSER, "bailout-no-raison.tap")));
    expect(bare[0]?.failure).toEqual({ type: "Bail out!" });
  });

  it("reads subtest paths at every depth", async () => {
    const todo = casesOf(await parseFile(path.join(TAP_PARSER, "todo.tap")));
    expect(todo.find((test) => test.name === "true is truthy")?.suite).toEqual([
      "a set of tests to be done later",
      "the subset",
      "has some of these things",
    ]);
    const buffered = outline(await parseFile(path.join(TAP_PARSER, "subtest-buffer.tap")));
    expect(buffered[0]).toEqual(["nesting > first", "true is ok", "passed"]);
    expect(buffered[5]).toEqual(["", "this passes", "passed"]);
    const headed = outline(await parseFile(path.join(TAP_PARSER, "subtest-comment-indent.tap")));
    expect(headed[0]).toEqual(["../tap/test/test/ok.js > nesting > first", "true is ok", "passed"]);
  });

  it("reads directives, escapes and unnamed points", async () => {
    const hashes = casesOf(await parseFile(path.join(TAP_PARSER, "hashes.tap")));
    expect(hashes.map((test) => [test.name, test.attempts[0].status, test.attempts[0].skipReason])).toEqual([
      ["contains # hash", "passed", undefined],
      ["directive", "skipped", "# x # y"],
      ["escaped \\ slash \\# todo true", "passed", undefined],
      ["not todo # hash # todo", "passed", undefined],
      ["yes todo", "skipped", "# hash"],
      ["not todo # hash # todo", "passed", undefined],
    ]);
    expect(outline(await parseFile(path.join(TAP_PARSER, "basic.tap"))).map(([, name]) => name)).toEqual([
      "1",
      "2",
      "3",
      "4",
      "5",
    ]);
  });

  it("reads TAP 13 YAML diagnostics and Test::More commentary as failure details", async () => {
    const [resolve] = casesOf(await parseFile(path.join(TAP_PARSER, "yamlish.tap")));
    expect(resolve?.attempts[0].failure?.message).toBe("Failed with error 'hostname peebles.example.com not found'");
    expect(resolve?.attempts[0].failure?.stack).toContain("address: '85.193.201.85'");
    const schwern = casesOf(await parseFile(path.join(TAP_PARSER, "schwern-todo-quiet.tap")));
    expect(schwern[1]?.attempts[0].failure).toEqual({
      message: "Failed test at ../../andy/schwern.pl line 17.\n       got: '23'\n  expected: '42'",
    });
    expect(schwern[2]?.attempts[0]).toEqual({
      status: "skipped",
      skipReason: "Roman numerials still not a built in type",
    });
  });

  it("matches every stream with TAP in it, and not the one without", async () => {
    const unclaimed: string[] = [];
    for (const name of files) {
      let sniffed;
      try {
        sniffed = await sniffFile(path.join(TAP_PARSER, name));
      } catch {
        continue;
      }
      if (!tapParser.matches(sniffed)) unclaimed.push(name);
    }
    expect(unclaimed).toEqual(["out_err_mix.tap"]);
  });
});

describe("tapParser on generated streams", () => {
  it("reads numbered points, directives and diagnostics", async () => {
    const points = [
      tapPointFactory.build(),
      tapPointFactory.build({
        ok: false,
        diagnostics: ["duration_ms: 12.5", "error: 'boom'", "name: 'TypeError'", "location: 'test/a.test.js:3:5'"],
      }),
      tapPointFactory.build({ directive: "SKIP no network" }),
      tapPointFactory.build({ ok: false, directive: "TODO not yet" }),
      tapPointFactory.build({ ok: false, diagnostics: ["failureType: 'uncaughtException'", "error: 'crash'"] }),
    ];
    const tests = casesOf(await parseText(["TAP version 13", ...tapLines(points)].join("\n")));
    expect(tests.map((test) => test.name)).toEqual(points.map((point) => point.description));
    expect(tests.map((test) => test.attempts[0].status)).toEqual(["passed", "failed", "skipped", "skipped", "error"]);
    expect(tests[1]).toMatchObject({
      file: "test/a.test.js",
      line: 3,
      attempts: [{ durationMs: 12.5, failure: { type: "TypeError", message: "boom" } }],
    });
    expect(tests[2]?.attempts[0].skipReason).toBe("no network");
    expect(tests[3]?.attempts[0].skipReason).toBe("not yet");
  });

  it("holds the tests of an unnamed subtest until its closing point names it", async () => {
    const inner = tapLines(tapPointFactory.buildList(3), "    ");
    const records = await parseText(["TAP version 14", ...inner, "ok 1 - the parent", "1..1"].join("\n"));
    expect(outline(records).map(([suite]) => suite)).toEqual(["the parent", "the parent", "the parent"]);
  });

  it("streams a huge flat run in bounded memory", async () => {
    const total = 20_000;
    function* chunks(): Generator<Buffer> {
      yield Buffer.from(`TAP version 13\n1..${total}\n`);
      for (let i = 1; i <= total; i++) {
        yield Buffer.from(`${i % 100 === 0 ? "not ok" : "ok"} ${i} - case ${i}\n  ---\n  duration_ms: 0.5\n  ...\n`);
      }
    }
    let count = 0;
    let failed = 0;
    const source: ReportSource = { path: "huge.tap", size: 0, open: () => Readable.from(chunks()) };
    await tapParser.parse(source, {
      emit: (record) => {
        if (record.kind !== "case") return;
        count++;
        if (record.attempts[0].status === "failed") failed++;
      },
    });
    expect(count).toBe(total);
    expect(failed).toBe(total / 100);
  });

  it("reads odd shapes: a diagnostics block with no point, a `{` after diagnostics, a lone `}`", async () => {
    const text = [
      "TAP version 13",
      "  ---",
      "  orphan: block",
      "  ...",
      "}",
      "not ok 1 - with diagnostics then braces",
      "  ---",
      "  message: outer",
      "  ...",
      "{",
      "    ok 1 - inner",
      "    1..1",
      "}",
      "ok 2 - a comment in its diagnostics",
      "  ---",
      "# not the end",
      "  duration_ms: 3",
      "  ...",
      "ok 3 - unterminated diagnostics",
      "  ---",
      "  duration_ms: 4",
    ].join("\n");
    const records = await parseText(text);
    expect(outline(records)).toEqual([
      ["with diagnostics then braces", "inner", "passed"],
      ["", "a comment in its diagnostics", "passed"],
      ["", "unterminated diagnostics", "passed"],
    ]);
    expect(casesOf(records)[1]?.attempts[0].durationMs).toBe(3);
    expect(casesOf(records)[2]?.attempts[0]).toEqual({ status: "passed" });
    expect(suiteFailuresOf(records)).toEqual([
      {
        kind: "suite-failure",
        suite: ["with diagnostics then braces"],
        failure: { message: "outer", stack: "message: outer" },
        status: "failed",
      },
    ]);
  });

  it("marks a subtest that skipped all its tests as skipped, and a failed one without subtests as failed", async () => {
    const text = [
      "# Subtest: skipped child",
      "    1..0 # SKIP no database",
      "ok 1 - skipped child",
      "# Subtest: empty and failed",
      "    1..0",
      "not ok 2 - empty and failed",
      "1..2",
    ].join("\n");
    expect(casesOf(await parseText(text)).map((test) => [test.name, test.attempts[0]])).toEqual([
      ["skipped child", { status: "skipped", skipReason: "no database" }],
      ["empty and failed", { status: "failed" }],
    ]);
  });

  it("reads node-tap's time directive in seconds and the stream's time comment", async () => {
    const records = await parseText("ok 1 - slow # time=1.5s\n1..1\n# time=2s\n");
    expect(casesOf(records)[0]?.attempts[0].durationMs).toBe(1500);
    expect(records[records.length - 1]).toEqual({ kind: "report", durationMs: 2000 });
  });

  it("reports a bail out inside a subtest under the subtest's name", async () => {
    const records = await parseText(
      ["# Subtest: db", "    ok 1 - connects", "    Bail out! disk full", "ok 1 - db"].join("\n"),
    );
    expect(suiteFailuresOf(records)).toEqual([
      { kind: "suite-failure", suite: ["db"], failure: { type: "Bail out!", message: "disk full" }, status: "error" },
    ]);
    expect(outline(records)).toEqual([["db", "connects", "passed"]]);
  });

  it("reports a group that failed with no failing subtest and no name under the report", async () => {
    const records = await parseText(
      [
        "    ok 1 - fine",
        "    1..1",
        "not ok 1",
        "  ---",
        "  failureType: 'hookFailed'",
        "  error: 'after hook'",
        "  ...",
        "1..1",
      ].join("\n"),
      "x.tap",
    );
    expect(suiteFailuresOf(records)).toEqual([
      {
        kind: "suite-failure",
        suite: ["x.tap"],
        failure: { type: "hookFailed", message: "after hook", stack: "failureType: 'hookFailed'\nerror: 'after hook'" },
        status: "failed",
      },
    ]);
  });

  it("closes several levels at once, and reads odd locations and a crashed group", async () => {
    const text = [
      "# Subtest: outer",
      "    # Subtest: inner",
      "        not ok 1 - deep",
      "          ---",
      "          location: 'no-line-here'",
      "          ...",
      "        ok 2 - deeper",
      "          ---",
      "          location: ':0:0'",
      "          ...",
      "ok 1 - outer",
      "# Subtest: timed out group",
      "    ok 1 - fine",
      "not ok 2 - timed out group",
      "  ---",
      "  failureType: 'testTimeoutFailure'",
      "  ...",
      "1..0 # SKIP",
    ].join("\n");
    const records = await parseText(text);
    expect(casesOf(records).map((test) => [test.suite, test.name, test.file, test.line])).toEqual([
      [["outer", "inner"], "deep", "no-line-here", undefined],
      [["outer", "inner"], "deeper", undefined, undefined],
      [["timed out group"], "fine", undefined, undefined],
    ]);
    expect(suiteFailuresOf(records)).toEqual([
      {
        kind: "suite-failure",
        suite: ["timed out group"],
        failure: { type: "testTimeoutFailure", stack: "failureType: 'testTimeoutFailure'" },
        status: "error",
      },
    ]);
  });

  it("keeps a big diagnostics block out of memory", async () => {
    const big = Array.from({ length: 40_000 }, (_, i) => `  line${i}: ${"z".repeat(40)}`);
    const [test] = casesOf(await parseText(["not ok 1 - huge", "  ---", ...big, "  ...", "1..1"].join("\n")));
    expect(test?.attempts[0].status).toBe("failed");
    expect(test?.attempts[0].failure?.message).toBeUndefined();
  });
});

describe("tapParser on invalid input", () => {
  it("fails on invalid UTF-8 with the file and line", async () => {
    const file = path.join(FIXTURES, "invalid/invalid-utf8.tap");
    const error: unknown = await parseFile(file).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(KaizenError);
    expect(error).toMatchObject({ code: "INVALID_ENCODING", file, position: { line: 3 } });
  });

  it("reads text that is not TAP as an empty stream, without crashing", async () => {
    const file = path.join(FIXTURES, "invalid/not-tap.tap");
    expect(tapParser.matches(await sniffFile(file))).toBe(false);
    expect(await parseFile(file)).toEqual([]);
  });

  it("names unnamed, unnumbered points by their position", async () => {
    const records = await parseFile(path.join(FIXTURES, "missing/bare-points.tap"));
    expect(outline(records)).toEqual([
      ["", "1", "passed"],
      ["", "2", "failed"],
      ["", "3", "skipped"],
      ["", "4", "skipped"],
      ["", "5", "passed"],
    ]);
  });
});

describe("tapParser.matches", () => {
  const sniff = (text: string): ReportSniff => sniffText("x.tap", text);

  it("claims text that starts like TAP", () => {
    expect(tapParser.matches(sniff("TAP version 14\n"))).toBe(true);
    expect(tapParser.matches(sniff("# comment\n1..3\n"))).toBe(true);
    expect(tapParser.matches(sniff("junk\nnot ok 1 - x\n"))).toBe(true);
    expect(tapParser.matches(sniff(`${"log line\n".repeat(40)}ok 1\n`))).toBe(false);
    expect(tapParser.matches(sniff("okay then\nnothing to see\n"))).toBe(false);
    expect(tapParser.matches(sniff('{"ok": true}\n'))).toBe(false);
  });

  it("claims no file of another format", async () => {
    const mine = /tap-parser|fixtures[\\/]tap[\\/]/;
    expect(await filesClaimedBy(tapParser, mine)).toEqual([]);
  });
});

describe("parseYamlSubset", () => {
  it("reads mappings, sequences and every scalar style producers write", () => {
    const text = [
      "duration_ms: 1.5",
      "ok: true",
      "skip: False",
      "nothing: ~",
      "empty:",
      "hex: 0x1F",
      "list: []",
      "map: {}",
      'flow: ["a", 1]',
      "badflow: [a, b",
      "quoted: 'it''s'",
      'double: "tab\\there \\u00e9 \\x41 \\n\\r\\0\\e\\U0001F600 \\""',
      "plain: some text # a comment",
      "folded plain: first",
      "  second",
      "",
      "  third",
      "literal: |",
      "  line one",
      "    indented",
      "",
      "  line three",
      "stripped: |-",
      "  no newline",
      "kept: |+",
      "  keep",
      "",
      "folded: >",
      "  joined",
      "  words",
      "",
      "  new paragraph",
      "    more indented",
      "explicit: |2",
      "    two extra",
      "nested:",
      "  inner: value",
      "  deeper:",
      "    - a",
      "    - key: v",
      "      other: w",
      "    -",
      "      - x",
      "    - - y",
      "    - |",
      "      block in a list",
      "    -",
      "sequence at key indent:",
      "- one",
      "- two",
      '"quoted key": 1',
      "'single key': 2",
      "multi: 'a",
      "  b'",
      'multid: "c',
      "",
      '  d"',
    ].join("\n");
    expect(parseYamlSubset(text)).toEqual({
      duration_ms: 1.5,
      ok: true,
      skip: false,
      nothing: null,
      empty: null,
      hex: 31,
      list: [],
      map: {},
      flow: ["a", 1],
      badflow: "[a, b",
      quoted: "it's",
      double: 'tab\there é A \n\r\0\x1b😀 "',
      plain: "some text",
      "folded plain": "first second\nthird",
      literal: "line one\n  indented\n\nline three\n",
      stripped: "no newline",
      kept: "keep\n\n",
      folded: "joined words\nnew paragraph\n  more indented\n",
      explicit: "  two extra\n",
      nested: { inner: "value", deeper: ["a", { key: "v", other: "w" }, ["x"], ["y"], "block in a list\n", null] },
      "sequence at key indent": ["one", "two"],
      "quoted key": 1,
      "single key": 2,
      multi: "a b",
      multid: "c\nd",
    });
  });

  it("reads a top-level sequence, a scalar document and an empty one", () => {
    expect(parseYamlSubset("- a\n- b")).toEqual(["a", "b"]);
    expect(parseYamlSubset("just text")).toBe("just text");
    expect(parseYamlSubset("# only a comment\n")).toBeNull();
    expect(parseYamlSubset("key: |\n")).toEqual({ key: "" });
    expect(parseYamlSubset("\tkey: tabbed")).toEqual({ key: "tabbed" });
    expect(parseYamlSubset("first: 1\nlast:")).toEqual({ first: 1, last: null });
    expect(parseYamlSubset("text: >\n")).toEqual({ text: "" });
  });

  it("gives up, without throwing, on what it does not read", () => {
    expect(parseYamlSubset("a: 1\n    b: 2")).toBeUndefined();
    expect(parseYamlSubset("a: 1\nnot a key")).toBeUndefined();
    expect(parseYamlSubset("anchor: &x 1")).toBeUndefined();
    expect(parseYamlSubset("open: 'never closed\nnext: 1")).toBeUndefined();
    expect(parseYamlSubset("a:\n  - 1\n  b: 2")).toBeUndefined();
    expect(parseYamlSubset("block: |\n    deep\n  shallow")).toBeUndefined();
    expect(
      parseYamlSubset(Array.from({ length: 100 }, (_, i) => `${"  ".repeat(i)}k${i}:`).join("\n")),
    ).toBeUndefined();
  });
});
