import betaQuantile from "@stdlib/stats-base-dists-beta-quantile";

/**
 * How one execution of a test ended (one test in one report: its attempts taken together).
 * `infrastructure`: it failed only because the environment did (its failures are categorized
 * infrastructure or environment), which says nothing about the test, like `skipped`.
 */
export type VerdictOutcome = "passed" | "failed" | "flaky" | "skipped" | "infrastructure";

/** One execution of a test, as the history holds it. */
export interface Verdict {
  readonly outcome: VerdictOutcome;
  /** The commit the execution ran on, when CI said. */
  readonly commitSha: string | null;
  /** When the execution ran (ISO-8601); verdicts are given in this order. */
  readonly at: string;
}

/** What the score rests on. */
export interface FlakinessEvidence {
  /** Executions that passed or failed (skipped ones, and those only the environment failed, say nothing). */
  readonly verdicts: number;
  /** Executions that failed and then passed on a retry. */
  readonly retriedThenPassed: number;
  /** Failed executions on a commit where another execution of the test passed. */
  readonly failedOnPassingCommit: number;
  /** Failed executions no pass on the same code explains: regressions until shown otherwise. */
  readonly unexplainedFailures: number;
  /** Passes in a row at the end of the history. */
  readonly cleanPassesSince: number;
}

/** A test's flakiness: a Bayesian estimate of how often it fails without a code change. */
export interface FlakinessScore {
  /** Posterior mean of the flake rate. */
  readonly score: number;
  /** 90% credible interval of the flake rate. */
  readonly interval: readonly [number, number];
  readonly evidence: FlakinessEvidence;
  /** The decision at the default thresholds, with hysteresis (see {@link FLAKY_POLICY}). */
  readonly flaky: boolean;
  /** The flake rate of the last {@link FLAKY_POLICY.trendWindow} verdicts against the whole history. */
  readonly trend: "rising" | "falling" | "steady";
}

/**
 * The decision rule. A test becomes flaky with at least two flaky executions (LUCI Analysis's
 * minimum) and a posterior flake rate of at least `activate`; it stops being flaky when the
 * rate falls below `resolve`, or after a run of passes that its own flake rate makes less than
 * `clearLikelihood` likely (and at least `cleanPasses` long), after which only new flaky
 * executions count. A fixed run length would clear a test that fails one run in forty after
 * any quiet month; this one waits about 150 passes for it, and 44 for one that fails one in ten.
 * The prior, Beta(0.5, 49.5), has a mean of 1%: a test is assumed stable until its own history
 * says otherwise.
 */
export const FLAKY_POLICY = {
  priorFlaky: 0.5,
  priorStable: 49.5,
  minFlakyVerdicts: 2,
  activate: 0.01,
  resolve: 0.005,
  cleanPasses: 30,
  clearLikelihood: 0.01,
  trendWindow: 30,
} as const;

/** The passes in a row that clear a flaky test whose flake rate is `rate` (see {@link FLAKY_POLICY}). */
export function clearingRun(rate: number): number {
  const unlikely = Math.ceil(Math.log(FLAKY_POLICY.clearLikelihood) / Math.log(1 - Math.min(rate, 0.99)));
  return Math.max(FLAKY_POLICY.cleanPasses, unlikely);
}

function posteriorMean(flakyCount: number, total: number): number {
  return (FLAKY_POLICY.priorFlaky + flakyCount) / (FLAKY_POLICY.priorFlaky + FLAKY_POLICY.priorStable + total);
}

function posterior(flakyCount: number, total: number): { mean: number; interval: [number, number] } {
  const a = FLAKY_POLICY.priorFlaky + flakyCount;
  const b = FLAKY_POLICY.priorStable + total - flakyCount;
  return { mean: a / (a + b), interval: [betaQuantile(0.05, a, b), betaQuantile(0.95, a, b)] };
}

/**
 * Scores a test from its verdicts, oldest first. Only failures that the same code also passed
 * count as flaky: a retry that passed, or a failed execution on a commit that passed elsewhere.
 * A test that fails on every execution from some commit on is a regression and gains no
 * flakiness from it, which is where rules that flag "a pass before a failure" go wrong.
 */
export function scoreFlakiness(verdicts: readonly Verdict[]): FlakinessScore {
  const decided = verdicts.filter((v) => v.outcome !== "skipped" && v.outcome !== "infrastructure");
  const passingCommits = new Set(
    decided.filter((v) => v.outcome !== "failed" && v.commitSha !== null).map((v) => v.commitSha),
  );
  const isFlakyEvent = (v: Verdict): boolean =>
    v.outcome === "flaky" || (v.outcome === "failed" && v.commitSha !== null && passingCommits.has(v.commitSha));

  let retried = 0;
  let onPassingCommit = 0;
  let unexplained = 0;
  let cleanPasses = 0;
  // The window the decision looks at: the whole history, until the test is cleared.
  let windowStart = 0;
  let windowFlaky = 0;
  let flaky = false;
  let rateBeforeRun = 0;
  decided.forEach((v, i) => {
    const event = isFlakyEvent(v);
    if (v.outcome === "flaky") retried++;
    else if (event) onPassingCommit++;
    else if (v.outcome === "failed") unexplained++;
    cleanPasses = v.outcome === "passed" ? cleanPasses + 1 : 0;
    if (event) windowFlaky++;
    // The clean run is judged by the rate before it began: the run itself would lower the rate and ask for ever longer runs.
    if (cleanPasses === 1) rateBeforeRun = posteriorMean(windowFlaky, i - windowStart);
    // The mean alone: the interval's quantiles cost microseconds each and this runs once per verdict.
    const mean = posteriorMean(windowFlaky, i + 1 - windowStart);
    if (!flaky && windowFlaky >= FLAKY_POLICY.minFlakyVerdicts && mean >= FLAKY_POLICY.activate) flaky = true;
    else if (flaky && (mean < FLAKY_POLICY.resolve || (cleanPasses > 0 && cleanPasses >= clearingRun(rateBeforeRun)))) {
      flaky = false;
      windowStart = i + 1;
      windowFlaky = 0;
    }
  });
  const flakyTotal = retried + onPassingCommit;
  const { mean, interval } = posterior(flakyTotal, decided.length);
  const recent = decided.slice(-FLAKY_POLICY.trendWindow);
  const recentRate = posteriorMean(recent.filter(isFlakyEvent).length, recent.length);
  const trend =
    decided.length < 2 * FLAKY_POLICY.trendWindow || Math.abs(recentRate - mean) < mean / 2
      ? "steady"
      : recentRate > mean
        ? "rising"
        : "falling";
  return {
    score: mean,
    interval,
    evidence: {
      verdicts: decided.length,
      retriedThenPassed: retried,
      failedOnPassingCommit: onPassingCommit,
      unexplainedFailures: unexplained,
      cleanPassesSince: cleanPasses,
    },
    flaky,
    trend,
  };
}
