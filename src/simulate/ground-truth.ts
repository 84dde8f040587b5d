import type { FailureCategory } from "../analysis/failure-categories.js";
import type { EnvironmentKind, InfrastructureFault } from "./failure-text.js";
import { FileSink } from "./file-sink.js";
import type { Framework, Language, TestKind } from "./frameworks.js";

/** Version of the ground-truth format; bumped when a field changes meaning. */
export const GROUND_TRUTH_VERSION = 1;

/** The parameters a simulation ran with, every default resolved. */
export interface SimulationParameters {
  readonly runs: number;
  readonly tests: number;
  readonly flakyShare: number;
  readonly regressions: number;
  readonly testBugs: number;
  readonly outages: number;
  readonly environmentProblems: number;
  readonly prShare: number;
  readonly project: string;
  readonly maxReruns: number;
}

/** A test of the population. */
export interface GroundTruthTest {
  /** Its index in `tests`; other entries refer to tests by it. */
  readonly id: number;
  /** The `<testsuite>` name, which is also the testcase's `classname`: Kaizen stores it as the test's suite. */
  readonly suite: string;
  readonly classname: string;
  readonly name: string;
  /** Repository-relative file (the testcase's `file` attribute). */
  readonly file: string;
  readonly language: Language;
  readonly framework: Framework;
  readonly kind: TestKind;
  readonly component: string;
  /** Whether it fails intermittently without any code change. */
  readonly flaky: boolean;
  /** The probability that one attempt fails intermittently; 0 for a stable test. */
  readonly flakeRate: number;
  /** The root cause of its intermittent failures, or `null`. */
  readonly flakeCause: string | null;
  /** Whether it is always skipped. */
  readonly skipped: boolean;
}

/** A root cause. */
export interface GroundTruthCause {
  readonly id: string;
  readonly category: FailureCategory;
  readonly summary: string;
}

/** A regression or test bug: the commits it is in, and the tests it fails there. */
export interface GroundTruthCodeChange {
  /** Its root-cause id. */
  readonly id: string;
  readonly category: "regression" | "test-bug";
  readonly summary: string;
  /** The branch it was introduced on (`main` or a pull request's). */
  readonly branch: string;
  readonly pullRequest: number | null;
  /** The SHA of the commit that introduced it. */
  readonly introducedIn: string;
  /** The SHA of the commit that fixed it, or `null` when the history ends first. */
  readonly fixedIn: string | null;
  readonly tests: readonly number[];
  /** Every commit that contains it and not its fix: the tests fail on exactly these. */
  readonly affectedCommits: readonly string[];
}

/** An infrastructure outage. */
export interface GroundTruthOutage {
  readonly id: string;
  readonly summary: string;
  readonly fault: InfrastructureFault;
  /** ISO-8601 window: runs that start in `[from, to)` are hit. */
  readonly from: string;
  readonly to: string;
  readonly tests: readonly number[];
  /** The report files of the runs it hit. */
  readonly runs: readonly string[];
}

/** A broken self-hosted runner. */
export interface GroundTruthEnvironmentProblem {
  readonly id: string;
  readonly summary: string;
  readonly kind: EnvironmentKind;
  readonly framework: Framework;
  /** The runner's host name: runs elsewhere pass. */
  readonly runner: string;
  readonly from: string;
  readonly to: string;
  readonly tests: readonly number[];
  readonly runs: readonly string[];
}

/** One run attempt: one report file, ingested as one Kaizen run. */
export interface GroundTruthRun {
  /** The report, relative to the simulation's directory. */
  readonly file: string;
  readonly project: string;
  readonly ciRunId: string;
  /** 1-based attempt of the CI run: CI re-runs count up. */
  readonly attempt: number;
  readonly commit: string;
  readonly branch: string;
  readonly pullRequest: number | null;
  readonly job: string;
  /** ISO-8601 start. */
  readonly startedAt: string;
  /** The runner's host name. */
  readonly runner: string;
}

/** One failed attempt of one test in one run. */
export interface GroundTruthFailure {
  /** The run's report file. */
  readonly run: string;
  readonly ciRunId: string;
  readonly attempt: number;
  /** The test's id. */
  readonly test: number;
  readonly suite: string;
  readonly name: string;
  /** 1-based attempt of the test within the run, as Kaizen numbers it. */
  readonly testAttempt: number;
  /** `failed` (a `failure` element) or `error`. */
  readonly status: "failed" | "error";
  readonly cause: string;
  readonly category: FailureCategory;
}

