import { faker } from "@faker-js/faker";
import { Factory } from "fishery";

/**
 * Jest-compatible JSON reports (`jest --json`, Vitest's `json` reporter), shaped like the
 * real tools' output in tests/fixtures/{jest,vitest}-json/well-defined.
 */

/** A test entry (`assertionResults[]`). Members are optional so tests can leave them out. */
export interface JestAssertionJson {
  ancestorTitles?: string[];
  title?: unknown;
  fullName?: string;
  status?: string;
  duration?: number | null;
  startAt?: number;
  failureMessages?: unknown;
  failureDetails?: unknown[];
  location?: { line: number; column: number } | null;
  invocations?: number;
  retryReasons?: string[];
  numPassingAsserts?: number;
  meta?: Record<string, unknown>;
  tags?: string[];
  [other: string]: unknown;
}

/** A test file entry (`testResults[]`). */
export interface JestFileJson {
  name?: string;
  testFilePath?: string;
  status?: string;
  message?: string;
  failureMessage?: string | null;
  testExecError?: unknown;
  startTime?: number;
  endTime?: number;
  perfStats?: { start: number; end: number };
  console?: unknown;
  displayName?: unknown;
  assertionResults?: JestAssertionJson[];
  testResults?: JestAssertionJson[];
  [other: string]: unknown;
}

/** A whole report. */
export interface JestReportJson {
  testResults?: unknown;
  startTime?: number;
  [other: string]: unknown;
}

/** A stack as V8 prints it for an error thrown in `file`. */
export function stackFor(type: string, message: string, file = "/repo/src/example.test.ts"): string {
  return `${type}: ${message}\n    at Object.<anonymous> (${file}:${faker.number.int({ min: 1, max: 300 })}:${faker.number.int({ min: 1, max: 40 })})\n    at processTicksAndRejections (node:internal/process/task_queues:95:5)`;
}

/** A passing test with realistic titles and a duration. */
export const jestAssertionFactory = Factory.define<JestAssertionJson>(({ sequence }) => {
  const ancestorTitles = [faker.word.noun(), ...(faker.datatype.boolean() ? [faker.word.adjective()] : [])];
  const title = `${faker.word.verb()}s the ${faker.word.noun()} #${sequence}`;
  return {
    ancestorTitles,
    title,
    fullName: [...ancestorTitles, title].join(" "),
    status: "passed",
    duration: faker.number.int({ min: 0, max: 800 }),
    failureMessages: [],
  };
});

/** A test file of a few passing tests. */
export const jestFileFactory = Factory.define<JestFileJson>(() => {
  const startTime = faker.date.recent().getTime();
  return {
    name: `/repo/src/${faker.word.noun()}-${faker.string.alphanumeric(4)}.test.ts`,
    status: "passed",
    message: "",
    startTime,
    endTime: startTime + faker.number.int({ min: 1, max: 2000 }),
    assertionResults: jestAssertionFactory.buildList(faker.number.int({ min: 1, max: 4 })),
  };
});

/** Which tool's top-level members to write. */
export interface JestReportParams {
  readonly flavor: "jest" | "vitest";
}

/**
 * A report of a few files, with the top-level members the chosen tool writes: Jest's
 * alphabetical aggregate (with `numRuntimeErrorTestSuites`, `openHandles`, `wasInterrupted`)
 * or Vitest's shorter one.
 */
export const jestReportFactory = Factory.define<JestReportJson, JestReportParams>(({ transientParams }) => {
  const testResults = jestFileFactory.buildList(2);
  const startTime = faker.date.recent().getTime();
  if ((transientParams.flavor ?? "jest") === "vitest") {
    return {
      numTotalTestSuites: 2,
      numPassedTestSuites: 2,
      numFailedTestSuites: 0,
      numTotalTests: 4,
      startTime,
      success: true,
      testResults,
    };
  }
  return {
    numFailedTestSuites: 0,
    numFailedTests: 0,
    numPassedTestSuites: 2,
    numRuntimeErrorTestSuites: 0,
    numTotalTestSuites: 2,
    numTotalTests: 4,
    openHandles: [],
    startTime,
    success: true,
    testResults,
    wasInterrupted: false,
  };
});
