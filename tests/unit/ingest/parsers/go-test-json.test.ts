import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { ReportSniff, ReportSource } from "../../../../src/ingest/parser.js";
import { goTestJsonParser } from "../../../../src/ingest/parsers/go-test-json.js";
import type { RawRecord } from "../../../../src/ingest/raw-records.js";
import { sniffFile } from "../../../../src/ingest/sniff.js";
import {
  goPackageEnd,
  goTestEvents,
  goTestSpecFactory,
  ndjson,
  type GoTestEvent,
} from "../../../factories/go-test-events.js";
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

const FIXTURES = fixture("go-test-json");
const { parseFile, parseText } = bindParser(goTestJsonParser, "go-test.json");

function parseEvents(events: readonly GoTestEvent[], plain: readonly string[] = []): Promise<RawRecord[]> {
  return parseText(`${plain.map((line) => `${line}\n`).join("")}${ndjson(events)}`);
}

describe("goTestJsonParser on the dorny-test-reporter corpus", () => {
  it("reads golang-json.json with the counts dorny renders (5 passed, 6 failed, 1 skipped)", async () => {
    const file = path.join(DORNY_FIXTURES, "golang-json.json");
    expect(goTestJsonParser.matches(await sniffFile(file))).toBe(true);
    const records = await parseFile(file);
    expect(firstAttemptCounts(records)).toEqual({ passed: 5, failed: 6, skipped: 1 });
    expect(suiteFailuresOf(records)).toEqual([]);
    const tests = casesOf(records);
    expect(new Set(tests.map((test) => test.suite.join("/")))).toEqual(
      new Set(["_/home/james_t/git/test-reporter/reports/go"]),
    );
    const byName = new Map(tests.map((test) => [test.name, test.attempts[0]]));
    expect(byName.get("TestFailing")).toMatchObject({
      status: "failed",
      durationMs: 890,
      startedAt: "2025-04-22T08:59:55.428299886-05:00",
      failure: { message: "expected 1+1 = 3, got 2", stack: "calculator_test.go:19: expected 1+1 = 3, got 2" },
    });
    expect(byName.get("TestSkipped")).toMatchObject({ status: "skipped", skipReason: "skipping test" });
    expect(byName.get("TestCases/2_+_3_=_4")?.failure?.message).toBe("expected 2 + 3 = 4, got 5");
    // The parent of subtests is reported too, with its own outcome, as Go does.
    expect(byName.get("TestCases")).toMatchObject({ status: "failed", durationMs: 2250 });
    expect(byName.get("TestPassing")?.stdout).toBe(
      "=== RUN   TestPassing\n    calculator_test.go:11: pass!\n--- PASS: TestPassing (0.06s)\n",
    );
  });
});

describe("goTestJsonParser on go 1.19 output", () => {
  it("reads one package: t.Errorf, t.Skip, table tests, parallel subtests and a panic", async () => {
    const records = await parseFile(path.join(FIXTURES, "well-defined/go1.19-calc.json"));
    expect(firstAttemptCounts(records)).toEqual({ passed: 6, failed: 3, skipped: 1, error: 1 });
    const byName = new Map(casesOf(records).map((test) => [test.name, test.attempts[0]]));
    expect(byName.get("TestAddFails")?.failure).toEqual({
      message: "expected 1+1 = 3, got 2\nsecond line of the message",
      stack: "calc_test.go:18: expected 1+1 = 3, got 2\n    second line of the message\ncalc_test.go:19: another error",
    });
    expect(byName.get("TestSkipped")?.skipReason).toBe("skipping: needs a database");
    expect(byName.get("TestDivTable/1/2")?.failure?.message).toBe("Div(1, 2) = 0, want 1");
    expect(byName.get("TestNested/level_one/level_two")?.stdout).toContain("printed to stdout");
    expect(byName.get("TestPanics")).toMatchObject({
      status: "error",
      failure: {
        type: "panic",
        message: "panic: runtime error: integer divide by zero",
        stack: expect.stringContaining("goroutine") as unknown,
      },
    });
  });

  it("turns package failures with no failing test into suite failures: TestMain, init panic, build failure", async () => {
    for (const name of ["go1.19-packages.json", "go1.19-packages-stderr.json"]) {
      const file = path.join(FIXTURES, "well-defined", name);
      expect(goTestJsonParser.matches(await sniffFile(file))).toBe(true);
      const records = await parseFile(file);
      const failures = new Map(suiteFailuresOf(records).map((record) => [record.suite[0], record]));
      expect([...failures.keys()].sort()).toEqual([
        "example.com/calc/buildfail",
        "example.com/calc/initpanic",
        "example.com/calc/mainfail",
      ]);
      expect(failures.get("example.com/calc/mainfail")).toMatchObject({
        status: "error",
        failure: { message: "TestMain: leaked goroutines detected" },
      });
      expect(failures.get("example.com/calc/initpanic")?.failure).toMatchObject({
        type: "panic",
        message: "panic: config file not found",
      });
      // A test still running when its package died (here: timed out) did not complete.
      const hung = casesOf(records).find((test) => test.name === "TestHangs");
      expect(hung?.attempts[0]).toMatchObject({
        status: "error",
        failure: { type: "panic", message: "panic: test timed out after 3s" },
      });
      expect(hung?.attempts[0]).not.toHaveProperty("durationMs");
    }
    const stdoutOnly = suiteFailuresOf(await parseFile(path.join(FIXTURES, "well-defined/go1.19-packages.json")));
    expect(stdoutOnly.find((record) => record.suite[0] === "example.com/calc/buildfail")?.failure.message).toBe(
      "FAIL\texample.com/calc/buildfail [build failed]",
    );
    const merged = suiteFailuresOf(await parseFile(path.join(FIXTURES, "well-defined/go1.19-packages-stderr.json")));
    expect(merged.find((record) => record.suite[0] === "example.com/calc/buildfail")?.failure).toEqual({
      type: "build failed",
      message: "buildfail/buildfail_test.go:6:2: undefined: undefinedFunction",
      stack: "buildfail/buildfail_test.go:6:2: undefined: undefinedFunction",
    });
  });
});

