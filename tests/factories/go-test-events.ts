import { faker } from "@faker-js/faker";
import { Factory } from "fishery";

/** One `go test -json` event (cmd/test2json's TestEvent, plus Go 1.24's build events). */
export interface GoTestEvent {
  readonly Time?: string;
  readonly Action: string;
  readonly Package?: string;
  readonly Test?: string;
  readonly Elapsed?: number;
  readonly Output?: string;
  readonly ImportPath?: string;
  readonly FailedBuild?: string;
}

/** A Go test to render into events: its package, name, outcome and log lines. */
export interface GoTestSpec {
  readonly pkg: string;
  readonly name: string;
  readonly outcome: "pass" | "fail" | "skip";
  readonly seconds: number;
  /** What the test logged (t.Log, t.Error), without the `file_test.go:N: ` prefix. */
  readonly logs: readonly string[];
}

const start = Date.UTC(2025, 2, 1, 10, 0, 0);

/** Tests of realistic Go packages, named as `go test` names them. */
export const goTestSpecFactory = Factory.define<GoTestSpec>(({ sequence }) => {
  const word = faker.word.noun().replace(/[^a-z]/gi, "") || "thing";
  return {
    pkg: `example.com/${faker.word.noun().replace(/[^a-z]/gi, "") || "app"}/${word}`,
    name: `Test${word[0]?.toUpperCase() ?? "X"}${word.slice(1)}${sequence}`,
    outcome: "pass",
    seconds: faker.number.float({ min: 0, max: 2, fractionDigits: 2 }),
    logs: [],
  };
});

function time(offset: number): string {
  return new Date(start + offset).toISOString();
}

/** The events `go test -json` writes for one test run, from `run` to its outcome. */
export function goTestEvents(spec: GoTestSpec, offset = 0): GoTestEvent[] {
  const { pkg, name } = spec;
  const verdict = { pass: "PASS", fail: "FAIL", skip: "SKIP" }[spec.outcome];
  return [
    { Time: time(offset), Action: "run", Package: pkg, Test: name },
    { Time: time(offset), Action: "output", Package: pkg, Test: name, Output: `=== RUN   ${name}\n` },
    ...spec.logs.map((log, i): GoTestEvent => ({
      Time: time(offset + 1),
      Action: "output",
      Package: pkg,
      Test: name,
      Output: `    ${name.toLowerCase()}_test.go:${10 + i}: ${log}\n`,
    })),
    {
      Time: time(offset + 2),
      Action: "output",
      Package: pkg,
      Test: name,
      Output: `--- ${verdict}: ${name} (${spec.seconds.toFixed(2)}s)\n`,
    },
    { Time: time(offset + 2), Action: spec.outcome, Package: pkg, Test: name, Elapsed: spec.seconds },
  ];
}

/** The events that end a package: its verdict line and its final action. */
export function goPackageEnd(
  pkg: string,
  outcome: "pass" | "fail" | "skip",
  seconds = 0.1,
  output: readonly string[] = [],
): GoTestEvent[] {
  const verdict = outcome === "pass" ? `ok  \t${pkg}\t${seconds}s\n` : `FAIL\t${pkg}\t${seconds}s\n`;
  return [
    ...output.map((line): GoTestEvent => ({ Time: time(5), Action: "output", Package: pkg, Output: `${line}\n` })),
    { Time: time(5), Action: "output", Package: pkg, Output: verdict },
    { Time: time(5), Action: outcome, Package: pkg, Elapsed: seconds },
  ];
}

/** Renders values one per line, as line-delimited JSON. */
export function ndjson(values: readonly unknown[]): string {
  return `${values.map((value) => JSON.stringify(value)).join("\n")}\n`;
}
