import type { Verdict } from "../analysis/flakiness.js";
import type { Readable } from "node:stream";
import type { RunMetadata } from "../domain/run-metadata.js";
import type { NormalizedTestResult, TestOutcome } from "../domain/test-result.js";
import type { ReportSummary } from "../ingest/normalize.js";
import type { RawReportInfo } from "../ingest/raw-records.js";
import type { ReportFormat } from "../ingest/parser.js";
import type { KnownTestsSource } from "./known-tests.js";

/** A run's metadata with its CI run id resolved (a local run gets a derived one). */
export type RunKey = RunMetadata & { readonly ciRunId: string };

/** What is known about a report before it is parsed. */
export interface ReportHeader {
  /** The run the report belongs to. */
  readonly run: RunKey;
  /** SHA-256 of the report's bytes: its identity within the run. */
  readonly sha256: string;
  /** The detected format. */
  readonly format: ReportFormat;
  /** The path it was read from. */
  readonly path: string;
  /** Size in bytes. */
  readonly size: number;
}

/** Receives normalized results while a report is being written. */
export interface ResultSink {
  /**
   * Adds one test with its attempts; batches are written as they fill. `testKnown` says whether
   * the producer found the test stored already, with this line (then the sink need not write
   * the test itself again); `undefined` when the producer did not look.
   */
  add(result: NormalizedTestResult, testKnown?: boolean): Promise<void>;
}

/** What a store can tell the producer of a report's results, to help it produce them faster. */
export interface ProduceHints {
  /** Where the producer may look up which tests are stored already (a SQLite file). */
  readonly knownTests?: KnownTestsSource | undefined;
}

/** What the parsing of a report produced besides its results. */
export interface ReportOutcome {
  /** Counts by outcome. */
  readonly summary: ReportSummary;
  /** What the report said about itself. */
  readonly info: RawReportInfo | undefined;
}

/** The content of a report: its raw bytes (kept as an artifact) and its parsed results. */
export interface ReportContent {
  /** Opens the raw bytes, to be stored compressed. */
  openRaw(): Readable;
  /** Parses the report, sending every result to `sink`. */
  produce(sink: ResultSink, hints?: ProduceHints): Promise<ReportOutcome>;
}

/** The result of writing one report. */
export interface StoredReport {
  /** The run's id in the store. */
  readonly runId: number;
  /** The report's id in the store. */
  readonly reportId: number;
  /** `false` when the same report was already stored for this run (nothing was added). */
  readonly created: boolean;
  /** Counts of what the report holds. */
  readonly summary: ReportSummary;
}

/** Writes runs and their reports; each report is stored whole or not at all. */
export interface RunWriter {
  /** Stores one report in one transaction; a report already stored for the run adds nothing. */
  writeReport(header: ReportHeader, content: ReportContent): Promise<StoredReport>;
  /** Stores a build log (hashed by the caller) for a run, content-addressed and compressed, creating the run if needed. */
  attachLog(run: RunKey, name: string, sha256: string, open: () => Readable): Promise<{ runId: number }>;
}

/** A run with the counts of all its reports. */
export interface RunSummary {
  readonly id: number;
  readonly project: string;
  readonly ciRunId: string;
  readonly attempt: number;
  readonly provider: string;
  readonly commitSha: string | null;
  readonly branch: string | null;
  readonly pullRequest: string | null;
  readonly job: string | null;
  readonly workflow: string | null;
  readonly url: string | null;
  readonly startedAt: string | null;
  readonly createdAt: string;
  readonly reports: number;
  readonly tests: number;
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
  readonly skipped: number;
  readonly flaky: number;
}

/** Filters of {@link RunReader.listRuns}. */
export interface RunQuery {
  readonly project?: string;
  readonly branch?: string;
  readonly limit?: number;
}

/** Reads runs. */
export interface RunReader {
  /** Runs, newest first. */
  listRuns(query: RunQuery): Promise<RunSummary[]>;
  /** A run by Kaizen's id or by CI run id (latest attempt); `undefined` when there is none. */
  findRun(ref: string, project?: string): Promise<RunSummary | undefined>;
  /** A run by Kaizen's own id only. */
  runById(id: number): Promise<RunSummary | undefined>;
}

/** A test with its history in brief. */
export interface TestSummary {
  readonly id: string;
  readonly project: string;
  readonly suite: string;
  readonly name: string;
  readonly file: string | null;
  readonly line: number | null;
  /** Runs it appeared in (within the query's scope). */
  readonly runs: number;
  /** Runs whose final attempt failed or errored. */
  readonly failedRuns: number;
  /** Runs where it failed and then passed on retry. */
  readonly flakyRuns: number;
  /** Outcome in the latest run it appeared in (or in the queried run). */
  readonly lastOutcome: TestOutcome;
  /** Attempts in that run. */
  readonly lastAttempts: number;
  /** Duration of the final attempt in that run, in ms. */
  readonly lastDurationMs: number | null;
  /** That run's id. */
  readonly lastRunId: number;
  /** The failure message of the final attempt there, if it failed. */
  readonly lastFailure: string | null;
}