describe("goTestJsonParser on go 1.24 build events (written from the cmd/test2json and `go help buildjson` docs)", () => {
  it("attributes build output to every package whose FailedBuild names it", async () => {
    const records = await parseFile(path.join(FIXTURES, "well-defined/go1.24-build-events.json"));
    expect(firstAttemptCounts(records)).toEqual({ passed: 1 });
    const failures = suiteFailuresOf(records);
    expect(failures.map((record) => record.suite[0])).toEqual([
      "example.com/calc/broken",
      "example.com/calc/usesdep",
      "example.com/calc/alsousesdep",
      "example.com/calc/missing",
      "example.com/calc/vetonly",
    ]);
    expect(failures[0]).toEqual({
      kind: "suite-failure",
      suite: ["example.com/calc/broken"],
      failure: {
        type: "build failed",
        message: "broken/broken_test.go:6:2: undefined: undefinedFunction",
        stack:
          "# example.com/calc/broken [example.com/calc/broken.test]\nbroken/broken_test.go:6:2: undefined: undefinedFunction",
      },
      status: "error",
      durationMs: 0,
    });
    expect(failures[1]?.failure.message).toContain("cannot use");
    expect(failures[2]?.failure.message).toBe(failures[1]?.failure.message);
    expect(failures[3]?.failure.message).toBe(
      "missing/missing_test.go:3:8: no required module provides package example.com/nowhere; to add it:",
    );
    // A build that failed with no package to blame is still reported, under its own import path.
    expect(failures[4]).toEqual({
      kind: "suite-failure",
      suite: ["example.com/calc/vetonly"],
      failure: { type: "build failed" },
      status: "error",
    });
  });
});

