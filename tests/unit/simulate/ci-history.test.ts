import { describe, expect, it } from "vitest";
import {
  buildHistory,
  DEFAULT_BRANCH,
  nextPushTime,
  pickRunner,
  SIMULATION_EPOCH,
} from "../../../src/simulate/ci-history.js";
import { Random } from "../../../src/simulate/prng.js";

describe("buildHistory", () => {
  const history = buildHistory(Random.fromSeed(3).fork("history"), { runs: 600, prShare: 0.4 });

  it("schedules one CI run per push, in time order, within working hours on weekdays", () => {
    expect(history.runs).toHaveLength(600);
    let previous = SIMULATION_EPOCH - 1;
    for (const run of history.runs) {
      expect(run.startedAt).toBeGreaterThan(previous);
      expect(run.nextStartedAt).toBeGreaterThan(run.startedAt);
      const date = new Date(run.startedAt);
      expect(date.getUTCDay()).not.toBe(0);
      expect(date.getUTCDay()).not.toBe(6);
      expect(date.getUTCHours()).toBeGreaterThanOrEqual(8);
      expect(date.getUTCHours()).toBeLessThan(19);
      previous = run.startedAt;
    }
    expect(history.runs.map((r) => r.index)).toEqual(history.runs.map((_, i) => i));
  });

  it("gives runs increasing CI run ids and commits full hex SHAs, each commit one run", () => {
    const ids = history.runs.map((r) => Number(r.ciRunId));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(600);
    const shas = history.runs.map((r) => r.commit.sha);
    expect(new Set(shas).size).toBe(600);
    for (const sha of shas) expect(sha).toMatch(/^[0-9a-f]{40}$/);
  });

  it("runs about the asked share on pull-request branches that branch off the default branch", () => {
    const onPrs = history.runs.filter((r) => r.commit.kind === "pull-request");
    expect(onPrs.length / 600).toBeGreaterThan(0.33);
    expect(onPrs.length / 600).toBeLessThan(0.47);
    for (const run of history.runs) {
      const commit = run.commit;
      if (commit.kind === "main") {
        expect(commit.branch).toBe(DEFAULT_BRANCH);
        expect(history.mainCommits[commit.position]).toBe(commit);
      } else {
        expect(commit.branch).toMatch(/^(feature|fix|chore|refactor)\/acme-\d{4}-[a-z-]+$/);
        // A branch is cut from a default-branch commit that exists when its first commit is pushed.
        expect(commit.base).toBeLessThan(history.mainCommits.length);
        expect(history.pullRequests.get(commit.pullRequest)?.[commit.position - 1]).toBe(commit);
      }
    }
    const merges = history.mainCommits.filter((c) => c.merged !== null);
    expect(merges.length).toBeGreaterThan(10);
    for (const merge of merges) expect(history.pullRequests.has(merge.merged as number)).toBe(true);
  });

  it("runs on hosted runners with fresh names and on a few long-lived self-hosted ones", () => {
    const hosted = history.runs.filter((r) => r.runner.hosted);
    expect(hosted.length / 600).toBeGreaterThan(0.55);
    expect(hosted.length / 600).toBeLessThan(0.75);
    const selfHosted = new Set(history.runs.filter((r) => !r.runner.hosted).map((r) => r.runner.hostname));
    expect([...selfHosted].every((name) => history.selfHosted.some((r) => r.hostname === name))).toBe(true);
    expect(pickRunner(Random.fromSeed(1)).workspace).toMatch(/^\/(home|opt)\//);
  });

  it("is the same for a seed, and every run is on the default branch when no share is on PRs", () => {
    const again = buildHistory(Random.fromSeed(3).fork("history"), { runs: 600, prShare: 0.4 });
    expect(again.runs.map((r) => [r.ciRunId, r.commit.sha, r.startedAt])).toEqual(
      history.runs.map((r) => [r.ciRunId, r.commit.sha, r.startedAt]),
    );
    const mainOnly = buildHistory(Random.fromSeed(3), { runs: 50, prShare: 0 });
    expect(mainOnly.runs.every((r) => r.commit.kind === "main")).toBe(true);
    expect(mainOnly.mainCommits).toHaveLength(51);
  });

  it("moves a push that falls on a night or a weekend to the next working morning", () => {
    const random = Random.fromSeed(9);
    for (let i = 0; i < 200; i++) {
      // Friday 18:59 UTC: whatever the gap, the next push is on Monday morning.
      const friday = Date.UTC(2025, 2, 7, 18, 59);
      const next = new Date(nextPushTime(random, friday));
      if (next.getUTCDate() !== 7) {
        expect(next.getUTCDay()).toBe(1);
        expect(next.getUTCHours()).toBe(8);
      }
      // 02:00 on a Wednesday: this morning at eight.
      const night = new Date(nextPushTime(random, Date.UTC(2025, 2, 5, 2, 0)));
      expect([night.getUTCDate(), night.getUTCHours()]).toEqual([5, 8]);
      expect(night.getUTCSeconds()).toBe(0);
    }
  });
});
