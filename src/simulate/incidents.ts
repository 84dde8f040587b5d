import type { CiHistory, Commit, MainCommit, PullRequestCommit, ScheduledRun } from "./ci-history.js";
import type { EnvironmentKind, InfrastructureFault } from "./failure-text.js";
import { SERVICE_PORTS } from "./failure-text.js";
import { FRAMEWORKS, type Framework } from "./frameworks.js";
import type { Random } from "./prng.js";
import { codeChangeCause, environmentCause, outageCause, type RootCause } from "./root-causes.js";
import type { CodeSite } from "./source-layout.js";
import type { Component, Population, Service, SimulatedTest } from "./test-population.js";

/** A code change that makes tests fail on every commit that contains it, until a later commit fixes it. */
export interface CodeChange {
  readonly cause: RootCause & { readonly category: "regression" | "test-bug" };
  readonly introducedIn: Commit;
  /** The commit that fixes it, or `null` when the history ends before a fix. */
  readonly fixedIn: Commit | null;
  /** Indices of the tests it fails. */
  readonly tests: ReadonlySet<number>;
  /** SHAs of every commit that contains the change and not its fix. */
  readonly affected: ReadonlySet<string>;
}

/** An infrastructure outage: every affected test of every run started inside its window fails. */
export interface Outage {
  readonly cause: RootCause;
  readonly fault: InfrastructureFault;
  /** Window start (ms since the epoch), inclusive. */
  readonly from: number;
  /** Window end, exclusive. */
  readonly to: number;
  /** Indices of the tests it fails. */
  readonly tests: ReadonlySet<number>;
}

/** A broken self-hosted runner: tests that need what it lacks fail there, and pass elsewhere. */
export interface EnvironmentProblem {
  readonly cause: RootCause;
  readonly kind: EnvironmentKind;
  readonly framework: Framework;
  /** The runner's host name. */
  readonly runner: string;
  readonly from: number;
  readonly to: number;
  readonly tests: ReadonlySet<number>;
}

/** Everything that goes wrong in a history besides flaky tests. */
export interface Incidents {
  readonly regressions: readonly CodeChange[];
  readonly testBugs: readonly CodeChange[];
  readonly outages: readonly Outage[];
  readonly environmentProblems: readonly EnvironmentProblem[];
}

/** How many incidents of each kind to plan. */
export interface IncidentOptions {
  readonly regressions: number;
  readonly testBugs: number;
  readonly outages: number;
  readonly environmentProblems: number;
}

/** The commits a change at `introduced` (fixed at `fixed`) is in: later default-branch commits and branches cut from them. */
function affectedCommits(history: CiHistory, introduced: Commit, fixed: Commit | null): Set<string> {
  const shas = new Set<string>();
  if (introduced.kind === "main") {
    const end = fixed === null ? Infinity : (fixed as MainCommit).position;
    for (const commit of history.mainCommits)
      if (commit.position >= introduced.position && commit.position < end) shas.add(commit.sha);
    for (const commits of history.pullRequests.values())
      for (const commit of commits) if (commit.base >= introduced.position && commit.base < end) shas.add(commit.sha);
    return shas;
  }
  const end = fixed === null ? Infinity : (fixed as PullRequestCommit).position;
  for (const commit of history.pullRequests.get(introduced.pullRequest) ?? [])
    if (commit.position >= introduced.position && commit.position < end) shas.add(commit.sha);
  return shas;
}

/** Main commits that CI ran on (the first one predates the simulated runs). */
function ranOnMain(history: CiHistory): MainCommit[] {
  const ran = new Set(history.runs.map((run) => run.commit.sha));
  return history.mainCommits.filter((commit) => ran.has(commit.sha));
}

/**
 * Where a change lands: `[introduced, fixed]` within one pull request, or on the default
 * branch. The other place is taken when the one asked for has no room (no pull request with
 * two commits, no default-branch run).
 */
function placeChange(random: Random, history: CiHistory, onPullRequest: boolean): [Commit, Commit | null] | undefined {
  const withinPullRequest = (): [Commit, Commit | null] | undefined => {
    const prs = [...history.pullRequests.values()].filter((commits) => commits.length >= 2);
    if (prs.length === 0) return undefined;
    const commits = random.pick(prs);
    const at = random.int(0, commits.length - 2);
    const fix = Math.min(commits.length - 1, at + 1 + random.geometric(0.5, 3));
    return [commits[at] as Commit, commits[fix] as Commit];
  };
  const onDefaultBranch = (): [Commit, Commit | null] | undefined => {
    const main = ranOnMain(history);
    if (main.length === 0) return undefined;
    const at = main.length === 1 ? 0 : random.int(0, main.length - 2);
    const fix = at + 1 + random.geometric(0.2, 15);
    return [main[at] as Commit, main[fix] ?? null];
  };
  return onPullRequest ? (withinPullRequest() ?? onDefaultBranch()) : (onDefaultBranch() ?? withinPullRequest());
}