describe("goTestJsonParser on generated streams", () => {
  it("emits each test with package as suite and the full Go name", async () => {
    const specs = [
      goTestSpecFactory.build({ pkg: "example.com/a", name: "TestOne" }),
      goTestSpecFactory.build({
        pkg: "example.com/a",
        name: "TestOne/sub_case",
        outcome: "fail",
        logs: ["got 1, want 2"],
      }),
      goTestSpecFactory.build({ pkg: "example.com/b", outcome: "skip", logs: ["not on CI"] }),
    ];
    const events = [
      ...specs.flatMap((spec, i) => goTestEvents(spec, i * 10)),
      ...goPackageEnd("example.com/a", "fail"),
      ...goPackageEnd("example.com/b", "pass"),
    ];
    const tests = casesOf(await parseEvents(events));
    expect(tests.map((test) => [test.suite, test.name, test.attempts[0].status])).toEqual([
      [["example.com/a"], "TestOne", "passed"],
      [["example.com/a"], "TestOne/sub_case", "failed"],
      [[specs[2]?.pkg], specs[2]?.name, "skipped"],
    ]);
    expect(tests[1]?.attempts[0].failure?.message).toBe("got 1, want 2");
    expect(tests[2]?.attempts[0].skipReason).toBe("not on CI");
    expect(tests[0]?.attempts[0].durationMs).toBeCloseTo((specs[0]?.seconds ?? 0) * 1000, 6);
  });

  it("separates interleaved parallel tests and packages", async () => {
    const a = goTestEvents(goTestSpecFactory.build({ pkg: "example.com/a", outcome: "fail", logs: ["from a"] }));
    const b = goTestEvents(goTestSpecFactory.build({ pkg: "example.com/b", logs: ["from b"] }));
    const interleaved = a.flatMap((event, i) => [event, ...(b[i] === undefined ? [] : [b[i]])]);
    const tests = casesOf(await parseEvents(interleaved));
    expect(tests.find((test) => test.suite[0] === "example.com/a")?.attempts[0].stdout).not.toContain("from b");
    expect(tests.find((test) => test.suite[0] === "example.com/b")?.attempts[0].stdout).toContain("from b");
  });

  it("reads a package failure whose only output is its verdict", async () => {
    const records = await parseEvents(goPackageEnd("example.com/x", "fail"));
    expect(suiteFailuresOf(records)).toEqual([
      {
        kind: "suite-failure",
        suite: ["example.com/x"],
        failure: { message: "FAIL\texample.com/x\t0.1s" },
        status: "error",
        durationMs: 100,
        stdout: "FAIL\texample.com/x\t0.1s\n",
      },
    ]);
  });

  it("caps the output kept per test", async () => {
    const big = "x".repeat(300 * 1024);
    const spec = goTestSpecFactory.build({ pkg: "example.com/big" });
    const [run, ...rest] = goTestEvents(spec);
    const chatter = Array.from({ length: 5 }, (): GoTestEvent => ({
      Action: "output",
      Package: spec.pkg,
      Test: spec.name,
      Output: big,
    }));
    const [test] = casesOf(await parseEvents([run ?? { Action: "run" }, ...chatter, ...rest]));
    expect(test?.attempts[0].stdout).toHaveLength(1024 * 1024);
  });

  it("streams a large run in bounded memory, one test at a time", async () => {
    const packages = 20;
    const perPackage = 500;
    function* lines(): Generator<Buffer> {
      for (let p = 0; p < packages; p++) {
        const pkg = `example.com/pkg${p}`;
        for (let t = 0; t < perPackage; t++) {
          yield Buffer.from(
            ndjson(
              goTestEvents({ pkg, name: `Test${t}`, outcome: t % 50 === 0 ? "fail" : "pass", seconds: 0.01, logs: [] }),
            ),
          );
        }
        yield Buffer.from(ndjson(goPackageEnd(pkg, "fail")));
      }
    }
    const source: ReportSource = { path: "big.json", size: 0, open: () => Readable.from(lines()) };
    let count = 0;
    let failed = 0;
    await goTestJsonParser.parse(source, {
      emit: (record) => {
        if (record.kind !== "case") return;
        count++;
        if (record.attempts[0].status === "failed") failed++;
      },
    });
    expect(count).toBe(packages * perPackage);
    expect(failed).toBe(packages * (perPackage / 50));
  });
});

describe("goTestJsonParser with fields missing", () => {
  it("reads cached results, benchmarks, no-test packages and a stream cut mid-test", async () => {
    const records = await parseFile(path.join(FIXTURES, "missing/cached-and-benchmarks.json"));
    expect(casesOf(records).map((test) => [test.suite[0], test.name, test.attempts[0].status])).toEqual([
      ["example.com/calc/calc", "TestAdd", "passed"],
      ["example.com/calc/bench", "BenchmarkAdd", "passed"],
      ["example.com/calc/crash", "TestNoOutput", "failed"],
      ["example.com/calc/crash", "TestCut", "error"],
    ]);
    const [cached, bench, noOutput, cut] = casesOf(records);
    expect(cached?.attempts[0]).toEqual({ status: "passed", stdout: "=== RUN   TestAdd\n--- PASS: TestAdd (0.00s)\n" });
    expect(bench?.attempts[0].stdout).toBe("    bench_test.go:9: logged from the benchmark\n");
    expect(noOutput?.attempts[0]).toEqual({ status: "failed", durationMs: 500 });
    expect(cut?.attempts[0]).toMatchObject({
      status: "error",
      startedAt: "2025-03-01T10:00:03Z",
      failure: { message: "still running when the stream ends" },
    });
    expect(suiteFailuresOf(records)).toEqual([
      { kind: "suite-failure", suite: ["example.com/calc/silent"], failure: {}, status: "error", durationMs: 100 },
    ]);
  });
});

