import { faker } from "@faker-js/faker";
import { Factory } from "fishery";
import type { TestStatus } from "../../src/domain/test-status.js";
import type { RawAttempt, RawReportInfo, RawSuiteFailure, RawTestCase } from "../../src/ingest/raw-records.js";

/** One attempt with what a report typically says about an attempt of that status. */
export function rawAttempt(status: TestStatus): RawAttempt {
  const base = {
    status,
    durationMs: faker.number.float({ min: 0, max: 5000, fractionDigits: 3 }),
    startedAt: faker.date.recent().toISOString(),
  };
  if (status === "failed" || status === "error") {
    const type = status === "failed" ? "AssertionError" : faker.helpers.arrayElement(["TypeError", "TimeoutError"]);
    const message = `expected ${faker.number.int(999)} to equal ${faker.number.int(999)}`;
    return {
      ...base,
      failure: {
        type,
        message,
        stack: `${type}: ${message}\n    at ${faker.system.filePath()}:${faker.number.int(300)}:7`,
      },
      stderr: faker.lorem.sentence(),
    };
  }
  if (status === "skipped")
    return { status, skipReason: faker.helpers.arrayElement(["disabled", "todo", "flaky on CI"]) };
  return { ...base, stdout: faker.lorem.sentence() };
}

/** Raw test cases as parsers emit them; `statuses` gives one attempt per status (default: one pass). */
export const rawTestCaseFactory = Factory.define<RawTestCase, { statuses: readonly TestStatus[] }>(
  ({ sequence, transientParams }) => {
    const [first = "passed", ...rest] = transientParams.statuses ?? ["passed"];
    const area = faker.word.noun().replace(/[^a-z]/gi, "") || "core";
    return {
      kind: "case",
      suite: [`${area} suite`, faker.helpers.arrayElement(["", `when ${faker.word.verb()}`])].filter(
        (level) => level !== "",
      ),
      className: `com.example.${area}.Case${sequence}Test`,
      name: `should ${faker.word.verb()} ${faker.word.noun()} #${sequence}`,
      file: `src/test/${area}/case-${sequence}.test.ts`,
      line: faker.number.int({ min: 1, max: 400 }),
      attempts: [rawAttempt(first), ...rest.map(rawAttempt)],
      properties: { owner: faker.person.firstName() },
      tags: [faker.helpers.arrayElement(["@smoke", "@slow", "@db"])],
    };
  },
);

/** Failures of a whole suite: a package that did not build, a test file that crashed. */
export const rawSuiteFailureFactory = Factory.define<RawSuiteFailure>(({ sequence }) => ({
  kind: "suite-failure",
  suite: [`github.com/example/pkg${sequence}`],
  file: `pkg${sequence}/main_test.go`,
  status: "error",
  failure: { message: `build failed: undefined: Thing${sequence}` },
  durationMs: faker.number.int({ min: 1, max: 3000 }),
  stdout: `# github.com/example/pkg${sequence}`,
  stderr: "exit status 2",
}));

/** What a report says about itself. */
export const rawReportInfoFactory = Factory.define<RawReportInfo>(() => ({
  kind: "report",
  tool: faker.helpers.arrayElement(["jest", "pytest", "playwright"]),
  toolVersion: faker.system.semver(),
  startedAt: faker.date.recent().toISOString(),
  durationMs: faker.number.int({ min: 1, max: 600_000 }),
  hostname: faker.internet.domainWord(),
}));
