import { describe, expect, it } from "vitest";
import { bufferSource } from "../../../src/ingest/report-source.js";
import { junitXmlParser } from "../../../src/ingest/parsers/junit-xml.js";
import type { RawTestCase } from "../../../src/ingest/raw-records.js";
import type { EnvironmentKind, FailureText, InfrastructureFault } from "../../../src/simulate/failure-text.js";
import { SERVICE_PORTS } from "../../../src/simulate/failure-text.js";
import { FAILURE_TEXTS } from "../../../src/simulate/failure-texts.js";
import { FRAMEWORK_NAMES, FRAMEWORKS, type Framework } from "../../../src/simulate/frameworks.js";
import { REPORT_CLOSING, reportOpening, testsuiteXml } from "../../../src/simulate/junit-writer.js";
import { Random } from "../../../src/simulate/prng.js";
import type { Service, SimulatedTest } from "../../../src/simulate/test-population.js";
import { occurrenceOf, occurrenceSpecFactory, populationOf } from "../../factories/simulation.js";

const population = populationOf(41, 700, 0.1);
const testsOf = (framework: Framework): SimulatedTest[] =>
  population.tests.filter((t) => t.framework === framework).slice(0, 12);

/** Causes of one category made from many seeds, so that every variant of every factory is met. */
const CAUSES_PER_FACTORY = 48;

type Category = "regression" | "flaky" | "timeout" | "testBug";

function causes(framework: Framework, category: Category) {
  const texts = FAILURE_TEXTS[framework];
  return Array.from({ length: CAUSES_PER_FACTORY }, (_, n) => {
    const random = Random.fromSeed(n).fork(framework, category);
    const site = testsOf(framework)[n % testsOf(framework).length]?.subject;
    if (site === undefined) throw new Error(`no ${framework} test`);
    switch (category) {
      case "regression":
        return texts.regression(random, site);
      case "flaky":
        return texts.flaky(random, site);
      case "timeout":
        return texts.timeout(random, FRAMEWORKS[framework].timeoutMs);
      case "testBug":
        return texts.testBug(random);
    }
  });
}

/** Texts of every cause in several tests and occurrences. */
function samples(framework: Framework, category: Category): FailureText[] {
  return causes(framework, category).flatMap((cause, n) =>
    testsOf(framework)
      .slice(0, 3)
      .map((test) => cause.render(occurrenceOf(test, occurrenceSpecFactory.build(), `c${n}`))),
  );
}

/** Parses `text` as the one failure of a report's one testcase, with Kaizen's own JUnit parser. */
async function roundTrip(test: SimulatedTest, text: FailureText): Promise<RawTestCase> {
  const xml =
    reportOpening("round-trip") +
    testsuiteXml(
      [
        {
          test,
          skipped: null,
          attempts: [
            {
              status: text.element === "error" ? "error" : "failed",
              durationMs: 12,
              text,
              cause: { id: "x", category: "regression", summary: "", timesOut: false, render: () => text },
            },
          ],
        },
      ],
      { name: test.suite, timestamp: "2025-03-03T08:00:00Z", hostname: "h", revision: 0 },
    ) +
    REPORT_CLOSING;
  const records: RawTestCase[] = [];
  await junitXmlParser.parse(bufferSource("r.xml", xml), {
    emit: (record) => {
      if (record.kind === "case") records.push(record);
    },
  });
  expect(records).toHaveLength(1);
  return records[0] as RawTestCase;
}

const bodies = (texts: readonly FailureText[]): string => texts.map((t) => `${t.message}\n${t.body}`).join("\n=====\n");

