import { describe, expect, it } from "vitest";
import { buildHistory, SIMULATION_EPOCH, type Commit } from "../../../src/simulate/ci-history.js";
import { FRAMEWORKS } from "../../../src/simulate/frameworks.js";
import type { Incidents } from "../../../src/simulate/incidents.js";
import { planIncidents } from "../../../src/simulate/incidents.js";
import { Random } from "../../../src/simulate/prng.js";
import { flakyCauses, type RootCause } from "../../../src/simulate/root-causes.js";
import { executeRun, MAX_RERUNS, type TestExecution } from "../../../src/simulate/run-execution.js";
import { populationOf, runnerFactory } from "../../factories/simulation.js";

const NONE: Incidents = { regressions: [], testBugs: [], outages: [], environmentProblems: [] };
const population = populationOf(31, 300, 0.25);
const flaky = flakyCauses(Random.fromSeed(31), population);
const commit: Commit = { kind: "main", sha: "a".repeat(40), branch: "main", position: 1, merged: null, revision: 1 };
const stable = (cause: RootCause, test: { readonly index: number }) => Random.fromSeed(0).fork(cause.id, test.index);

function run(
  n: number,
  incidents: Incidents = NONE,
  situation = { commit, startedAt: SIMULATION_EPOCH },
): TestExecution[] {
  const runner = runnerFactory.build({ hostname: "fv-az100-100", hosted: true });
  return [
    ...executeRun(
      population,
      incidents,
      flaky,
      { ...situation, runner, revision: 1 },
      {
        random: Random.fromSeed(31).fork("run", n),
        stable,
      },
    ),
  ];
}

describe("executeRun", { timeout: 60_000 }, () => {
  it("realises every flaky test's rate within statistical tolerance over many runs", () => {
    const runs = 3000;
    const firstAttemptFailures = new Map<number, number>();
    for (let n = 0; n < runs; n++) {
      for (const execution of run(n)) {
        if (execution.skipped !== null) continue;
        if (execution.attempts[0].status !== "passed")
          firstAttemptFailures.set(execution.test.index, (firstAttemptFailures.get(execution.test.index) ?? 0) + 1);
      }
    }
    const flakyTests = population.tests.filter((t) => t.flakiness.kind === "intermittent");
    expect(flakyTests.length).toBeGreaterThan(40);
    for (const test of population.tests) {
      const failures = firstAttemptFailures.get(test.index) ?? 0;
      if (test.flakiness.kind !== "intermittent") {
        expect(failures).toBe(0);
        continue;
      }
      const p = test.flakiness.rate;
      // 4.5 standard deviations (plus one failure for the rarest rates): the seeded draw passes, a wrong rate does not.
      expect(Math.abs(failures / runs - p)).toBeLessThan(4.5 * Math.sqrt((p * (1 - p)) / runs) + 1 / runs);
    }
  });

  it("reruns a failing test at most twice, stops at its first pass, and only flaky tests pass on a rerun", () => {
    let retriedThenPassed = 0;
    for (let n = 0; n < 100; n++) {
      for (const execution of run(n)) {
        if (execution.skipped !== null) {
          expect(execution.test.skipReason).toBe(execution.skipped);
          continue;
        }
        const { attempts } = execution;
        expect(attempts.length).toBeLessThanOrEqual(1 + MAX_RERUNS);
        attempts.slice(0, -1).forEach((a) => expect(a.status).not.toBe("passed"));
        if (attempts.length > 1 && attempts.at(-1)?.status === "passed") retriedThenPassed++;
        if (attempts.length < 1 + MAX_RERUNS) expect(attempts.at(-1)?.status).toBe("passed");
      }
    }
    expect(retriedThenPassed).toBeGreaterThan(25);
  });

  it("keeps passing durations under the runner's limit and runs timeouts past it", () => {
    for (let n = 0; n < 120; n++) {
      for (const execution of run(n)) {
        if (execution.skipped !== null) continue;
        const limit = FRAMEWORKS[execution.test.framework].timeoutMs;
        for (const attempt of execution.attempts) {
          expect(attempt.durationMs).toBeGreaterThan(0);
          if (attempt.status === "passed") expect(attempt.durationMs).toBeLessThan(limit);
          else if (attempt.cause.timesOut) expect(attempt.durationMs).toBeGreaterThan(limit);
        }
      }
    }
  });

  it("fails every attempt of a test a regression or an outage hits, the environment winning over both", () => {
    const history = buildHistory(Random.fromSeed(4), { runs: 200, prShare: 0.3 });
    const planned = planIncidents(Random.fromSeed(4), population, history, {
      regressions: 3,
      testBugs: 0,
      outages: 1,
      environmentProblems: 1,
    });
    const regression = planned.regressions[0];
    const outage = planned.outages[0];
    const problem = planned.environmentProblems[0];
    if (regression === undefined || outage === undefined || problem === undefined) throw new Error("nothing planned");
    const affectedRun = history.runs.find((r) => regression.affected.has(r.commit.sha));
    if (affectedRun === undefined) throw new Error("no run on an affected commit");
    const hit = run(
      1,
      { ...NONE, regressions: [regression] },
      { commit: affectedRun.commit, startedAt: affectedRun.startedAt },
    );
    for (const execution of hit) {
      if (execution.skipped !== null || !regression.tests.has(execution.test.index)) continue;
      expect(execution.attempts).toHaveLength(1 + MAX_RERUNS);
      for (const attempt of execution.attempts)
        expect(attempt.status === "passed" ? null : attempt.cause).toBe(regression.cause);
    }
    const down = run(2, { ...NONE, outages: [outage] }, { commit, startedAt: outage.from });
    const failed = down.filter((e) => e.skipped === null && e.attempts.at(-1)?.status !== "passed");
    expect(failed.length).toBeGreaterThanOrEqual(outage.tests.size);
    const after = run(3, { ...NONE, outages: [outage] }, { commit, startedAt: outage.to });
    expect(
      after.some(
        (e) => e.skipped === null && e.attempts.some((a) => a.status !== "passed" && a.cause === outage.cause),
      ),
    ).toBe(false);
    const runner = runnerFactory.build({ hostname: problem.runner, hosted: false });
    const broken = [
      ...executeRun(
        population,
        { ...NONE, outages: [outage], environmentProblems: [problem] },
        flaky,
        { commit, startedAt: problem.from, runner, revision: 1 },
        { random: Random.fromSeed(5), stable },
      ),
    ];
    for (const execution of broken) {
      if (execution.skipped !== null || !problem.tests.has(execution.test.index)) continue;
      expect(execution.attempts.every((a) => a.status !== "passed" && a.cause === problem.cause)).toBe(true);
    }
  });
});
