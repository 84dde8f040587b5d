import { chmod, mkdir, readdir, stat, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { KaizenError } from "../domain/errors.js";
import { buildHistory, pickRunner, type ScheduledRun } from "./ci-history.js";
import { FileSink } from "./file-sink.js";
import {
  GroundTruthWriter,
  type GroundTruthCause,
  type GroundTruthCodeChange,
  type GroundTruthEnvironmentProblem,
  type GroundTruthOutage,
  type GroundTruthRun,
  type GroundTruthTest,
  type SimulationParameters,
  type SimulationTotals,
} from "./ground-truth.js";
import { planIncidents, type CodeChange, type Incidents } from "./incidents.js";
import { INGEST_SCRIPT_HEAD, ingestCommandLine, writeManifest } from "./ingest-manifest.js";
import { MANIFEST_FILE } from "./ingest-simulation.js";
import { Random } from "./prng.js";
import { flakyCauses, type RootCause } from "./root-causes.js";
import { executeRun } from "./run-execution.js";
import { writeRunReport } from "./run-report.js";
import { resolveSimulation, type OptionNamer, type SimulationOptions } from "./simulation-options.js";
import { buildPopulation, type Population } from "./test-population.js";

/** The files a simulation writes, relative to its directory. */
export const SIMULATION_FILES = {
  groundTruth: "ground-truth.json",
  manifest: MANIFEST_FILE,
  ingestScript: "ingest.sh",
  reports: "reports",
} as const;

/** The CI job every simulated run belongs to. */
export const SIMULATED_JOB = "test";

/** Share of CI runs with a failing test that someone re-runs. */
const RERUN_SHARE = 0.35;

/** CI attempts of one run at most (the first and two re-runs). */
const MAX_CI_ATTEMPTS = 3;

/** What a simulation produced. */
export interface SimulationResult {
  readonly dir: string;
  readonly seed: number;
  readonly parameters: SimulationParameters;
  readonly totals: SimulationTotals;
}

/** Options of {@link simulate} besides what to simulate. */
export interface SimulateRunOptions {
  /** Called after each CI run (with its re-runs) is written. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Names options in error messages (the CLI names its flags). */
  readonly nameOf?: OptionNamer;
}

const REPORT_NAME = /^run-\d+-a\d+\.xml$/;

/**
 * Creates a directory and its missing parents, one level at a time. Not `mkdir -p` through
 * `recursive: true`: on some file systems (procfs) Node retries that forever instead of failing.
 */
async function makeDirectory(path: string): Promise<void> {
  try {
    await mkdir(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && (await stat(path)).isDirectory()) return;
    if (code !== "ENOENT" || dirname(path) === path) throw cause;
    await makeDirectory(dirname(path));
    await mkdir(path);
  }
}

/** Creates the output folders and removes reports an earlier simulation left there. */
async function prepare(dir: string): Promise<void> {
  const reports = join(dir, SIMULATION_FILES.reports);
  try {
    await makeDirectory(reports);
    for (const name of await readdir(reports)) if (REPORT_NAME.test(name)) await unlink(join(reports, name));
  } catch (cause) {
    throw writeError(dir, cause);
  }
}

/**
 * An output that cannot be written is a bad `--out`: a usage error that names the path. Only
 * errors of the file system (they name their system call) are that; anything else is a bug
 * and goes on as it is.
 */
function writeError(path: string, cause: unknown): unknown {
  if (!(cause instanceof Error) || typeof (cause as NodeJS.ErrnoException).syscall !== "string") return cause;
  return new KaizenError("USAGE", `cannot write the simulation here: ${cause.message}`, { file: path, cause });
}

function testsOf(population: Population, causes: readonly RootCause[]): GroundTruthTest[] {
  return population.tests.map((test) => ({
    id: test.index,
    suite: test.suite,
    classname: test.suite,
    name: test.name,
    file: test.file,
    language: test.language,
    framework: test.framework,
    kind: test.kind,
    component: test.component,
    flaky: test.flakiness.kind === "intermittent",
    flakeRate: test.flakiness.kind === "intermittent" ? test.flakiness.rate : 0,
    flakeCause: test.flakiness.kind === "intermittent" ? (causes[test.flakiness.group] as RootCause).id : null,
    skipped: test.skipReason !== null,
  }));
}

function codeChangeOf(change: CodeChange): GroundTruthCodeChange {
  const commit = change.introducedIn;
  return {
    id: change.cause.id,
    category: change.cause.category,
    summary: change.cause.summary,
    branch: commit.branch,
    pullRequest: commit.kind === "pull-request" ? commit.pullRequest : null,
    introducedIn: commit.sha,
    fixedIn: change.fixedIn?.sha ?? null,
    tests: [...change.tests].sort((a, b) => a - b),
    affectedCommits: [...change.affected],
  };
}

function causesOf(flaky: readonly RootCause[], incidents: Incidents): GroundTruthCause[] {
  return [
    ...flaky,
    ...incidents.regressions.map((c) => c.cause),
    ...incidents.testBugs.map((c) => c.cause),
    ...incidents.outages.map((o) => o.cause),
    ...incidents.environmentProblems.map((p) => p.cause),
  ].map(({ id, category, summary }) => ({ id, category, summary }));
}

const iso = (ms: number): string => new Date(ms).toISOString();
const sorted = (tests: ReadonlySet<number>): number[] => [...tests].sort((a, b) => a - b);

/**
 * Simulates a CI history into `dir`: one JUnit report per run attempt under `reports/`,
 * `ground-truth.json` (every test, run, failure occurrence and its true root cause and
 * category, the regressions and outages), `runs.json` and `ingest.sh` to ingest the reports
 * in order. The same options give byte-identical files. Reports and failures are streamed
 * to disk, so memory stays bounded whatever the size.
 *
 * @throws KaizenError `USAGE` when an option is out of range or `dir` cannot be written.
 *
 * @example
 * ```ts
 * const { totals } = await simulate("sim", { runs: 50, tests: 100, seed: 7 });
 * ```
 */
export async function simulate(
  dir: string,
  options: SimulationOptions,
  run: SimulateRunOptions = {},
): Promise<SimulationResult> {
  const { seed, parameters } = resolveSimulation(options, run.nameOf);
  await prepare(dir);
  const root = Random.fromSeed(seed);
  const population = buildPopulation(root.fork("population"), parameters);
  const history = buildHistory(root.fork("history"), parameters);
  const incidents = planIncidents(root.fork("incidents"), population, history, parameters);
  const flaky = flakyCauses(root.fork("flaky-causes"), population);
  try {
    return await writeSimulation(
      dir,
      seed,
      parameters,
      { population, history: history.runs, incidents, flaky },
      run.onProgress,
    );
  } catch (cause) {
    throw writeError(dir, cause);
  }
}

/** Everything a simulation is made of, decided before the first report is written. */
interface Plan {
  readonly population: Population;
  readonly history: readonly ScheduledRun[];
  readonly incidents: Incidents;
  readonly flaky: readonly RootCause[];
}

async function writeSimulation(
  dir: string,
  seed: number,
  parameters: SimulationParameters,
  plan: Plan,
  onProgress: ((done: number, total: number) => void) | undefined,
): Promise<SimulationResult> {
  const { population, incidents, flaky } = plan;
  const root = Random.fromSeed(seed);
  const truth = await GroundTruthWriter.open(join(dir, SIMULATION_FILES.groundTruth), {
    seed,
    parameters,
    tests: testsOf(population, flaky),
    causes: causesOf(flaky, incidents),
    regressions: incidents.regressions.map(codeChangeOf),
    testBugs: incidents.testBugs.map(codeChangeOf),
  });
  const script = await FileSink.open(join(dir, SIMULATION_FILES.ingestScript), 0o755);
  await script.write(INGEST_SCRIPT_HEAD);
  const runs: GroundTruthRun[] = [];
  const hitBy = new Map<string, Set<string>>();
  const counts = { failures: 0, retriedThenPassed: 0, failedExecutions: 0 };
  const width = Math.max(4, String(plan.history.length).length);
  const stable = (cause: RootCause, test: { readonly index: number }) => root.fork("cause", cause.id, test.index);
  for (const scheduled of plan.history) {
    let startedAt = scheduled.startedAt;
    let runner = scheduled.runner;
    for (let attempt = 1; ; attempt++) {
      const file = `${SIMULATION_FILES.reports}/run-${String(scheduled.index + 1).padStart(width, "0")}-a${attempt}.xml`;
      const commit = scheduled.commit;
      const record: GroundTruthRun = {
        file,
        project: parameters.project,
        ciRunId: scheduled.ciRunId,
        attempt,
        commit: commit.sha,
        branch: commit.branch,
        pullRequest: commit.kind === "pull-request" ? commit.pullRequest : null,
        job: SIMULATED_JOB,
        startedAt: iso(startedAt),
        runner: runner.hostname,
      };
      const situation = { commit, startedAt, runner, revision: commit.revision };
      const executions = executeRun(population, incidents, flaky, situation, {
        random: root.fork("run", scheduled.index, attempt),
        stable,
      });
      const result = await writeRunReport(
        join(dir, file),
        executions,
        { name: parameters.project, startedAt, hostname: runner.hostname, revision: commit.revision },
        async ({ execution, testAttempt, attempt: failed }) => {
          const seen = hitBy.get(failed.cause.id) ?? new Set<string>();
          seen.add(file);
          hitBy.set(failed.cause.id, seen);
          await truth.failure({
            run: file,
            ciRunId: scheduled.ciRunId,
            attempt,
            test: execution.test.index,
            suite: execution.test.suite,
            name: execution.test.name,
            testAttempt,
            status: failed.status,
            cause: failed.cause.id,
            category: failed.cause.category,
          });
        },
      );
      counts.failures += result.failures;
      counts.retriedThenPassed += result.retriedThenPassed;
      counts.failedExecutions += result.failedExecutions;
      runs.push(record);
      await script.write(ingestCommandLine(record));
      const rerun = root.fork("rerun", scheduled.index, attempt);
      // A red run is often re-run by hand, on another runner, before the next push.
      if (attempt >= MAX_CI_ATTEMPTS || result.failedExecutions === 0 || !rerun.chance(RERUN_SHARE)) break;
      startedAt =
        Math.round((startedAt + (scheduled.nextStartedAt - startedAt) * rerun.between(0.35, 0.8)) / 1000) * 1000;
      runner = pickRunner(rerun);
    }
    onProgress?.(scheduled.index + 1, plan.history.length);
  }
  const hits = (id: string): string[] => [...(hitBy.get(id) ?? [])];
  const outages: GroundTruthOutage[] = incidents.outages.map((o) => ({
    id: o.cause.id,
    summary: o.cause.summary,
    fault: o.fault,
    from: iso(o.from),
    to: iso(o.to),
    tests: sorted(o.tests),
    runs: hits(o.cause.id),
  }));
  const environmentProblems: GroundTruthEnvironmentProblem[] = incidents.environmentProblems.map((p) => ({
    id: p.cause.id,
    summary: p.cause.summary,
    kind: p.kind,
    framework: p.framework,
    runner: p.runner,
    from: iso(p.from),
    to: iso(p.to),
    tests: sorted(p.tests),
    runs: hits(p.cause.id),
  }));
  const totals: SimulationTotals = {
    files: runs.length,
    ciRuns: plan.history.length,
    reruns: runs.length - plan.history.length,
    tests: population.tests.length,
    failures: counts.failures,
    retriedThenPassed: counts.retriedThenPassed,
    failedExecutions: counts.failedExecutions,
    flakyTests: population.tests.filter((t) => t.flakiness.kind === "intermittent").length,
    regressions: incidents.regressions.length,
    testBugs: incidents.testBugs.length,
    outages: incidents.outages.length,
    environmentProblems: incidents.environmentProblems.length,
  };
  await truth.finish({ runs, outages, environmentProblems, totals });
  await script.close();
  // The mode given at open is masked by the umask; an ingest script must be executable.
  await chmod(join(dir, SIMULATION_FILES.ingestScript), 0o755);
  await writeManifest(join(dir, SIMULATION_FILES.manifest), parameters.project, runs);
  return { dir, seed, parameters, totals };
}
