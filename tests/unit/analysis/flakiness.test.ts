import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import { clearingRun, FLAKY_POLICY, scoreFlakiness } from "../../../src/analysis/flakiness.js";
import { verdictHistory } from "../../factories/verdicts.js";

const repeat = <T>(value: T, n: number): T[] => Array.from({ length: n }, () => value);

describe("scoreFlakiness", () => {
  it("calls a test flaky after two retries that passed, with an interval around its rate", () => {
    const score = scoreFlakiness(
      verdictHistory([...repeat("passed" as const, 40), "flaky", ...repeat("passed" as const, 20), "flaky"]),
    );
    expect(score.flaky).toBe(true);
    expect(score.evidence).toMatchObject({ verdicts: 62, retriedThenPassed: 2, unexplainedFailures: 0 });
    expect(score.interval[0]).toBeLessThan(score.score);
    expect(score.interval[1]).toBeGreaterThan(score.score);
    expect(score.score).toBeCloseTo((0.5 + 2) / (0.5 + 49.5 + 62), 10);
  });

  it("does not call one flaky execution flaky: two are the minimum", () => {
    expect(scoreFlakiness(verdictHistory(["passed", "flaky", "passed"])).flaky).toBe(false);
  });

  it("counts a failure on a commit that also passed as flaky evidence", () => {
    const sha = faker.git.commitSha();
    const other = faker.git.commitSha();
    const score = scoreFlakiness(verdictHistory(["failed", "passed", "failed", "passed"], [sha, sha, other, other]));
    expect(score.evidence).toMatchObject({ failedOnPassingCommit: 2, unexplainedFailures: 0 });
    expect(score.flaky).toBe(true);
  });

  it("does not call a regression flaky: it fails on every execution from a commit on", () => {
    const score = scoreFlakiness(verdictHistory([...repeat("passed" as const, 30), ...repeat("failed" as const, 15)]));
    expect(score.flaky).toBe(false);
    expect(score.evidence).toMatchObject({ unexplainedFailures: 15, retriedThenPassed: 0, failedOnPassingCommit: 0 });
    expect(score.score).toBeCloseTo(0.5 / (0.5 + 49.5 + 45), 10);
  });

  it("clears a flaky test after a run of clean passes its rate makes unlikely, and needs new flaky executions to flag it again", () => {
    // After 2 flaky in 3 the rate is near 4.7%, so about 100 passes in a row are needed, not 30.
    const quiet = (n: number) => ["flaky" as const, "flaky" as const, ...repeat("passed" as const, n)];
    expect(scoreFlakiness(verdictHistory(quiet(FLAKY_POLICY.cleanPasses))).flaky).toBe(true);
    const fixed = scoreFlakiness(verdictHistory(quiet(150)));
    expect(fixed.flaky).toBe(false);
    expect(fixed.evidence.cleanPassesSince).toBe(150);
    expect(scoreFlakiness(verdictHistory([...quiet(150), "flaky"])).flaky).toBe(false);
    expect(scoreFlakiness(verdictHistory([...quiet(150), "flaky", "flaky"])).flaky).toBe(true);
  });

  it("takes executions the environment failed as no evidence either way", () => {
    const outages = scoreFlakiness(verdictHistory(["passed", "infrastructure", "passed", "infrastructure", "passed"]));
    expect(outages.flaky).toBe(false);
    expect(outages.evidence).toMatchObject({ verdicts: 3, unexplainedFailures: 0, cleanPassesSince: 3 });
  });

  it("waits for a longer clean run the rarer a test's flakes are", () => {
    expect(clearingRun(0.2)).toBe(FLAKY_POLICY.cleanPasses);
    expect(clearingRun(0.1)).toBe(44);
    expect(clearingRun(0.03)).toBe(152);
    expect(clearingRun(0.999)).toBe(FLAKY_POLICY.cleanPasses);
  });

  it("clears a flaky test whose rate falls below the resolve level, though failures keep breaking its clean runs", () => {
    const unstable = Array.from({ length: 20 }, () => [...repeat("passed" as const, 25), "failed" as const]).flat();
    const score = scoreFlakiness(verdictHistory(["flaky", "flaky", ...unstable]));
    expect(score.evidence.cleanPassesSince).toBe(0);
    expect(score.score).toBeLessThan(FLAKY_POLICY.resolve);
    expect(score.flaky).toBe(false);
    expect(scoreFlakiness(verdictHistory(["flaky", "flaky", ...unstable.slice(0, 26)])).flaky).toBe(true);
  });

  it("ignores skipped executions and reports the trend of the recent verdicts", () => {
    const rising = scoreFlakiness(
      verdictHistory([
        ...repeat("passed" as const, 60),
        "skipped",
        ...repeat("flaky" as const, 6),
        ...repeat("passed" as const, 20),
      ]),
    );
    expect(rising.evidence.verdicts).toBe(86);
    expect(rising.trend).toBe("rising");
    const falling = scoreFlakiness(
      verdictHistory([
        ...Array.from({ length: 60 }, (_, i) => (i % 4 === 0 ? "flaky" : "passed")),
        ...repeat("passed" as const, 30),
      ]),
    );
    expect(falling.trend).toBe("falling");
    expect(scoreFlakiness(verdictHistory(repeat("passed" as const, 5))).trend).toBe("steady");
  });
});
