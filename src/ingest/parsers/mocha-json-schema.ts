import { z } from "zod";

/**
 * Mocha's `json` reporter output (`mocha --reporter json`), declaring only what Kaizen
 * reads. Each test is serialised by the reporter's `clean()`: title, fullTitle, file,
 * duration, currentRetry, speed and `err` (the error's own enumerable members).
 */

const optionalNumber = z.number().nullish().catch(undefined);
const optionalString = z.string().nullish().catch(undefined);

/** A test's error: `{}` for a test that did not fail. */
export const mochaErrorSchema = z.looseObject({
  message: optionalString,
  stack: optionalString,
  name: optionalString,
  /** `ERR_MOCHA_TIMEOUT` for a timeout, `ERR_ASSERTION` for a Node assertion. */
  code: z.unknown().optional(),
});

/** A validated {@link mochaErrorSchema}. */
export type MochaError = z.output<typeof mochaErrorSchema>;

/** One test (or, in `failures`, a hook that failed). */
export const mochaTestSchema = z.looseObject({
  title: z.string(),
  fullTitle: z.string(),
  file: optionalString,
  duration: optionalNumber,
  currentRetry: optionalNumber,
  err: z
    .union([mochaErrorSchema, z.string().transform((message): MochaError => ({ message }))])
    .nullish()
    .catch(undefined),
});

/** A validated {@link mochaTestSchema}. */
export type MochaTest = z.output<typeof mochaTestSchema>;

/** The whole report. */
export const mochaReportSchema = z.looseObject({
  stats: z
    .looseObject({ start: optionalString, end: optionalString, duration: optionalNumber })
    .nullish()
    .catch(undefined),
  tests: z.array(mochaTestSchema),
  passes: z.array(mochaTestSchema).nullish(),
  failures: z.array(mochaTestSchema).nullish(),
  pending: z.array(mochaTestSchema).nullish(),
});

/** A validated {@link mochaReportSchema}. */
export type MochaReport = z.output<typeof mochaReportSchema>;
