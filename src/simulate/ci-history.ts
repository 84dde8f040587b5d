import type { RunnerHost } from "./failure-text.js";
import { kebabCase } from "./identifiers.js";
import type { Random } from "./prng.js";
import { NOUNS, VERBS } from "./vocabulary.js";

/** The default branch of the simulated repository. */
export const DEFAULT_BRANCH = "main";

/**
 * Where simulated time starts: a Monday morning, fixed so that the same seed gives the same
 * history on every day it is run.
 */
export const SIMULATION_EPOCH = Date.UTC(2025, 2, 3, 8, 0, 0);

/** A commit on the default branch. */
export interface MainCommit {
  readonly kind: "main";
  readonly sha: string;
  readonly branch: typeof DEFAULT_BRANCH;
  /** 0-based position on the default branch. */
  readonly position: number;
  /** The pull request this commit merged, or `null` for a direct push. */
  readonly merged: number | null;
  /** Code revision: line numbers in stack traces drift with it. */
  readonly revision: number;
}

/** A commit on a pull request's branch. */
export interface PullRequestCommit {
  readonly kind: "pull-request";
  readonly sha: string;
  readonly branch: string;
  readonly pullRequest: number;
  /** The default-branch commit the pull request branched from (its position). */
  readonly base: number;
  /** 1-based position on the pull request's branch. */
  readonly position: number;
  readonly revision: number;
}

/** A commit CI ran on. */
export type Commit = MainCommit | PullRequestCommit;

/** One CI run as pushed: its first attempt. Re-runs of it are decided while it is simulated. */
export interface ScheduledRun {
  /** 0-based position in the history. */
  readonly index: number;
  /** The CI system's run id, the same for every attempt. */
  readonly ciRunId: string;
  readonly commit: Commit;
  /** When the first attempt starts (ms since the epoch). */
  readonly startedAt: number;
  /** When the next CI run starts: re-runs of this one happen before it. */
  readonly nextStartedAt: number;
  readonly runner: RunnerHost;
}

/** The commits and CI runs of a simulated history. */
export interface CiHistory {
  readonly runs: readonly ScheduledRun[];
  /** Default-branch commits, by position. */
  readonly mainCommits: readonly MainCommit[];
  /** Each pull request's commits, by position. */
  readonly pullRequests: ReadonlyMap<number, readonly PullRequestCommit[]>;
  /** The self-hosted runners (long-lived machines an environment problem can stick to). */
  readonly selfHosted: readonly RunnerHost[];
}

/** What a history is built from. */
export interface HistoryOptions {
  /** CI runs (pushes). */
  readonly runs: number;
  /** Share of the runs that are on pull-request branches. */
  readonly prShare: number;
}

const HOSTED_WORKSPACE = "/home/runner/work/platform/platform";
const SELF_HOSTED_WORKSPACE = "/opt/actions-runner/_work/platform/platform";
const WORKDAY_START_HOUR = 8;
const WORKDAY_END_HOUR = 19;
const MINUTE = 60_000;

/**
 * The next push after `now`: an exponential gap, moved into working hours (08:00–19:00 UTC on
 * weekdays) when it falls on a night or a weekend, a little after the day starts.
 */
export function nextPushTime(random: Random, now: number): number {
  let next = now + Math.max(2 * MINUTE, random.exponential(34 * MINUTE));
  for (;;) {
    const date = new Date(next);
    const [year, month, day, hour] = [date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours()];
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
    if (!weekend && hour >= WORKDAY_START_HOUR && hour < WORKDAY_END_HOUR) return Math.round(next / 1000) * 1000;
    // Before the day starts it is this morning; after it ends, or on a weekend, the next one.
    const morning = Date.UTC(year, month, day + (hour < WORKDAY_START_HOUR && !weekend ? 0 : 1), WORKDAY_START_HOUR);
    next = morning + random.int(0, 45) * MINUTE;
  }
}

/** An open pull request while the history is built. */
interface OpenPullRequest {
  readonly number: number;
  readonly branch: string;
  readonly base: number;
  readonly commits: PullRequestCommit[];
}

