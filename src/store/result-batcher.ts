import type { NormalizedTestResult, TestAttempt } from "../domain/test-result.js";
import type { ResultSink } from "./ports.js";
import type { FailureRow, ResultRow, ResultRowWriter, TestRow } from "./result-rows.js";
import { TestIdFilter } from "./test-id-filter.js";

/** Attempts buffered before a batch is written; sized to stay under both dialects' bind-parameter limits. */
const BATCH_ATTEMPTS = 1000;
/** Failing tests of one report whose failures are remembered, to be marked when a later attempt passes. */
const MAX_TRACKED_FAILING_TESTS = 200_000;
/** 2^20 bits (128 KiB): with 20,000 failing tests, about one passed attempt in 700 is looked up in vain. */
const FAILED_FILTER_LOG2_BITS = 20;

/** Whether an object has no own enumerable keys, without the array `Object.keys` makes (once per result). */
function hasNoKeys(object: object): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return false;
  return true;
}

/** Where a batch of results goes. */
export interface BatchTarget {
  readonly projectId: number;
  readonly runId: number;
  readonly reportId: number;
  /** When the results were seen, ISO-8601. */
  readonly seenAt: string;
}

/**
 * Buffers normalized results and writes them in batches: tests (upserted, they are
 * content-addressed), one results row per attempt, one failures row per failed attempt.
 */
export class ResultBatcher implements ResultSink {
  private buffer: NormalizedTestResult[] = [];
  /** Whether each result of the buffer has its test stored already (by {@link ResultSink.add}'s `testKnown`). */
  private knownTests: boolean[] = [];
  /** Whether every result of the buffer came with `testKnown` (the producer looked its test up). */
  private lookedUp = true;
  private bufferedAttempts = 0;
  private seq = 0;
  /** Failure result ids per failing test of the report, for the `passed_on_retry` mark. */
  private readonly failedResults = new Map<string, number[]>();
  private readonly recovered = new Set<string>();
  /** Every test of the report with a failed attempt so far: most passed attempts need no lookup in {@link failedResults}. */
  private readonly everFailed = new TestIdFilter(FAILED_FILTER_LOG2_BITS);

  constructor(
    private readonly writer: ResultRowWriter,
    private readonly target: BatchTarget,
  ) {}

  /** Buffers one result, writing the batch when it is full. */
  async add(result: NormalizedTestResult, testKnown?: boolean): Promise<void> {
    this.buffer.push(result);
    this.knownTests.push(testKnown === true);
    if (testKnown === undefined) this.lookedUp = false;
    this.bufferedAttempts += result.attempts.length;
    if (this.bufferedAttempts >= BATCH_ATTEMPTS) await this.flush();
  }

  /** Writes whatever is buffered and lets the writer complete what it deferred; call once, at the end. */
  async finish(): Promise<void> {
    await this.flush();
    const ids: number[] = [];
    for (const testId of this.recovered) ids.push(...(this.failedResults.get(testId) ?? []));
    for (let i = 0; i < ids.length; i += BATCH_ATTEMPTS)
      await this.writer.markPassedOnRetry(ids.slice(i, i + BATCH_ATTEMPTS));
    await this.writer.finish({ runId: this.target.runId, reportId: this.target.reportId });
  }

  /** Writes whatever is buffered. */
  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    const known = this.knownTests;
    const lookedUp = this.lookedUp;
    this.buffer = [];
    this.knownTests = [];
    this.lookedUp = true;
    this.bufferedAttempts = 0;
    const { projectId, runId, reportId, seenAt } = this.target;

    // A test listed twice in the batch is passed twice: each writer settles repeats its own way.
    const tests: TestRow[] = [];
    for (let i = 0; i < batch.length; i++) {
      if (known[i] === true) continue;
      const { test } = batch[i] as NormalizedTestResult;
      tests.push({
        id: test.id,
        project_id: projectId,
        suite: test.suite,
        name: test.name,
        file: test.file,
        line: test.line,
        first_seen_at: seenAt,
      });
    }
    await this.writer.upsertTests(tests, lookedUp);

    const rows: ResultRow[] = [];
    const failingNow = new Set<string>();
    const failed = new Map<number, { testId: string; failure: NonNullable<TestAttempt["failure"]> }>();
    for (const result of batch) {
      const properties = hasNoKeys(result.properties) ? null : JSON.stringify(result.properties);
      const tags = result.tags.length === 0 ? null : JSON.stringify(result.tags);
      for (const attempt of result.attempts) {
        const seq = this.seq++;
        const testId = result.test.id;
        if (attempt.failure !== null) {
          failed.set(seq, { testId, failure: attempt.failure });
          failingNow.add(testId);
          this.everFailed.add(testId);
        } else if (
          attempt.status === "passed" &&
          this.everFailed.mayHave(testId) &&
          (this.failedResults.has(testId) || failingNow.has(testId))
        )
          this.recovered.add(testId);
        rows.push({
          run_id: runId,
          report_id: reportId,
          test_id: result.test.id,
          seq,
          attempt: attempt.attempt,
          status: attempt.status,
          duration_ms: attempt.durationMs,
          started_at: attempt.startedAt,
          skip_reason: attempt.skipReason,
          stdout: attempt.stdout,
          stderr: attempt.stderr,
          properties,
          tags,
        });
      }
    }
    const ids = await this.writer.insertResults(rows, new Set(failed.keys()));
    const failures: FailureRow[] = [];
    for (const [seq, { testId, failure }] of failed) {
      const resultId = ids.get(seq);
      if (resultId === undefined) throw new Error(`no id returned for result ${seq}`);
      const earlier = this.failedResults.get(testId);
      if (earlier !== undefined) earlier.push(resultId);
      else if (this.failedResults.size < MAX_TRACKED_FAILING_TESTS) this.failedResults.set(testId, [resultId]);
      failures.push({
        result_id: resultId,
        run_id: runId,
        test_id: testId,
        type: failure.type,
        message: failure.message,
        stack: failure.stack,
      });
    }
    await this.writer.insertFailures(failures);
  }
}
