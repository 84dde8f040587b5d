import { describe, expect, it } from "vitest";
import { isFailingStatus, TEST_STATUSES } from "../../../src/domain/test-status.js";

describe("TestStatus", () => {
  it("lists every status once, in the order summaries use", () => {
    expect(TEST_STATUSES).toEqual(["passed", "failed", "error", "skipped"]);
  });

  it.each([
    ["passed", false],
    ["failed", true],
    ["error", true],
    ["skipped", false],
  ] as const)("counts %s as failing: %s", (status, failing) => {
    expect(isFailingStatus(status)).toBe(failing);
  });
});
