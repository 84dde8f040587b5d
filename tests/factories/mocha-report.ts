import { faker } from "@faker-js/faker";
import { Factory } from "fishery";

/**
 * Mocha `json` reporter output, shaped like tests/fixtures/mocha-json/well-defined
 * (Mocha 12): every test in `tests`, and again in `passes`, `failures` or `pending`.
 */

/** A test as the reporter's `clean()` writes it. */
export interface MochaTestJson {
  title?: unknown;
  fullTitle?: unknown;
  file?: string;
  duration?: number;
  currentRetry?: number;
  speed?: string;
  err?: unknown;
  [other: string]: unknown;
}

/** How a generated test ended, which decides the lists it is copied into. */
export type MochaOutcome = "passed" | "failed" | "pending";

/** A passing test inside one or two suites. */
export const mochaTestFactory = Factory.define<MochaTestJson>(({ sequence }) => {
  const suite = faker.helpers.arrayElement([faker.word.noun(), `${faker.word.noun()} ${faker.word.adjective()}`]);
  const title = `should ${faker.word.verb()} the ${faker.word.noun()} #${sequence}`;
  return {
    title,
    fullTitle: `${suite} ${title}`,
    file: `/repo/test/${faker.word.noun()}.spec.js`,
    duration: faker.number.int({ min: 0, max: 300 }),
    currentRetry: 0,
    speed: "fast",
    err: {},
  };
});

/** An `err` as Mocha serialises a Node assertion failure. */
export function assertionErr(message: string): Record<string, unknown> {
  return {
    stack: `AssertionError [ERR_ASSERTION]: ${message}\n    at Context.<anonymous> (test/x.spec.js:${faker.number.int({ min: 1, max: 99 })}:12)`,
    message,
    generatedMessage: true,
    name: "AssertionError",
    code: "ERR_ASSERTION",
    actual: "1",
    expected: "2",
    operator: "strictEqual",
  };
}

/** A report whose lists agree with each entry's outcome, as Mocha writes them. */
export function mochaReport(
  entries: readonly (readonly [MochaTestJson, MochaOutcome])[],
  hookFailures: MochaTestJson[] = [],
): Record<string, unknown> {
  const tests = entries.map(([test]) => test);
  const of = (outcome: MochaOutcome): MochaTestJson[] => entries.filter(([, o]) => o === outcome).map(([test]) => test);
  const start = faker.date.recent();
  const duration = faker.number.int({ min: 1, max: 5000 });
  return {
    stats: {
      suites: 1,
      tests: tests.length,
      passes: of("passed").length,
      pending: of("pending").length,
      failures: of("failed").length + hookFailures.length,
      start: start.toISOString(),
      end: new Date(start.getTime() + duration).toISOString(),
      duration,
    },
    tests,
    pending: of("pending"),
    failures: [...of("failed"), ...hookFailures],
    passes: of("passed"),
  };
}