/** The long-lived self-hosted machines; hosted runners are fresh VMs with a new name each run. */
const SELF_HOSTED: readonly RunnerHost[] = [1, 2, 3, 4].map((n) => ({
  hostname: `ci-builder-0${n}`,
  workspace: SELF_HOSTED_WORKSPACE,
  hosted: false,
}));

/** Picks the runner of one attempt. */
export type RunnerPicker = (random: Random) => RunnerHost;

/** Picks a runner: 65% of runs get a hosted runner, the rest one of the self-hosted machines. */
export const pickRunner: RunnerPicker = (random) =>
  random.chance(0.65)
    ? { hostname: `fv-az${random.int(100, 999)}-${random.int(100, 999)}`, workspace: HOSTED_WORKSPACE, hosted: true }
    : random.pick(SELF_HOSTED);

/**
 * Builds the history: a default branch and pull requests that branch off it, get commits,
 * and are merged (a new default-branch commit) or abandoned; one CI run per push, at times
 * spread over working hours.
 */
export function buildHistory(random: Random, options: HistoryOptions): CiHistory {
  const runs: ScheduledRun[] = [];
  const mainCommits: MainCommit[] = [];
  const pullRequests = new Map<number, PullRequestCommit[]>();
  const open: OpenPullRequest[] = [];
  let nextPullRequest = random.int(120, 480);
  let ciRunId = 7_100_000_000 + random.int(0, 899_999_999);
  let now = SIMULATION_EPOCH + random.int(0, 40) * MINUTE;
  const sha = (n: number) => random.fork("commit", n).hex(40);
  let commits = 0;
  const addMain = (merged: number | null): MainCommit => {
    const position = mainCommits.length;
    const commit: MainCommit = {
      kind: "main",
      sha: sha(commits++),
      branch: DEFAULT_BRANCH,
      position,
      merged,
      revision: position,
    };
    mainCommits.push(commit);
    return commit;
  };
  // The default branch has history before the first simulated run.
  addMain(null);
  const times: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    let commit: Commit;
    if (random.chance(options.prShare)) {
      let pr = open.length === 0 || (open.length < 6 && random.chance(0.3)) ? undefined : random.pick(open);
      if (pr === undefined) {
        const number = nextPullRequest++;
        const slug = kebabCase(`${random.pick(VERBS)} ${random.pick(NOUNS)}`);
        pr = {
          number,
          branch: `${random.pick(["feature", "fix", "chore", "refactor"])}/acme-${random.int(1000, 4999)}-${slug}`,
          base: mainCommits.length - 1,
          commits: [],
        };
        open.push(pr);
        pullRequests.set(number, pr.commits);
      }
      const position = pr.commits.length + 1;
      const prCommit: PullRequestCommit = {
        kind: "pull-request",
        sha: sha(commits++),
        branch: pr.branch,
        pullRequest: pr.number,
        base: pr.base,
        position,
        revision: pr.base + position,
      };
      pr.commits.push(prCommit);
      commit = prCommit;
    } else {
      const ready = open.filter((pr) => pr.commits.length > 0);
      if (ready.length > 0 && random.chance(0.7)) {
        const pr = random.pick(ready);
        open.splice(open.indexOf(pr), 1);
        commit = addMain(pr.number);
      } else commit = addMain(null);
    }
    // Now and then a pull request is abandoned.
    if (open.length > 0 && random.chance(0.03)) open.splice(random.int(0, open.length - 1), 1);
    now = i === 0 ? now : nextPushTime(random, now);
    times.push(now);
    ciRunId += random.int(3, 60);
    runs.push({
      index: i,
      ciRunId: String(ciRunId),
      commit,
      startedAt: now,
      nextStartedAt: 0,
      runner: pickRunner(random),
    });
  }
  const last = times[times.length - 1] ?? now;
  return {
    runs: runs.map((run, i) => ({ ...run, nextStartedAt: times[i + 1] ?? last + 60 * MINUTE })),
    mainCommits,
    pullRequests,
    selfHosted: SELF_HOSTED,
  };
}