/** The tests a change to `site` fails: those that test its unit, and a few that reach it through others. */
function testsOf(
  random: Random,
  population: Population,
  component: Component,
  site: CodeSite,
  big: boolean,
): Set<number> {
  const runnable = component.tests.filter((i) => population.tests[i]?.skipReason === null);
  if (big) return new Set(random.sample(runnable, Math.max(1, Math.round(runnable.length * random.between(0.2, 0.4)))));
  const direct = runnable.filter((i) => population.tests[i]?.subject.unit === site.unit);
  const tests = new Set(random.sample(direct, random.int(1, 8)));
  if (tests.size === 0 || random.chance(0.5)) for (const i of random.sample(runnable, random.int(1, 3))) tests.add(i);
  return tests;
}

/** A component to break, weighted by how many tests it has. */
function pickComponent(random: Random, population: Population): Component | undefined {
  const candidates = population.components.filter(
    (c) => c.units.length > 0 && c.tests.some((i) => population.tests[i]?.skipReason === null),
  );
  return candidates.length === 0 ? undefined : random.weighted(candidates.map((c) => [c, c.tests.length] as const));
}

function planRegressions(random: Random, population: Population, history: CiHistory, count: number): CodeChange[] {
  const changes: CodeChange[] = [];
  for (let n = 1; n <= count; n++) {
    const stream = random.fork("regression", n);
    const previous = changes[changes.length - 1];
    const component = pickComponent(stream, population);
    const placed = placeChange(stream, history, stream.chance(0.35));
    if (component === undefined || placed === undefined) break;
    let tests: Set<number>;
    let site: CodeSite;
    let framework: Framework = component.framework;
    if (previous !== undefined && stream.chance(0.3)) {
      // The same tests break again later, in another way: a different root cause in the same place.
      tests = new Set(previous.tests);
      // The earlier change was planned with at least one test.
      const first = population.tests[[...tests][0] as number] as SimulatedTest;
      site = first.subject;
      framework = first.framework;
    } else {
      const unit = stream.pick(component.units);
      site = { unit, method: stream.pick(unit.methods) };
      tests = testsOf(stream, population, component, site, stream.chance(0.15));
    }
    const [introducedIn, fixedIn] = placed;
    const cause = codeChangeCause(stream, `regression-${n}`, "regression", framework, site) as CodeChange["cause"];
    changes.push({ cause, introducedIn, fixedIn, tests, affected: affectedCommits(history, introducedIn, fixedIn) });
  }
  return changes;
}

function planTestBugs(random: Random, population: Population, history: CiHistory, count: number): CodeChange[] {
  const changes: CodeChange[] = [];
  for (let n = 1; n <= count; n++) {
    const stream = random.fork("test-bug", n);
    const component = pickComponent(stream, population);
    // Test bugs are mostly caught on the pull request that wrote them.
    const placed = placeChange(stream, history, stream.chance(0.75));
    if (component === undefined || placed === undefined) break;
    // pickComponent only offers components with a test that runs.
    const anchor = population.tests[
      stream.pick(component.tests.filter((i) => population.tests[i]?.skipReason === null))
    ] as SimulatedTest;
    const sameFile = component.tests.filter(
      (i) => population.tests[i]?.file === anchor.file && population.tests[i]?.skipReason === null,
    );
    const tests = new Set([anchor.index, ...stream.sample(sameFile, stream.int(0, 1))]);
    const [introducedIn, fixedIn] = placed;
    const cause = codeChangeCause(
      stream,
      `test-bug-${n}`,
      "test-bug",
      anchor.framework,
      anchor.subject,
    ) as CodeChange["cause"];
    changes.push({ cause, introducedIn, fixedIn, tests, affected: affectedCommits(history, introducedIn, fixedIn) });
  }
  return changes;
}

const SERVICES: readonly (readonly [Service, number])[] = [
  ["postgres", 0.45],
  ["redis", 0.2],
  ["kafka", 0.1],
  ["payments-api", 0.1],
  ["app", 0.15],
];