describe("every runner's failure texts", { timeout: 60_000 }, () => {
  describe.each(FRAMEWORK_NAMES)("the failure texts of %s", (framework) => {
    it.each(["regression", "flaky", "timeout", "testBug"] as const)(
      "render %s causes with a message and a body",
      (category) => {
        const texts = samples(framework, category);
        for (const text of texts) {
          // A runner may leave out one of the two (an exception without a message, xUnit's timeout without a trace).
          expect(`${text.message}${text.body}`.trim()).not.toBe("");
          expect(["failure", "error"]).toContain(text.element);
        }
        expect(causes(framework, category).every((c) => c.summary.trim() !== "")).toBe(true);
        // Different causes, tests and occurrences read differently (xUnit's timeout is one fixed line).
        if (!(framework === "xunit" && category === "timeout"))
          expect(new Set(texts.map((t) => `${t.message}\n${t.body}`)).size).toBeGreaterThan(texts.length / 3);
      },
    );

    it("render environment problems and every infrastructure fault", () => {
      const test = testsOf(framework)[0] as SimulatedTest;
      for (const kind of ["missing-module", "missing-binary", "missing-env-var"] as EnvironmentKind[]) {
        for (let n = 0; n < 8; n++) {
          const cause = FAILURE_TEXTS[framework].environment(Random.fromSeed(n).fork(kind), kind);
          const text = cause.render(occurrenceOf(test));
          expect(text.body.trim()).not.toBe("");
          expect(cause.summary).not.toBe("");
        }
      }
      for (const fault of faults()) {
        const render = FAILURE_TEXTS[framework].infrastructure(fault);
        for (let n = 0; n < 6; n++) {
          const text = render(occurrenceOf(test, occurrenceSpecFactory.build()));
          expect(`${text.message}${text.body}`.trim()).not.toBe("");
        }
      }
    });

    it("round-trips through Kaizen's JUnit parser, message, type and trace intact", async () => {
      const test = testsOf(framework)[1] as SimulatedTest;
      for (const text of [
        ...samples(framework, "regression").slice(0, 6),
        ...samples(framework, "flaky").slice(0, 6),
      ]) {
        const record = await roundTrip(test, text);
        expect(record.name).toBe(test.name);
        const failure = record.attempts[0].failure;
        expect(record.attempts[0].status).toBe(text.element === "error" ? "error" : "failed");
        // Without a message attribute, the parser takes the trace's first line.
        expect(failure?.message).toBe(text.message === "" ? text.body.split("\n", 1)[0] : text.message);
        expect(failure?.type ?? "").toBe(text.type ?? "");
        expect(failure?.stack?.trim() ?? "").toBe(text.body.trim());
      }
    });
  });
});

/** Every fault kind, on every service. */
function faults(): InfrastructureFault[] {
  const services: Service[] = ["postgres", "redis", "kafka", "payments-api", "app"];
  return [
    ...services.flatMap((service): InfrastructureFault[] => [
      {
        kind: "connection-refused",
        service,
        host: `${service}.ci.internal`,
        ip: "10.1.4.23",
        port: SERVICE_PORTS[service],
      },
      { kind: "dns", service, host: `${service}.ci.internal`, port: SERVICE_PORTS[service] },
    ]),
    { kind: "oom-killed" },
    { kind: "disk-full", mount: "/tmp" },
  ];
}

