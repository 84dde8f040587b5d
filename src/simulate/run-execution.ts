import type { Commit } from "./ci-history.js";
import type { FailureText, RunnerHost } from "./failure-text.js";
import { FRAMEWORKS } from "./frameworks.js";
import type { Incidents } from "./incidents.js";
import type { Random } from "./prng.js";
import { flakyCauseOf, type RootCause } from "./root-causes.js";
import type { Population, SimulatedTest } from "./test-population.js";
import { overrunMs } from "./varying-values.js";

/** Reruns of a failing test within one run (Surefire's `rerunFailingTestsCount`, Playwright's `retries`). */
export const MAX_RERUNS = 2;

/** One execution of a test within a run. */
export type AttemptOutcome =
  | { readonly status: "passed"; readonly durationMs: number }
  | {
      readonly status: "failed" | "error";
      readonly durationMs: number;
      readonly cause: RootCause;
      readonly text: FailureText;
    };

/** What happened to one test in one run: skipped, or its attempts, oldest first. */
export type TestExecution =
  | { readonly test: SimulatedTest; readonly skipped: string }
  | {
      readonly test: SimulatedTest;
      readonly skipped: null;
      readonly attempts: readonly [AttemptOutcome, ...AttemptOutcome[]];
    };

/** One attempt of a CI run, as far as its tests can tell. */
export interface RunSituation {
  readonly commit: Commit;
  readonly startedAt: number;
  readonly runner: RunnerHost;
}

/** The incidents in force for one run, in the order they win: a broken runner fails a test before anything else can. */
function activeCauses(incidents: Incidents, run: RunSituation): { cause: RootCause; tests: ReadonlySet<number> }[] {
  const within = (from: number, to: number) => run.startedAt >= from && run.startedAt < to;
  return [
    ...incidents.environmentProblems.filter((p) => p.runner === run.runner.hostname && within(p.from, p.to)),
    ...incidents.outages.filter((o) => within(o.from, o.to)),
    ...incidents.testBugs.filter((c) => c.affected.has(run.commit.sha)),
    ...incidents.regressions.filter((c) => c.affected.has(run.commit.sha)),
  ];
}

/**
 * A passing duration: log-normal around the test's median, with a heavy tail (a GC pause, a
 * cold cache), and always under the runner's time limit: a pass cannot take longer than the
 * limit that would have failed it.
 */
function passDuration(random: Random, test: SimulatedTest): number {
  const limit = FRAMEWORKS[test.framework].timeoutMs;
  const ceiling =
    test.flakiness.kind === "intermittent" && test.flakiness.symptom === "timeout" ? limit * 0.97 : limit * 0.9;
  let duration = random.logNormal(test.duration.medianMs, test.duration.sigma);
  if (random.chance(0.02)) duration *= random.logNormal(6, 0.5);
  for (let i = 0; i < 4 && duration >= ceiling; i++)
    duration = random.logNormal(test.duration.medianMs, test.duration.sigma);
  return Math.min(duration, ceiling);
}

/** How long a failing attempt took: deterministic failures are quick, timeouts run to the limit. */
function failDuration(random: Random, test: SimulatedTest, cause: RootCause): number {
  if (cause.timesOut) return FRAMEWORKS[test.framework].timeoutMs + overrunMs(random);
  if (cause.category === "environment") return random.between(0.3, 25);
  return passDuration(random, test) * random.between(0.2, 1.1);
}

/** Where the text of one occurrence gets its values from. */
export interface OccurrenceStreams {
  /** The run's stream, for values that differ each time. */
  readonly random: Random;
  /** A stream fixed per cause and test, for values that stay the same each time the test fails so. */
  readonly stable: (cause: RootCause, test: SimulatedTest) => Random;
}

/**
 * Executes every test of the population for one run attempt, in report order. A test
 * hit by an incident fails every attempt; an intermittent test fails each attempt with its
 * flake rate; a failing test is re-run up to {@link MAX_RERUNS} times and stops at its first pass.
 */
export function* executeRun(
  population: Population,
  incidents: Incidents,
  flakyCauses: readonly RootCause[],
  run: RunSituation & { readonly revision: number },
  streams: OccurrenceStreams,
): Generator<TestExecution> {
  const active = activeCauses(incidents, run);
  const random = streams.random;
  let clock = run.startedAt;
  for (const test of population.tests) {
    if (test.skipReason !== null) {
      yield { test, skipped: test.skipReason };
      continue;
    }
    const deterministic = active.find((incident) => incident.tests.has(test.index))?.cause;
    const flaky = flakyCauseOf(flakyCauses, test);
    const attempts: AttemptOutcome[] = [];
    for (let attempt = 1; attempt <= 1 + MAX_RERUNS; attempt++) {
      const cause =
        deterministic ??
        (flaky !== undefined && test.flakiness.kind === "intermittent" && random.chance(test.flakiness.rate)
          ? flaky
          : undefined);
      if (cause === undefined) {
        const durationMs = passDuration(random, test);
        attempts.push({ status: "passed", durationMs });
        clock += durationMs / 4;
        break;
      }
      const durationMs = failDuration(random, test, cause);
      const text = cause.render({
        test,
        attempt,
        durationMs,
        startedAt: Math.round(clock),
        runner: run.runner,
        revision: run.revision,
        random,
        stable: streams.stable(cause, test),
      });
      attempts.push({ status: text.element === "error" ? "error" : "failed", durationMs, cause, text });
      clock += durationMs / 4;
    }
    yield { test, skipped: null, attempts: attempts as [AttemptOutcome, ...AttemptOutcome[]] };
  }
}