function faultOf(random: Random): InfrastructureFault {
  const kind = random.weighted([
    ["connection-refused", 0.4],
    ["dns", 0.2],
    ["oom-killed", 0.2],
    ["disk-full", 0.2],
  ] as const);
  const service = random.weighted(SERVICES);
  const host =
    service === "payments-api"
      ? "sandbox.payments.example"
      : random.chance(0.5)
        ? `${service}.ci.internal`
        : `${service}-${random.int(0, 2)}.${service}.ci.svc.cluster.local`;
  switch (kind) {
    case "connection-refused":
      return {
        kind,
        service,
        host,
        ip: `10.${random.int(0, 9)}.${random.int(0, 255)}.${random.int(2, 254)}`,
        port: SERVICE_PORTS[service],
      };
    case "dns":
      return { kind, service, host, port: SERVICE_PORTS[service] };
    case "oom-killed":
      return { kind };
    case "disk-full":
      return { kind, mount: random.pick(["/tmp", "/home/runner/work/_temp"]) };
  }
}

/** The tests a fault fails: those needing the service, one worker's shard, or everything after the disk fills. */
function testsOfFault(random: Random, population: Population, fault: InfrastructureFault): Set<number> {
  const runnable = population.tests.filter((t) => t.skipReason === null);
  switch (fault.kind) {
    case "connection-refused":
    case "dns":
      return new Set(runnable.filter((t) => t.services.includes(fault.service)).map((t) => t.index));
    case "oom-killed": {
      const framework = random.weighted(
        [...new Set(runnable.map((t) => t.framework))].map(
          (f) => [f, runnable.filter((t) => t.framework === f).length] as const,
        ),
      );
      const worker = random.int(0, FRAMEWORKS[framework].workers - 1);
      return new Set(runnable.filter((t) => t.framework === framework && t.worker === worker).map((t) => t.index));
    }
    case "disk-full": {
      const from = Math.floor(population.tests.length * random.between(0.3, 0.8));
      return new Set(runnable.filter((t) => t.index >= from).map((t) => t.index));
    }
  }
}

function planOutages(random: Random, population: Population, history: CiHistory, count: number): Outage[] {
  const outages: Outage[] = [];
  for (let n = 1; n <= count && history.runs.length > 0; n++) {
    const stream = random.fork("outage", n);
    let fault = faultOf(stream);
    let tests = testsOfFault(stream, population, fault);
    // A fault no test notices is no outage: fall back to the disk filling up.
    if (tests.size === 0) {
      fault = { kind: "disk-full", mount: "/tmp" };
      tests = testsOfFault(stream, population, fault);
    }
    const start = stream.int(0, history.runs.length - 1);
    const end = Math.min(history.runs.length - 1, start + stream.geometric(0.5, 3));
    const first = history.runs[start] as ScheduledRun;
    const last = history.runs[end] as ScheduledRun;
    outages.push({
      cause: outageCause(`outage-${n}`, fault),
      fault,
      from: first.startedAt,
      // It ends a little after the last affected run started: a re-run soon after may still hit it.
      to: last.startedAt + stream.int(5, 25) * 60_000,
      tests,
    });
  }
  return outages;
}

const ENVIRONMENT_KINDS: readonly EnvironmentKind[] = ["missing-module", "missing-binary", "missing-env-var"];

function planEnvironmentProblems(
  random: Random,
  population: Population,
  history: CiHistory,
  count: number,
): EnvironmentProblem[] {
  const problems: EnvironmentProblem[] = [];
  for (let n = 1; n <= count && history.runs.length > 0; n++) {
    const stream = random.fork("environment", n);
    const component = pickComponent(stream, population);
    if (component === undefined) break;
    const runner = stream.pick(history.selfHosted);
    const kind = stream.pick(ENVIRONMENT_KINDS);
    const tests = new Set(component.tests.filter((i) => population.tests[i]?.skipReason === null));
    const start = stream.int(0, history.runs.length - 1);
    const end = Math.min(history.runs.length - 1, start + stream.int(5, 25));
    const first = history.runs[start] as ScheduledRun;
    const last = history.runs[end] as ScheduledRun;
    problems.push({
      cause: environmentCause(stream, `environment-${n}`, component.framework, kind),
      kind,
      framework: component.framework,
      runner: runner.hostname,
      from: first.startedAt,
      // Until the machine is repaired, a little after the last run that met the problem.
      to: last.startedAt + 60_000,
      tests,
    });
  }
  return problems;
}

/** Plans the regressions, test bugs, outages and environment problems of a history. */
export function planIncidents(
  random: Random,
  population: Population,
  history: CiHistory,
  options: IncidentOptions,
): Incidents {
  return {
    regressions: planRegressions(random, population, history, options.regressions),
    testBugs: planTestBugs(random, population, history, options.testBugs),
    outages: planOutages(random, population, history, options.outages),
    environmentProblems: planEnvironmentProblems(random, population, history, options.environmentProblems),
  };
}
