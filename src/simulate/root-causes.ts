import type { FailureCategory } from "../analysis/failure-categories.js";
import type {
  CauseText,
  EnvironmentKind,
  FailureText,
  InfrastructureFault,
  Occurrence,
  Renderer,
} from "./failure-text.js";
import { FAILURE_TEXTS } from "./failure-texts.js";
import { FRAMEWORKS, type Framework } from "./frameworks.js";
import type { Random } from "./prng.js";
import type { CodeSite } from "./source-layout.js";
import type { Population, SimulatedTest } from "./test-population.js";

/** One true root cause: every failure occurrence in the ground truth names one. */
export interface RootCause {
  /** Stable id: `regression-2`, `flaky-7`, `outage-1`, ... */
  readonly id: string;
  readonly category: FailureCategory;
  /** One line for people reading the ground truth. */
  readonly summary: string;
  /** Whether a failing attempt runs into the runner's time limit (a timeout, or a regression that made code slow). */
  readonly timesOut: boolean;
  /** How one occurrence of it reads in the failing test's report. */
  render(occurrence: Occurrence): FailureText;
}

function single(id: string, category: FailureCategory, text: CauseText, timesOut = false): RootCause {
  return { id, category, summary: text.summary, timesOut, render: text.render };
}

/** Share of regressions that make code slow rather than wrong: they read as timeouts, and are regressions all the same. */
const SLOW_REGRESSION_SHARE = 0.12;

/** A regression or test bug in one framework's code: product code at `site`, or the test itself. */
export function codeChangeCause(
  random: Random,
  id: string,
  category: "regression" | "test-bug",
  framework: Framework,
  site: CodeSite,
): RootCause {
  const texts = FAILURE_TEXTS[framework];
  if (category === "test-bug") return single(id, category, texts.testBug(random));
  if (random.chance(SLOW_REGRESSION_SHARE)) {
    const slow = texts.timeout(random, FRAMEWORKS[framework].timeoutMs);
    return single(
      id,
      category,
      { ...slow, summary: `${site.unit.name}.${site.method.name} became slow: ${slow.summary}` },
      true,
    );
  }
  return single(id, category, texts.regression(random, site));
}

/** A broken runner environment as one framework's tests see it. */
export function environmentCause(random: Random, id: string, framework: Framework, kind: EnvironmentKind): RootCause {
  return single(id, "environment", FAILURE_TEXTS[framework].environment(random, kind));
}

/** An infrastructure fault: one cause, however many frameworks' tests it fails. */
export function outageCause(id: string, fault: InfrastructureFault): RootCause {
  const renderers = new Map<Framework, Renderer>();
  const what =
    fault.kind === "connection-refused"
      ? `${fault.service} at ${fault.ip}:${fault.port} refuses connections`
      : fault.kind === "dns"
        ? `${fault.host} does not resolve`
        : fault.kind === "oom-killed"
          ? "test workers are OOM-killed"
          : `the runner's disk (${fault.mount}) is full`;
  return {
    id,
    category: "infrastructure",
    summary: what,
    timesOut: false,
    render(occurrence) {
      const framework = occurrence.test.framework;
      let render = renderers.get(framework);
      if (render === undefined) {
        render = FAILURE_TEXTS[framework].infrastructure(fault);
        renderers.set(framework, render);
      }
      return render(occurrence);
    },
  };
}

/**
 * The causes of intermittent failures, one per flaky group (indexed by group): a shared
 * cause for tests that share a fixture, one of its own for every other flaky test. Races
 * are category `flaky`; tests that run close to their time limit, `timeout`.
 */
export function flakyCauses(random: Random, population: Population): RootCause[] {
  const causes: RootCause[] = [];
  const counters = { flaky: 0, timeout: 0 };
  for (const test of population.tests) {
    if (test.flakiness.kind !== "intermittent" || causes[test.flakiness.group] !== undefined) continue;
    const texts = FAILURE_TEXTS[test.framework];
    const stream = random.fork("group", test.flakiness.group);
    causes[test.flakiness.group] =
      test.flakiness.symptom === "timeout"
        ? single(
            `timeout-${++counters.timeout}`,
            "timeout",
            texts.timeout(stream, FRAMEWORKS[test.framework].timeoutMs),
          )
        : single(`flaky-${++counters.flaky}`, "flaky", texts.flaky(stream, test.subject));
  }
  return causes;
}

/** The flaky cause of one intermittent test. */
export function flakyCauseOf(causes: readonly RootCause[], test: SimulatedTest): RootCause | undefined {
  return test.flakiness.kind === "intermittent" ? causes[test.flakiness.group] : undefined;
}
