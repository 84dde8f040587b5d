import { describe, expect, it } from "vitest";
import { outcomeOf } from "../../../src/domain/test-result.js";
import type { TestStatus } from "../../../src/domain/test-status.js";

const attempts = (...statuses: TestStatus[]): { status: TestStatus }[] => statuses.map((status) => ({ status }));

describe("outcomeOf", () => {
  it.each([
    [[], "skipped"],
    [["passed"], "passed"],
    [["failed"], "failed"],
    [["error"], "error"],
    [["skipped"], "skipped"],
    [["failed", "passed"], "flaky"],
    [["error", "passed"], "flaky"],
    [["failed", "error", "failed", "passed"], "flaky"],
    [["failed", "skipped", "passed"], "flaky"],
    [["skipped", "passed"], "passed"],
    [["passed", "passed"], "passed"],
    [["passed", "failed"], "failed"],
    [["failed", "error"], "error"],
    [["error", "failed"], "failed"],
    [["failed", "skipped"], "skipped"],
  ] as const)("gives %j the outcome %s", (statuses, outcome) => {
    expect(outcomeOf(attempts(...statuses))).toBe(outcome);
  });
});
