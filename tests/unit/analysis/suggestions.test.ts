import { describe, expect, it } from "vitest";
import { FAILURE_CATEGORIES } from "../../../src/analysis/failure-categories.js";
import { suggestionsFor } from "../../../src/analysis/suggestions.js";

describe("suggestionsFor", () => {
  it("sharpens the category's advice with what the message shows", () => {
    expect(
      suggestionsFor("timeout", "Timeout 30000ms exceeded waiting for locator('#submit')").map((s) => s.id),
    ).toEqual(["web-first-assertion", "tune-timeout"]);
    expect(suggestionsFor("flaky", "await sleep(500) then expected 2").map((s) => s.id)).toEqual([
      "wait-for-condition",
      "isolate-state",
    ]);
    expect(suggestionsFor("infrastructure", "connect ECONNREFUSED 10.0.0.1:5432").map((s) => s.id)).toEqual([
      "stub-or-retry-network",
      "retry-infrastructure",
    ]);
    expect(suggestionsFor(null, "JavaScript heap out of memory").map((s) => s.id)).toEqual(["resources"]);
  });

  it("has advice for every category, and none for an unclassified failure it cannot read", () => {
    for (const category of FAILURE_CATEGORIES) expect(suggestionsFor(category, "plain words")).toHaveLength(1);
    expect(suggestionsFor(null, "plain words")).toEqual([]);
  });
});
