import { faker } from "@faker-js/faker";
import { Factory } from "fishery";
import type { NormalizedTestResult, TestAttempt } from "../../src/domain/test-result.js";
import { testIdOf } from "../../src/domain/test-identity.js";
import type { TestStatus } from "../../src/domain/test-status.js";

/** A test case to render into a report: identity, then one status per attempt. */
export interface CaseSpec {
  readonly className: string;
  readonly name: string;
  readonly file: string;
  readonly statuses: readonly TestStatus[];
  readonly seconds: number;
  readonly message: string;
}

/** Test cases with realistic names: mostly passing, some failing, skipped or retried. */
export const caseSpecFactory = Factory.define<CaseSpec>(({ sequence }) => {
  const module = faker.word.noun().replace(/[^a-z]/gi, "") || "core";
  return {
    className: `com.example.${module}.${faker.word.adjective().replace(/[^a-z]/gi, "") || "Basic"}${sequence}Test`,
    name: `should ${faker.word.verb()} ${faker.word.noun()} ${sequence}`,
    file: `src/test/java/com/example/${module}/Case${sequence}Test.java`,
    statuses: ["passed"],
    seconds: faker.number.float({ min: 0.001, max: 3, fractionDigits: 3 }),
    message: `expected: <${faker.number.int(999)}> but was: <${faker.number.int(999)}>`,
  };
});

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function junitCase(spec: CaseSpec, status: TestStatus): string {
  const open = `<testcase classname="${escapeXml(spec.className)}" name="${escapeXml(spec.name)}" file="${escapeXml(spec.file)}" time="${spec.seconds}"`;
  if (status === "passed") return `${open}/>`;
  if (status === "skipped") return `${open}><skipped message="disabled"/></testcase>`;
  const tag = status === "failed" ? "failure" : "error";
  return `${open}><${tag} message="${escapeXml(spec.message)}" type="java.lang.AssertionError">${escapeXml(
    `java.lang.AssertionError: ${spec.message}\n\tat ${spec.className}.test(${spec.file.split("/").pop() ?? ""}:42)`,
  )}</${tag}></testcase>`;
}

/**
 * Renders cases as a JUnit XML report. A case with several statuses is written once per
 * attempt, as retry plugins (Gradle test-retry, pytest-rerunfailures) do.
 */
export function junitXml(cases: readonly CaseSpec[], suiteName = "kaizen-factory"): string {
  const body = cases.flatMap((spec) => spec.statuses.map((status) => junitCase(spec, status))).join("\n    ");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite name="${escapeXml(suiteName)}" tests="${cases.length}">\n    ${body}\n  </testsuite>\n</testsuites>\n`;
}

/** Normalized results, as `normalize` produces them, for store tests. */
export const normalizedResultFactory = Factory.define<
  NormalizedTestResult,
  { project: string; statuses: TestStatus[] }
>(({ sequence, transientParams }) => {
  const suite = `suite.${faker.word.noun()}`;
  const name = `case ${sequence} ${faker.word.verb()}`;
  const file = `tests/${faker.word.noun()}-${sequence}.test.ts`;
  const statuses = transientParams.statuses ?? ["passed"];
  const attempts = statuses.map((status, i): TestAttempt => ({
    attempt: i + 1,
    status,
    durationMs: faker.number.float({ min: 1, max: 5000, fractionDigits: 1 }),
    startedAt: faker.date.recent().toISOString(),
    failure:
      status === "failed" || status === "error"
        ? {
            type: "AssertionError",
            message: `expected ${faker.number.int(99)} to be ${faker.number.int(99)}`,
            stack: "at test (x.ts:1:1)",
          }
        : null,
    skipReason: status === "skipped" ? "not ready" : null,
    stdout: null,
    stderr: null,
  }));
  return {
    test: {
      id: testIdOf({ project: transientParams.project ?? "default", suite, name, file }),
      suite,
      name,
      file,
      line: sequence,
    },
    attempts: attempts as [TestAttempt, ...TestAttempt[]],
    properties: {},
    tags: [],
  };
});
