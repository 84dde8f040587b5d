import { z } from "zod";

/**
 * The Jest-compatible JSON report, as `jest --json` and Vitest's `json` reporter write it,
 * and as Jest's in-memory `AggregatedResult` looks when a tool saves it as is (per-file
 * `testResults` and `testFilePath` instead of `assertionResults` and `name`). Only what
 * Kaizen reads is declared; every other member passes through. Optional members that a
 * tool may write with another type are dropped rather than failing the whole report.
 */

const optionalNumber = z.number().nullish().catch(undefined);
const optionalString = z.string().nullish().catch(undefined);

/** Every status Jest (`AssertionResult.status`) and Vitest write for a test. */
export const JEST_TEST_STATUSES = ["passed", "failed", "skipped", "pending", "todo", "disabled", "focused"] as const;

/** A test's status in a Jest-compatible report. */
export type JestTestStatus = (typeof JEST_TEST_STATUSES)[number];

/** One test of a test file. */
export const jestAssertionResultSchema = z.looseObject({
  ancestorTitles: z.array(z.string()).catch([]),
  title: z.string(),
  fullName: optionalString,
  status: z.enum(JEST_TEST_STATUSES),
  duration: optionalNumber,
  /** Jest 30: epoch milliseconds at which the test started. */
  startAt: optionalNumber,
  failureMessages: z.array(z.string()).nullish().catch(undefined),
  failureDetails: z.array(z.unknown()).nullish().catch(undefined),
  location: z.looseObject({ line: z.number(), column: optionalNumber }).nullish().catch(undefined),
  /** jest-circus with `retryTimes(n, { logErrorsBeforeRetry: true })`: the error of each failed attempt. */
  retryReasons: z.array(z.string()).nullish().catch(undefined),
  /** jest-circus: how many times the test ran (1 + retries). */
  invocations: optionalNumber,
  /** Vitest: `task.meta`, free-form. */
  meta: z.record(z.string(), z.unknown()).nullish().catch(undefined),
  /** Vitest 4: test tags. */
  tags: z.array(z.string()).nullish().catch(undefined),
});

/** A test's entry, as {@link jestAssertionResultSchema} validates it. */
export type JestAssertionResult = z.output<typeof jestAssertionResultSchema>;

const consoleEntrySchema = z.looseObject({ message: z.string(), type: optionalString, origin: optionalString });

const execErrorSchema = z.union([
  z.string(),
  z.looseObject({ message: optionalString, stack: optionalString, code: z.unknown().optional() }),
]);

/** One test file. */
export const jestFileResultSchema = z.looseObject({
  /** `--json`: the file path. */
  name: optionalString,
  /** `AggregatedResult`: the file path. */
  testFilePath: optionalString,
  assertionResults: z.array(jestAssertionResultSchema).nullish(),
  testResults: z.array(jestAssertionResultSchema).nullish(),
  status: optionalString,
  /** `--json`: the file's failure output (`AggregatedResult.failureMessage`). */
  message: optionalString,
  failureMessage: optionalString,
  /** Why the file failed to run; `--json` drops it and keeps only `message`. */
  testExecError: execErrorSchema.nullish().catch(undefined),
  startTime: optionalNumber,
  endTime: optionalNumber,
  perfStats: z.looseObject({ start: optionalNumber, end: optionalNumber }).nullish().catch(undefined),
  console: z.array(consoleEntrySchema).nullish().catch(undefined),
  displayName: z
    .union([z.string(), z.looseObject({ name: z.string() })])
    .nullish()
    .catch(undefined),
});

/** A test file's entry, as {@link jestFileResultSchema} validates it. */
export type JestFileResult = z.output<typeof jestFileResultSchema>;

/** The whole report. */
export const jestReportSchema = z.looseObject({
  testResults: z.array(jestFileResultSchema),
  /** Epoch milliseconds at which the run started. */
  startTime: optionalNumber,
  success: z.boolean().nullish().catch(undefined),
});

/** The report, as {@link jestReportSchema} validates it. */
export type JestReport = z.output<typeof jestReportSchema>;
