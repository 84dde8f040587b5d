import { describe, expect, it } from "vitest";
import { buildHistory, type Commit } from "../../../src/simulate/ci-history.js";
import { planIncidents, type CodeChange } from "../../../src/simulate/incidents.js";
import { Random } from "../../../src/simulate/prng.js";
import { populationOf } from "../../factories/simulation.js";

const population = populationOf(21, 600, 0.06);
const history = buildHistory(Random.fromSeed(21).fork("history"), { runs: 400, prShare: 0.45 });
const incidents = planIncidents(Random.fromSeed(21).fork("incidents"), population, history, {
  regressions: 12,
  testBugs: 6,
  outages: 5,
  environmentProblems: 3,
});

/** Whether `commit` contains `change` and not its fix, from the commit graph alone. */
function contains(change: CodeChange, commit: Commit): boolean {
  const introduced = change.introducedIn;
  const fixed = change.fixedIn;
  if (introduced.kind === "main") {
    const at = commit.kind === "main" ? commit.position : commit.base;
    return at >= introduced.position && (fixed === null || at < (fixed.kind === "main" ? fixed.position : Infinity));
  }
  return (
    commit.kind === "pull-request" &&
    commit.pullRequest === introduced.pullRequest &&
    commit.position >= introduced.position &&
    (fixed === null || (fixed.kind === "pull-request" && commit.position < fixed.position))
  );
}

describe("planIncidents", () => {
  it("places regressions on the default branch and on pull requests, each fixed later than it came", () => {
    expect(incidents.regressions).toHaveLength(12);
    expect(incidents.regressions.some((c) => c.introducedIn.kind === "main")).toBe(true);
    expect(incidents.regressions.some((c) => c.introducedIn.kind === "pull-request")).toBe(true);
    for (const change of incidents.regressions) {
      expect(change.cause.category).toBe("regression");
      expect(change.cause.id).toMatch(/^regression-\d+$/);
      expect(change.tests.size).toBeGreaterThan(0);
      for (const index of change.tests) expect(population.tests[index]?.skipReason).toBeNull();
      if (change.fixedIn !== null) {
        expect(change.fixedIn.kind).toBe(change.introducedIn.kind);
        expect(change.fixedIn.position).toBeGreaterThan(change.introducedIn.position);
      }
    }
    expect(incidents.testBugs.every((c) => c.cause.category === "test-bug" && c.tests.size <= 2)).toBe(true);
  });

  it("marks exactly the commits from the introducing one up to, not including, the fix", () => {
    for (const change of [...incidents.regressions, ...incidents.testBugs]) {
      expect(change.affected.has(change.introducedIn.sha)).toBe(true);
      if (change.fixedIn !== null) expect(change.affected.has(change.fixedIn.sha)).toBe(false);
      for (const run of history.runs) expect(change.affected.has(run.commit.sha)).toBe(contains(change, run.commit));
    }
  });

  it("plans outages that need many tests, and broken runners that are self-hosted", () => {
    expect(incidents.outages).toHaveLength(5);
    for (const outage of incidents.outages) {
      expect(outage.cause.category).toBe("infrastructure");
      expect(outage.to).toBeGreaterThan(outage.from);
      expect(outage.tests.size).toBeGreaterThan(0);
    }
    expect(incidents.environmentProblems).toHaveLength(3);
    for (const problem of incidents.environmentProblems) {
      expect(history.selfHosted.map((r) => r.hostname)).toContain(problem.runner);
      expect([...problem.tests].every((i) => population.tests[i]?.framework === problem.framework)).toBe(true);
    }
  });

  it("plans nothing it cannot place: no regression without a commit to put it on", () => {
    const tiny = buildHistory(Random.fromSeed(5), { runs: 3, prShare: 1 });
    const planned = planIncidents(Random.fromSeed(5), population, tiny, {
      regressions: 3,
      testBugs: 2,
      outages: 1,
      environmentProblems: 1,
    });
    // Three pushes to pull requests: a change needs a pull request with two commits, or a default-branch run.
    const placeable = [...tiny.pullRequests.values()].some((commits) => commits.length >= 2);
    expect(planned.regressions.length === 0).toBe(!placeable);
    expect(planned.outages).toHaveLength(1);
  });

  it("reuses the tests of an earlier regression for some later ones: another cause in the same place", () => {
    const many = planIncidents(Random.fromSeed(8), population, history, {
      regressions: 40,
      testBugs: 0,
      outages: 0,
      environmentProblems: 0,
    });
    const repeated = many.regressions.filter((change, i) => {
      const previous = many.regressions[i - 1];
      return previous !== undefined && [...change.tests].join() === [...previous.tests].join();
    });
    expect(repeated.length).toBeGreaterThan(0);
    // Some regressions make code slow, not wrong: they read as timeouts and are regressions all the same.
    const slow = many.regressions.filter((c) => c.cause.timesOut);
    expect(slow.length).toBeGreaterThan(0);
    expect(slow.every((c) => c.cause.category === "regression" && c.cause.summary.includes("became slow"))).toBe(true);
    for (const change of repeated)
      expect(new Set(many.regressions.map((c) => c.cause.id)).has(change.cause.id)).toBe(true);
  });
});