/** Filters of {@link TestReader.listTests}. */
export interface TestQuery {
  readonly project?: string;
  /** Only this run (Kaizen's run id). */
  readonly runId?: number;
  /** Only tests whose outcome (in the run, or in their latest run) is failed or error. */
  readonly failing?: boolean;
  /**
   * Only executions with at least one failed or errored attempt (failed and flaky ones),
   * filtered in SQL: what a run's summary needs, without reading every result of a huge run.
   * With it, `limit` caps the executions read, in SQL.
   */
  readonly withFailuresOnly?: boolean;
  readonly limit?: number;
}

/** Reads tests. */
export interface TestReader {
  /** Tests ordered by suite and name. */
  listTests(query: TestQuery): Promise<TestSummary[]>;
}

/** One failure cluster (root cause), with its counts and where it was seen. */
export interface ClusterSummary {
  readonly id: number;
  readonly project: string;
  readonly title: string;
  readonly exceptionType: string | null;
  readonly template: string;
  readonly frames: readonly string[];
  readonly category: string | null;
  /** `rule`, `model` or `human`; `null` when nothing classified it. */
  readonly categorySource: string | null;
  readonly confidence: number | null;
  readonly failures: number;
  readonly tests: number;
  readonly firstSeen: {
    readonly runId: number;
    readonly ciRunId: string;
    readonly commitSha: string | null;
    readonly at: string;
  };
  readonly lastSeen: {
    readonly runId: number;
    readonly ciRunId: string;
    readonly commitSha: string | null;
    readonly at: string;
  };
}

/** What a cluster row says by itself: no counts over its failures, so reading many stays cheap. */
export interface ClusterBrief {
  readonly id: number;
  readonly title: string;
  readonly category: string | null;
  /** `rule`, `model` or `human`; `null` when nothing classified it. */
  readonly categorySource: string | null;
  readonly confidence: number | null;
  readonly failures: number;
  /** The run it was first seen in: a cluster first seen in the run being analysed is a new root cause. */
  readonly firstSeenRunId: number;
  readonly lastSeenRunId: number;
}

/** A cluster with samples of its failures. */
export interface ClusterDetail extends ClusterSummary {
  /** A few of its failures, newest first. */
  readonly samples: readonly FailureSummary[];
}

/** Filters of {@link ClusterReader.listClusters}. */
export interface ClusterQuery {
  readonly project?: string;
  /** Only clusters seen at or after this ISO time. */
  readonly since?: string;
  readonly category?: string;
  readonly limit?: number;
}

/** One stored failure with its test, run, cluster and category. */
export interface FailureSummary {
  readonly id: number;
  readonly runId: number;
  readonly ciRunId: string;
  readonly attempt: number;
  readonly test: { readonly id: string; readonly suite: string; readonly name: string; readonly file: string | null };
  /** The test's attempt within the run this failure belongs to. */
  readonly testAttempt: number;
  readonly type: string | null;
  readonly message: string;
  readonly clusterId: number | null;
  readonly category: string | null;
  readonly confidence: number | null;
  /** What decided the category: `rule:<id>`, `model:<version>` or `human`. */
  readonly source: string | null;
}

/** Filters of {@link ClusterReader.listFailures}. */
export interface FailureQuery {
  readonly project?: string;
  readonly runId?: number;
  readonly clusterId?: number;
  readonly limit?: number;
}

/** Reads clusters and the failures in them. */
export interface ClusterReader {
  /** Clusters, most failures first. */
  listClusters(query: ClusterQuery): Promise<ClusterSummary[]>;
  /** One cluster with samples, or `undefined`. */
  clusterById(id: number): Promise<ClusterDetail | undefined>;
  /** The clusters with these ids (unknown ids are left out), by id; one query for many. */
  clustersByIds(ids: readonly number[]): Promise<ClusterBrief[]>;
  /** Failures in failure order. */
  listFailures(query: FailureQuery): Promise<FailureSummary[]>;
}

/** Filters of {@link VerdictReader.listVerdicts}. */
export interface VerdictQuery {
  readonly project?: string;
  /** Only this test. */
  readonly testId?: string;
  /**
   * Only these tests: read by index, so the cost follows their histories, not the whole
   * project's (what the analysis of one run needs for its failing tests).
   */
  readonly testIds?: readonly string[];
  readonly branch?: string;
  readonly job?: string;
}

/** One test and its executions, oldest first. */
export interface TestVerdicts {
  readonly test: { readonly id: string; readonly suite: string; readonly name: string; readonly file: string | null };
  readonly verdicts: readonly Verdict[];
}

/** A stored failure with what analysis needs to explain it. */
export interface FailureRecord {
  readonly id: number;
  readonly type: string | null;
  readonly message: string;
  readonly stack: string | null;
  readonly passedOnRetry: boolean;
  readonly clusterId: number | null;
  readonly category: string | null;
  readonly confidence: number | null;
  readonly source: string | null;
  readonly test: { readonly id: string; readonly suite: string; readonly name: string; readonly file: string | null };
  readonly ciRunId: string;
}

/** Reads tests' execution histories, for flakiness, and single failures, for explanations. */
export interface VerdictReader {
  listVerdicts(query: VerdictQuery): Promise<TestVerdicts[]>;
  /** Tests whose id is `ref`, or whose name or `suite › name` contains it. */
  findTests(ref: string, project?: string): Promise<TestVerdicts["test"][]>;
  /** One failure, or `undefined`. */
  failureById(id: number): Promise<FailureRecord | undefined>;
}
