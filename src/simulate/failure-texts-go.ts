import type {
  CauseText,
  FailureText,
  FrameworkTexts,
  InfrastructureFault,
  Occurrence,
  Renderer,
} from "./failure-text.js";
import type { CodeSite } from "./source-layout.js";
import { amount, goOffset, goPointer, lineAt } from "./varying-values.js";

const baseName = (file: string): string => file.replace(/^.*\//, "");

/** `go test -v` output of one failed test, as gotestsum puts it in the failure body. */
function goFailure(o: Occurrence, lines: readonly string[], panicked = false): FailureText {
  const seconds = (o.durationMs / 1000).toFixed(2);
  const body = [
    `=== RUN   ${o.test.name}`,
    ...lines,
    `--- FAIL: ${o.test.name} (${seconds}s)`,
    ...(panicked ? [`FAIL\t${o.test.suite}\t${(o.durationMs / 1000 + 0.01).toFixed(3)}s`] : []),
  ].join("\n");
  return { element: "failure", type: "", message: "Failed", body };
}

/** A `t.Errorf` line: `    file_test.go:57: message`. */
function logLine(o: Occurrence, offset: number, message: string): string {
  return `    ${baseName(o.test.file)}:${lineAt(o.test.file, o.test.line + offset, o.revision)}: ${message}`;
}

/** The method of `site` as a Go frame names it: `pkg.(*Type).Method`. */
function goFunction(site: CodeSite): string {
  return `${site.unit.qualified}.(*${site.unit.name}).${site.method.name}`;
}

/** A goroutine trace of a panic in `site` under the test, with the testing package's frames. */
function panicTrace(o: Occurrence, site: CodeSite, offset: number, message: string): string[] {
  const goroutine = o.random.int(6, 90);
  const p = goPointer(o.random);
  const fn = o.test.testFunction;
  return [
    `panic: ${message} [recovered]`,
    `\tpanic: ${message}`,
    "",
    `goroutine ${goroutine} [running]:`,
    `testing.tRunner.func1.2({0x${o.random.hex(6)}, ${p}})`,
    `\t/usr/local/go/src/testing/testing.go:1632 ${goOffset(o.random)}`,
    "testing.tRunner.func1()",
    `\t/usr/local/go/src/testing/testing.go:1635 ${goOffset(o.random)}`,
    `panic({0x${o.random.hex(6)}?, ${p}?})`,
    `\t/usr/local/go/src/runtime/panic.go:785 ${goOffset(o.random)}`,
    `${goFunction(site)}(${goPointer(o.random)}, {${goPointer(o.random)}, 0x${o.random.int(1, 9)}, 0x${o.random.int(1, 9)}})`,
    `\t${o.runner.workspace}/${site.unit.file}:${lineAt(site.unit.file, site.method.line + offset, o.revision)} ${goOffset(o.random)}`,
    `${o.test.suite}.${fn}(${goPointer(o.random)})`,
    `\t${o.runner.workspace}/${o.test.file}:${lineAt(o.test.file, o.test.line + 4, o.revision)} ${goOffset(o.random)}`,
    `testing.tRunner(${goPointer(o.random)}, ${goPointer(o.random)})`,
    `\t/usr/local/go/src/testing/testing.go:1690 ${goOffset(o.random)}`,
    `created by testing.(*T).Run in goroutine ${goroutine - 1}`,
    `\t/usr/local/go/src/testing/testing.go:1743 ${goOffset(o.random)}`,
  ];
}

/** A Go duration as `time.Duration.String()` prints a whole number of seconds (`5s`, `2m0s`). */
function goDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${seconds % 60}s` : `${seconds}s`;
}

/** `go test` failure texts as gotestsum reports them: `t.Errorf` lines, testify blocks, panics with goroutine traces, `--- FAIL`. */
export const goTexts: FrameworkTexts = {
  regression(random, site) {
    const variant = random.int(0, 4);
    const offset = random.int(3, 14);
    const siteOffset = random.int(1, 20);
    const base = Number(amount(random, 20, 500));
    const factor = random.pick([0.9, 0.8, 1.1, 0.5]);
    const length = random.int(1, 4);
    const index = length + random.int(0, 3);
    const summaries = [
      `${site.unit.name}.${site.method.name} returns a wrong amount`,
      `${site.unit.name}.${site.method.name} returns a wrong amount (testify)`,
      `${site.unit.name}.${site.method.name} indexes past the end of a slice`,
      `${site.unit.name}.${site.method.name} dereferences a nil pointer`,
      `${site.unit.name}.${site.method.name} rejects a valid entry`,
    ];
    return {
      summary: summaries[variant] ?? "a regression",
      render: (o) => {
        const want = Math.round(base * o.stable.between(0.5, 2));
        const got = Math.round(want * factor);
        switch (variant) {
          case 0:
            return goFailure(o, [logLine(o, offset, `${site.method.name}() = ${got}, want ${want}`)]);
          case 1:
            return goFailure(o, [
              logLine(o, offset, ""),
              `        \tError Trace:\t${o.runner.workspace}/${o.test.file}:${lineAt(o.test.file, o.test.line + offset, o.revision)}`,
              "        \tError:      \tNot equal: ",
              `        \t            \texpected: ${want}`,
              `        \t            \tactual  : ${got}`,
              `        \tTest:       \t${o.test.name}`,
            ]);
          case 2:
            return goFailure(
              o,
              panicTrace(o, site, siteOffset, `runtime error: index out of range [${index}] with length ${length}`),
              true,
            );
          case 3:
            return goFailure(
              o,
              [
                ...panicTrace(
                  o,
                  site,
                  siteOffset,
                  "runtime error: invalid memory address or nil pointer dereference",
                ).slice(0, 2),
                `[signal SIGSEGV: segmentation violation code=0x1 addr=0x${o.stable.int(8, 64).toString(16)} pc=0x${o.random.hex(6)}]`,
                ...panicTrace(o, site, siteOffset, "").slice(2),
              ],
              true,
            );
          default:
            return goFailure(o, [
              logLine(
                o,
                offset,
                `${site.method.name}() error = ${o.test.component}: entry ${o.random.hex(12)} already posted, wantErr false`,
              ),
            ]);
        }
      },
    };
  },

  flaky(random, site) {
    const variant = random.int(0, 3);
    const offset = random.int(3, 14);
    const summaries = [
      "a subscriber is read before all events are delivered",
      `a data race in ${site.unit.name}.${site.method.name}`,
      "the test dials its fake server before it listens",
      "map iteration order leaks into the result",
    ];
    return {
      summary: summaries[variant] ?? "a race",
      render: (o) => {
        switch (variant) {
          case 0: {
            const want = o.stable.int(3, 6);
            return goFailure(o, [logLine(o, offset, `got ${want - o.random.int(1, 2)} events, want ${want}`)]);
          }
          case 1: {
            const address = `0x00c000${o.random.hex(6)}`;
            const g = o.random.int(8, 60);
            const frame = `      ${o.runner.workspace}/${site.unit.file}:${lineAt(site.unit.file, site.method.line + 5, o.revision)} ${goOffset(o.random)}`;
            return goFailure(o, [
              "==================",
              "WARNING: DATA RACE",
              `Write at ${address} by goroutine ${g}:`,
              `  ${goFunction(site)}()`,
              frame,
              "",
              `Previous read at ${address} by goroutine ${g - o.random.int(1, 5)}:`,
              `  ${goFunction(site)}()`,
              frame,
              "==================",
              `    testing.go:1398: race detected during execution of test`,
            ]);
          }
          case 2:
            return goFailure(o, [
              logLine(
                o,
                offset,
                `${site.method.name}() error = dial tcp 127.0.0.1:${o.random.int(32768, 60999)}: connect: connection refused`,
              ),
            ]);
          default:
            return goFailure(o, [
              logLine(o, offset, `unexpected order: got [${o.stable.pick(["b a c", "c a b"])}], want [a b c]`),
            ]);
        }
      },
    };
  },

  timeout(random, limitMs) {
    const whole = random.chance(0.3);
    return {
      summary: whole
        ? `the test runs past go test -timeout ${goDuration(limitMs * 24)}`
        : `a ${goDuration(limitMs)} context deadline expires`,
      render: (o) =>
        whole
          ? goFailure(
              o,
              [
                `panic: test timed out after ${goDuration(limitMs * 24)}`,
                "\trunning tests:",
                `\t\t${o.test.name} (${goDuration(limitMs * 24)})`,
                "",
                `goroutine ${o.random.int(30, 200)} [running]:`,
                "testing.(*M).startAlarm.func1()",
                `\t/usr/local/go/src/testing/testing.go:2373 ${goOffset(o.random)}`,
                `created by time.goFunc`,
                `\t/usr/local/go/src/time/sleep.go:215 ${goOffset(o.random)}`,
              ],
              true,
            )
          : goFailure(o, [logLine(o, 6, `${o.test.subject.method.name}() error = context deadline exceeded`)]),
    };
  },

  testBug(random) {
    const variant = random.int(0, 2);
    const offset = random.int(3, 14);
    const golden = random.pick(["order", "invoice", "rates", "manifest"]);
    const summaries = [
      "the test writes to a nil map",
      `the test reads a golden file ${golden}.json that is not checked in`,
      "the test decodes a fixture into the wrong type",
    ];
    return {
      summary: summaries[variant] ?? "a test bug",
      render: (o) => {
        switch (variant) {
          case 0: {
            const trace = panicTrace(o, o.test.subject, 1, "assignment to entry in nil map");
            // The panic is in the test itself: drop the product frame.
            return goFailure(o, [...trace.slice(0, 10), ...trace.slice(12)], true);
          }
          case 1:
            return goFailure(o, [logLine(o, offset, `open testdata/golden/${golden}.json: no such file or directory`)]);
          default:
            return goFailure(o, [
              logLine(
                o,
                offset,
                "unexpected error: json: cannot unmarshal string into Go struct field Order.amount of type int64",
              ),
            ]);
        }
      },
    };
  },

  environment(random, kind): CauseText {
    const binary = random.pick(["protoc", "buf", "migrate", "pg_ctl"]);
    const variable = random.pick(["LEDGER_DSN", "GOOGLE_APPLICATION_CREDENTIALS", "NATS_URL"]);
    const module = random.pick(["github.com/acme/platform/pkg/money", "github.com/shopspring/decimal"]);
    return {
      summary:
        kind === "missing-binary"
          ? `binary ${binary} is not on the runner's PATH`
          : kind === "missing-env-var"
            ? `environment variable ${variable} is not set`
            : `module ${module} is missing from the module cache`,
      render: (o) => {
        if (kind === "missing-binary")
          return goFailure(o, [logLine(o, 2, `exec: "${binary}": executable file not found in $PATH`)]);
        if (kind === "missing-env-var")
          return goFailure(o, [logLine(o, 1, `${variable} must be set to run this test`)]);
        return {
          element: "failure",
          type: "",
          message: "Failed",
          body: `# ${o.test.suite}\n${o.test.subject.unit.file}:${o.stable.int(4, 12)}:2: no required module provides package ${module}; to add it:\n\tgo get ${module}\nFAIL\t${o.test.suite} [setup failed]`,
        };
      },
    };
  },

  infrastructure(fault: InfrastructureFault): Renderer {
    switch (fault.kind) {
      case "connection-refused":
        return (o) =>
          fault.service === "postgres"
            ? goFailure(o, [
                logLine(
                  o,
                  2,
                  `failed to connect to \`user=${o.test.component} database=${o.test.component}_test\`:\n\t\t${fault.ip}:${fault.port} (${fault.host}): dial error: dial tcp ${fault.ip}:${fault.port}: connect: connection refused`,
                ),
              ])
            : goFailure(o, [
                logLine(
                  o,
                  2,
                  `${o.test.subject.method.name}() error = dial tcp ${fault.ip}:${fault.port}: connect: connection refused`,
                ),
              ]);
      case "dns":
        return (o) =>
          goFailure(o, [
            logLine(
              o,
              2,
              `${o.test.subject.method.name}() error = dial tcp: lookup ${fault.host} on 127.0.0.53:53: no such host`,
            ),
          ]);
      case "oom-killed":
        return (o) => ({
          element: "failure",
          type: "",
          message: "Failed",
          body: `=== RUN   ${o.test.name}\nsignal: killed\nFAIL\t${o.test.suite}\t${(o.durationMs / 1000 + o.random.between(1, 40)).toFixed(3)}s`,
        });
      case "disk-full":
        return (o) =>
          goFailure(o, [
            logLine(
              o,
              4,
              `write ${fault.mount}/${o.test.testFunction.replace(/\.func1$/, "").replace(/\//g, "")}${o.random.int(1e8, 4e9)}/00${o.random.int(1, 3)}/${o.random.pick(["out.csv", "snapshot.db", "segment.log"])}: no space left on device`,
            ),
          ]);
    }
  },
};
