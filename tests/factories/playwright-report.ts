import { faker } from "@faker-js/faker";
import { Factory } from "fishery";

/**
 * Playwright JSON reports, shaped like the `json` reporter's output in
 * tests/fixtures/playwright-json/well-defined (Playwright 1.65).
 */

/** One run of a test (`results[]`). */
export interface PlaywrightResultJson {
  retry?: number;
  status?: string;
  duration?: number;
  startTime?: string;
  error?: { message?: string; stack?: string; value?: string };
  errors?: { message?: string; stack?: string; value?: string; location?: unknown }[];
  stdout?: unknown[];
  stderr?: unknown[];
  annotations?: { type: string; description?: string }[];
  [other: string]: unknown;
}

/** A test in one project (`specs[].tests[]`). */
export interface PlaywrightTestJson {
  projectName?: string;
  projectId?: string;
  expectedStatus?: string;
  status?: string;
  annotations?: { type: string; description?: string }[];
  results?: PlaywrightResultJson[];
  [other: string]: unknown;
}

/** A `test()` call (`specs[]`). */
export interface PlaywrightSpecJson {
  title?: unknown;
  file?: string;
  line?: number;
  column?: number;
  tags?: string[];
  tests?: PlaywrightTestJson[];
  [other: string]: unknown;
}

/** A file or `describe` suite. */
export interface PlaywrightSuiteJson {
  title?: string;
  file?: string;
  specs?: PlaywrightSpecJson[];
  suites?: PlaywrightSuiteJson[];
  [other: string]: unknown;
}

/** A passing run. */
export const playwrightResultFactory = Factory.define<PlaywrightResultJson>(({ sequence }) => ({
  workerIndex: sequence % 4,
  status: "passed",
  duration: faker.number.int({ min: 1, max: 3000 }),
  errors: [],
  stdout: [],
  stderr: [],
  retry: 0,
  startTime: faker.date.recent().toISOString(),
  annotations: [],
  attachments: [],
}));

/** A failed run whose error says `message`, as Playwright serialises `error` and `errors`. */
export function failedResult(message: string, overrides: PlaywrightResultJson = {}): PlaywrightResultJson {
  const stack = `Error: ${message}\n    at /repo/tests/example.spec.ts:${faker.number.int({ min: 2, max: 90 })}:7`;
  return playwrightResultFactory.build({
    status: "failed",
    error: { message: `Error: ${message}`, stack },
    errors: [{ message: `Error: ${message}\n\n  3 |   await expect(x).toBe(1);\n${stack.split("\n")[1] ?? ""}` }],
    ...overrides,
  });
}

/** A test in the `chromium` project that passed at once. */
export const playwrightTestFactory = Factory.define<PlaywrightTestJson>(() => ({
  timeout: 30000,
  annotations: [],
  expectedStatus: "passed",
  projectId: "chromium",
  projectName: "chromium",
  results: [playwrightResultFactory.build()],
  status: "expected",
}));

/** A spec with one test. */
export const playwrightSpecFactory = Factory.define<PlaywrightSpecJson>(({ sequence }) => ({
  title: `${faker.word.verb()}s the ${faker.word.noun()} #${sequence}`,
  ok: true,
  tags: [],
  tests: [playwrightTestFactory.build()],
  id: faker.string.hexadecimal({ length: 20, prefix: "" }),
  file: "example.spec.ts",
  line: faker.number.int({ min: 1, max: 200 }),
  column: 5,
}));

/** A whole report around `suites` (file-level suites). */
export function playwrightReport(
  suites: PlaywrightSuiteJson[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    config: { configFile: "/repo/playwright.config.ts", rootDir: "/repo/tests", projects: [], version: "1.65.1" },
    suites,
    errors: [],
    stats: {
      startTime: faker.date.recent().toISOString(),
      duration: faker.number.float({ min: 10, max: 9000 }),
      expected: 1,
      skipped: 0,
      unexpected: 0,
      flaky: 0,
    },
    ...extra,
  };
}

/** A file-level suite holding `specs` directly. */
export function fileSuite(
  file: string,
  specs: PlaywrightSpecJson[],
  suites: PlaywrightSuiteJson[] = [],
): PlaywrightSuiteJson {
  return { title: file, file, column: 0, line: 0, specs, suites };
}