describe("failure texts read like each runner's", { timeout: 60_000 }, () => {
  it("Jest: expect(received) diffs, V8 frames through the project and node_modules", () => {
    const all = bodies(samples("jest", "regression"));
    expect(all).toContain("expect(received).toBe(expected) // Object.is equality\n\nExpected: ");
    expect(all).toMatch(/\n {4}at Object\.<anonymous> \(\/[^)]+\.test\.ts:\d+:\d+\)/);
    expect(all).toMatch(/at _callCircusTest \(\/[^)]+\/node_modules\/jest-circus\/build\/run\.js:\d+:\d+\)/);
    expect(all).toContain("TypeError: Cannot read properties of undefined (reading '");
    expect(bodies(samples("jest", "timeout"))).toContain('thrown: "Exceeded timeout of 5000 ms for a ');
  });

  it("Vitest: chai messages with a diff and ❯ frames", () => {
    const texts = samples("vitest", "regression");
    expect(
      texts.some(
        (t) => t.type === "AssertionError" && /^expected .+ to (be|deeply equal|include|throw)/.test(t.message),
      ),
    ).toBe(true);
    expect(bodies(texts)).toMatch(/\n ❯ apps\/[a-z-]+\/src\/lib\/[a-z-]+\.test\.ts:\d+:\d+/);
    expect(bodies(samples("vitest", "timeout"))).toMatch(/(Test|Hook) timed out in 5000ms/);
  });

  it("Java: exceptions with at com.acme frames, JUnit's expected/but was", () => {
    const texts = samples("junit5", "regression");
    expect(bodies(texts)).toMatch(/\n\tat com\.acme\.[a-z]+\.[a-z]+\.[A-Z]\w+\.\w+\([A-Z]\w+\.java:\d+\)/);
    expect(
      texts.some(
        (t) =>
          t.type === "org.opentest4j.AssertionFailedError" && /^expected: <[\d.]+> but was: <[\d.]+>$/.test(t.message),
      ),
    ).toBe(true);
    expect(
      texts.some(
        (t) => t.type === "java.lang.NullPointerException" && t.message.startsWith('Cannot invoke "com.acme.'),
      ),
    ).toBe(true);
    expect(bodies(samples("junit5", "timeout"))).toMatch(/timed out after (\d+ seconds|\d+ ms)/);
  });

  it("pytest: assert lines, E lines and file.py:NN: AssertionError", () => {
    const texts = samples("pytest", "regression");
    expect(texts.every((t) => t.type === undefined)).toBe(true);
    const all = bodies(texts);
    expect(all).toMatch(/\n>\s+assert .+ == .+\nE\s+assert .+ == .+/);
    expect(all).toMatch(/\ntests\/(unit|integration)\/[a-z_]+\/test_[a-z_]+\.py:\d+: AssertionError/);
    expect(all).toMatch(/\nsrc\/acme\/[a-z_]+\/[a-z_]+\.py:\d+: KeyError/);
    expect(bodies(samples("pytest", "timeout"))).toContain("Failed: Timeout >30.0s");
  });

  it("Go: --- FAIL lines, panics with goroutine traces", () => {
    const all = bodies(samples("go-test", "regression"));
    expect(all).toMatch(/panic: runtime error: index out of range \[\d+\] with length \d+ \[recovered\]/);
    expect(all).toMatch(/\ngoroutine \d+ \[running\]:\n/);
    expect(all).toMatch(/\n--- FAIL: Test\w+\/\S+ \(\d+\.\d\ds\)/);
    expect(all).toMatch(/\n {4}[a-z_]+_test\.go:\d+: \w+\(\) = \d+, want \d+/);
  });

  it("Playwright: locator timeouts with call logs, code frames and attachments", () => {
    const all = bodies(samples("playwright", "flaky"));
    expect(all).toMatch(/Error: locator\.click: Timeout (10000|15000|30000)ms exceeded\.\n\s+Call log:/);
    expect(all).toMatch(/\n {4}> +\d+ \| {5}await /);
    expect(all).toContain("attachment #1: screenshot (image/png)");
    expect(bodies(samples("playwright", "timeout"))).toContain("Test timeout of 30000ms exceeded.");
  });

  it(".NET: xUnit's Assert.Equal() Failure and stack frames with :line", () => {
    const texts = samples("xunit", "regression");
    expect(texts.some((t) => t.message.startsWith("Assert.Equal() Failure"))).toBe(true);
    expect(bodies(texts)).toMatch(/ {3}at Acme\.\w+\.(Tests|IntegrationTests)\.\w+\.\w+\(\) in \/[^ ]+\.cs:line \d+/);
  });

  it("vary ports, ids, paths and times between occurrences of one outage", () => {
    const fault: InfrastructureFault = { kind: "disk-full", mount: "/tmp" };
    for (const framework of FRAMEWORK_NAMES) {
      const render = FAILURE_TEXTS[framework].infrastructure(fault);
      const test = testsOf(framework)[0] as SimulatedTest;
      const texts = Array.from({ length: 5 }, () => render(occurrenceOf(test, occurrenceSpecFactory.build())));
      expect(new Set(texts.map((t) => `${t.message}${t.body}${t.stdout ?? ""}`)).size).toBeGreaterThan(1);
    }
  });
});