describe("goTestJsonParser on invalid input", () => {
  it("rejects JSON lines that are not events, naming the file and line", async () => {
    const file = path.join(FIXTURES, "invalid/not-events.json");
    expect(goTestJsonParser.matches(await sniffFile(file))).toBe(false);
    const error = await kaizenRejection(parseFile(file));
    expect(error).toMatchObject({ code: "PARSE_ERROR", file, position: { line: 1 } });
    expect(error.message).toBe("not a go test -json event: missing Action");
  });

  it("rejects a truncated last line", async () => {
    const file = path.join(FIXTURES, "invalid/truncated.json");
    const error = await kaizenRejection(parseFile(file));
    expect(error).toMatchObject({ code: "PARSE_ERROR", file, position: { line: 3 } });
    expect(error.message).toMatch(/^malformed JSON line/);
  });

  it("rejects a file with no events at all", async () => {
    const file = path.join(FIXTURES, "invalid/plain-text-only.json");
    const error = await kaizenRejection(parseFile(file));
    expect(error).toMatchObject({ code: "PARSE_ERROR", file, message: "not a go test -json stream: no test events" });
  });

  it("takes a build failure's message from the compiler text printed before the package's events (go 1.20-1.23, 2>&1)", async () => {
    const pkg = "example.com/broken";
    const records = await parseEvents(
      [
        { Action: "output", Package: pkg, Output: `FAIL\t${pkg} [build failed]\n` },
        { Action: "fail", Package: pkg },
      ],
      [
        `# ${pkg} [${pkg}.test]`,
        "./broken_test.go:3:1: syntax error: unexpected }",
        `FAIL\t${pkg} [build failed]`,
        "# example.com/vetted",
        "./x.go:1:1: vet: odd",
      ],
    );
    expect(suiteFailuresOf(records)).toEqual([
      {
        kind: "suite-failure",
        suite: [pkg],
        failure: {
          message: "./broken_test.go:3:1: syntax error: unexpected }",
          stack: "./broken_test.go:3:1: syntax error: unexpected }",
        },
        status: "error",
        stdout: `FAIL\t${pkg} [build failed]\n`,
      },
    ]);
  });

  it("tolerates events without the optional fields", async () => {
    const records = await parseEvents([
      { Action: "output", Time: "2025-03-01T10:00:00Z" },
      { Action: "run", Package: "p", Test: "TestA" },
      { Action: "output", Package: "p", Test: "TestA" },
      { Action: "output", Package: "p", Test: "TestA", Output: "    a_test.go:3: \n" },
      { Action: "output", Package: "p", Test: "TestA", Output: "    a_test.go:4: partial line without newline" },
      { Action: "fail", Package: "p", Test: "TestA" },
      { Action: "output", Package: "p" },
      { Action: "pass", Package: "p" },
    ]);
    expect(casesOf(records)).toEqual([
      {
        kind: "case",
        suite: ["p"],
        name: "TestA",
        attempts: [
          {
            status: "failed",
            failure: {
              message: "partial line without newline",
              stack: "a_test.go:3: \na_test.go:4: partial line without newline",
            },
            stdout: "    a_test.go:3: \n    a_test.go:4: partial line without newline",
          },
        ],
      },
    ]);
  });

  it("keeps going past plain text that is not JSON", async () => {
    const spec = goTestSpecFactory.build();
    const records = await parseEvents(
      [...goTestEvents(spec), ...goPackageEnd(spec.pkg, "pass")],
      ["warning: GOPATH set to GOROOT", "", "ok but not an event"],
    );
    expect(firstAttemptCounts(records)).toEqual({ passed: 1 });
  });
});

describe("goTestJsonParser.matches", () => {
  const sniff = (text: string): ReportSniff => sniffText("x.json", text);

  it("claims streams whose first event has Action and Package or Time", () => {
    const spec = goTestSpecFactory.build();
    expect(goTestJsonParser.matches(sniff(ndjson(goTestEvents(spec))))).toBe(true);
    expect(goTestJsonParser.matches(sniff(ndjson([{ Action: "pass", Package: "p" }])))).toBe(true);
    expect(
      goTestJsonParser.matches(
        sniff(
          ndjson([
            { ImportPath: "p", Action: "build-fail" },
            { Action: "fail", Package: "p" },
          ]),
        ),
      ),
    ).toBe(true);
    expect(
      goTestJsonParser.matches(
        sniff("# example.com/p\nFAIL\texample.com/p [build failed]\n" + ndjson(goTestEvents(spec))),
      ),
    ).toBe(true);
    expect(goTestJsonParser.matches(sniff('# header\n{"Action": 1}\n'))).toBe(false);
    expect(goTestJsonParser.matches(sniff("# header\n{not json\n"))).toBe(false);
    expect(goTestJsonParser.matches(sniff("just some text\n"))).toBe(false);
    expect(goTestJsonParser.matches(sniff(ndjson([{ Action: "run" }, { Action: "run" }])))).toBe(false);
    expect(goTestJsonParser.matches(sniff(ndjson([[1], [2]])))).toBe(false);
    expect(goTestJsonParser.matches(sniff('<?xml version="1.0"?><testsuites/>'))).toBe(false);
  });

  it("claims no file of another format", async () => {
    const mine = /golang-json|fixtures[\\/]go-test-json[\\/]/;
    expect(await filesClaimedBy(goTestJsonParser, mine)).toEqual([]);
  });
});
