import { z } from "zod";

/**
 * Playwright's JSON report (`@playwright/test`'s `json` reporter, `JSONReport` in
 * `@playwright/test/reporter`), declaring only what Kaizen reads. Optional members a
 * version may write differently are dropped rather than failing the report.
 */

const optionalNumber = z.number().nullish().catch(undefined);
const optionalString = z.string().nullish().catch(undefined);

/** The outcome of one run of a test (`TestResult.status`), and what a test is expected to do. */
export const PLAYWRIGHT_RESULT_STATUSES = ["passed", "failed", "timedOut", "skipped", "interrupted"] as const;

/** A {@link PLAYWRIGHT_RESULT_STATUSES} member. */
export type PlaywrightResultStatus = (typeof PLAYWRIGHT_RESULT_STATUSES)[number];

const locationSchema = z.looseObject({ file: optionalString, line: optionalNumber, column: optionalNumber });

/** An error (`TestError`): in a result, or at the top level for errors outside any test. */
export const playwrightErrorSchema = z.looseObject({
  message: optionalString,
  stack: optionalString,
  value: optionalString,
  location: locationSchema.nullish().catch(undefined),
});

/** A validated {@link playwrightErrorSchema}. */
export type PlaywrightError = z.output<typeof playwrightErrorSchema>;

/** Captured output: text chunks, or base64 `buffer` chunks for output that was not text. */
const stdioSchema = z
  .array(z.union([z.looseObject({ text: z.string() }), z.looseObject({ buffer: z.string() })]))
  .nullish()
  .catch(undefined);

const annotationSchema = z.looseObject({ type: z.string(), description: optionalString });

/** A validated annotation. */
export type PlaywrightAnnotation = z.output<typeof annotationSchema>;

const annotationsSchema = z.array(annotationSchema).nullish().catch(undefined);

/** One run (attempt) of a test. */
export const playwrightResultSchema = z.looseObject({
  retry: optionalNumber,
  status: z.enum(PLAYWRIGHT_RESULT_STATUSES),
  duration: optionalNumber,
  startTime: optionalString,
  error: playwrightErrorSchema.nullish().catch(undefined),
  errors: z.array(playwrightErrorSchema).nullish().catch(undefined),
  stdout: stdioSchema,
  stderr: stdioSchema,
  annotations: annotationsSchema,
});

/** A validated {@link playwrightResultSchema}. */
export type PlaywrightResult = z.output<typeof playwrightResultSchema>;

/** A test in one project. */
export const playwrightTestSchema = z.looseObject({
  projectName: optionalString,
  projectId: optionalString,
  annotations: annotationsSchema,
  expectedStatus: z.enum(PLAYWRIGHT_RESULT_STATUSES).nullish().catch(undefined),
  /** `expected`, `unexpected`, `flaky` or `skipped`: the verdict over all results. */
  status: optionalString,
  results: z.array(playwrightResultSchema),
});

/** A validated {@link playwrightTestSchema}. */
export type PlaywrightTest = z.output<typeof playwrightTestSchema>;

/** A `test()` call, with one test per project it ran in. */
export const playwrightSpecSchema = z.looseObject({
  title: z.string(),
  file: optionalString,
  line: optionalNumber,
  column: optionalNumber,
  tags: z.array(z.string()).nullish().catch(undefined),
  tests: z.array(playwrightTestSchema),
});

/** A validated {@link playwrightSpecSchema}. */
export type PlaywrightSpec = z.output<typeof playwrightSpecSchema>;

/** A file (at the top level) or a `describe` block (nested). */
export const playwrightSuiteSchema = z.looseObject({
  title: z.string(),
  file: optionalString,
  line: optionalNumber,
  specs: z.array(playwrightSpecSchema).nullish(),
  get suites() {
    return z.array(playwrightSuiteSchema).nullish();
  },
});

/** A validated {@link playwrightSuiteSchema}. */
export type PlaywrightSuite = z.output<typeof playwrightSuiteSchema>;

/** The whole report. */
export const playwrightReportSchema = z.looseObject({
  config: z
    .looseObject({
      version: optionalString,
      rootDir: optionalString,
      configFile: optionalString,
      shard: z.looseObject({ current: z.number(), total: z.number() }).nullish().catch(undefined),
    })
    .catch({}),
  suites: z.array(playwrightSuiteSchema),
  errors: z.array(playwrightErrorSchema).nullish().catch(undefined),
  stats: z.looseObject({ startTime: optionalString, duration: optionalNumber }).nullish().catch(undefined),
});

/** A validated {@link playwrightReportSchema}. */
export type PlaywrightReport = z.output<typeof playwrightReportSchema>;