/** Totals of a simulation. */
export interface SimulationTotals {
  /** Report files written (CI runs and their re-run attempts). */
  readonly files: number;
  /** CI runs (pushes), without re-runs. */
  readonly ciRuns: number;
  /** Re-run attempts. */
  readonly reruns: number;
  readonly tests: number;
  /** Failed attempts. */
  readonly failures: number;
  /** Executions that failed and then passed on a rerun within their run. */
  readonly retriedThenPassed: number;
  /** Executions whose last attempt failed. */
  readonly failedExecutions: number;
  readonly flakyTests: number;
  readonly regressions: number;
  readonly testBugs: number;
  readonly outages: number;
  readonly environmentProblems: number;
}

/** The whole `ground-truth.json`, in the order of its keys. */
export interface GroundTruth {
  readonly version: typeof GROUND_TRUTH_VERSION;
  readonly seed: number;
  readonly parameters: SimulationParameters;
  readonly tests: readonly GroundTruthTest[];
  readonly causes: readonly GroundTruthCause[];
  readonly regressions: readonly GroundTruthCodeChange[];
  readonly testBugs: readonly GroundTruthCodeChange[];
  readonly failures: readonly GroundTruthFailure[];
  readonly runs: readonly GroundTruthRun[];
  readonly outages: readonly GroundTruthOutage[];
  readonly environmentProblems: readonly GroundTruthEnvironmentProblem[];
  readonly totals: SimulationTotals;
}

/** What is known before the first run is simulated. */
export type GroundTruthHead = Pick<
  GroundTruth,
  "seed" | "parameters" | "tests" | "causes" | "regressions" | "testBugs"
>;

/** What is known only once every run is simulated. */
export type GroundTruthTail = Pick<GroundTruth, "runs" | "outages" | "environmentProblems" | "totals">;

/** `"key": [` one entry per line `]`: readable, greppable, and still one JSON document. */
function arrayLines(key: string, items: readonly unknown[]): string {
  if (items.length === 0) return `  ${JSON.stringify(key)}: []`;
  return `  ${JSON.stringify(key)}: [\n${items.map((item) => `    ${JSON.stringify(item)}`).join(",\n")}\n  ]`;
}

/**
 * Writes `ground-truth.json` as the simulation goes: the head first, then one failure at a
 * time (there can be millions), then what only the end knows. The result is one JSON
 * document with one entry per line.
 */
export class GroundTruthWriter {
  private failures = 0;

  private constructor(private readonly sink: FileSink) {}

  /** Creates the file and writes everything up to the first failure. */
  static async open(path: string, head: GroundTruthHead): Promise<GroundTruthWriter> {
    const sink = await FileSink.open(path);
    await sink.write(
      [
        "{",
        `  "version": ${GROUND_TRUTH_VERSION},`,
        `  "seed": ${JSON.stringify(head.seed)},`,
        `  "parameters": ${JSON.stringify(head.parameters)},`,
        `${arrayLines("tests", head.tests)},`,
        `${arrayLines("causes", head.causes)},`,
        `${arrayLines("regressions", head.regressions)},`,
        `${arrayLines("testBugs", head.testBugs)},`,
        `  "failures": [`,
      ].join("\n"),
    );
    return new GroundTruthWriter(sink);
  }

  /** Appends one failure occurrence. */
  async failure(failure: GroundTruthFailure): Promise<void> {
    await this.sink.write(`${this.failures++ === 0 ? "\n" : ",\n"}    ${JSON.stringify(failure)}`);
  }

  /** Writes the rest and closes the file. */
  async finish(tail: GroundTruthTail): Promise<void> {
    await this.sink.write(
      [
        this.failures === 0 ? "]," : "\n  ],",
        `${arrayLines("runs", tail.runs)},`,
        `${arrayLines("outages", tail.outages)},`,
        `${arrayLines("environmentProblems", tail.environmentProblems)},`,
        `  "totals": ${JSON.stringify(tail.totals)}`,
        "}\n",
      ].join("\n"),
    );
    await this.sink.close();
  }
}
