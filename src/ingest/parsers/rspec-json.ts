import { z } from "zod";
import { parseError } from "../../domain/errors.js";
import type { TestStatus } from "../../domain/test-status.js";
import { readJsonDocument } from "../json-document.js";
import type { ReportSniff, ReportSource, ResultParser } from "../parser.js";
import type {
  RawAttempt,
  RawFailure,
  RawRecordSink,
  RawReportInfo,
  RawSuiteFailure,
  RawTestCase,
} from "../raw-records.js";

/*
 * RSpec's JSON formatter (`rspec --format json`, rspec-core's JsonFormatter):
 *
 *   { version, seed?, messages?: string[],
 *     examples: [ { id: "./spec/a_spec.rb[1:2:1]", description, full_description, status: passed|failed|pending,
 *                   file_path, line_number, run_time (seconds), pending_message,
 *                   exception?: { class, message, backtrace[] } } ],
 *     summary: { duration, example_count, failure_count, pending_count, errors_outside_of_examples_count },
 *     summary_line }
 *
 * The formatter does not write the example groups: only `full_description`, the group descriptions
 * and the example's joined by spaces (or by nothing before `#method`/`.method` groups), so the
 * nesting cannot be split back reliably. The suite is therefore one level, `full_description`
 * less the example's own description: what `rspec` itself prints as the group of a failure.
 *
 * Errors outside of examples (a spec file that does not load, a failing `before(:suite)` or
 * `after(:context)` hook) are only in `messages`, as the text RSpec prints for them.
 */

const exceptionSchema = z.looseObject({
  class: z.string().optional().catch(undefined),
  message: z.string().optional().catch(undefined),
  backtrace: z.array(z.string().catch("")).optional().catch(undefined),
});

const exampleSchema = z.looseObject({
  id: z.string().optional().catch(undefined),
  description: z.string().optional().catch(undefined),
  full_description: z.string().optional().catch(undefined),
  status: z.string(),
  file_path: z.string().optional().catch(undefined),
  line_number: z.number().int().positive().optional().catch(undefined),
  run_time: z.number().nonnegative().optional().catch(undefined),
  pending_message: z.string().nullable().optional().catch(undefined),
  exception: exceptionSchema.nullable().optional().catch(undefined),
});

const reportSchema = z.looseObject({
  version: z.string().optional().catch(undefined),
  messages: z.array(z.string().catch("")).optional().catch(undefined),
  examples: z.array(exampleSchema),
  summary: z
    .looseObject({ duration: z.number().nonnegative().optional().catch(undefined) })
    .optional()
    .catch(undefined),
});

type Example = z.infer<typeof exampleSchema>;
type RspecException = z.infer<typeof exceptionSchema>;

/**
 * Exceptions that mean an expectation did not hold (rspec-expectations, rspec-mocks, a pending
 * example that passed, Minitest assertions run under RSpec). Any other exception escaped the
 * example's code: the test could not run to completion.
 */
const ASSERTION_CLASSES =
  /^(?:RSpec::Expectations::|RSpec::Mocks::|RSpec::Core::Pending::PendingExampleFixedError$|Minitest::Assertion$|Test::Unit::AssertionFailedError$)/;

/** Seconds to milliseconds, rounded to the nanosecond so that binary fractions do not show (0.079159625 s is 79.159625 ms). */
function secondsToMs(seconds: number): number {
  return Math.round(seconds * 1e9) / 1e6;
}

function failedStatusOf(exception: RspecException | null | undefined): TestStatus {
  const type = exception?.class;
  return type === undefined || ASSERTION_CLASSES.test(type) ? "failed" : "error";
}

function statusOf(example: Example): TestStatus {
  switch (example.status) {
    case "passed":
      return "passed";
    case "pending":
      return "skipped";
    case "failed":
      return failedStatusOf(example.exception);
    default:
      // Statuses RSpec does not write (custom formatters): not evidence of a pass.
      return "error";
  }
}

function failureOf(exception: RspecException): RawFailure {
  const message = exception.message?.trim();
  const backtrace = (exception.backtrace ?? []).filter((frame) => frame !== "");
  return {
    ...(exception.class === undefined ? {} : { type: exception.class }),
    ...(message === undefined || message === "" ? {} : { message }),
    ...(backtrace.length === 0 ? {} : { stack: backtrace.join("\n") }),
  };
}

function suiteOf(example: Example): string[] {
  const full = example.full_description;
  const own = example.description;
  if (full === undefined || own === undefined || own === "" || !full.endsWith(own)) return [];
  const group = full.slice(0, full.length - own.length).trim();
  return group === "" ? [] : [group];
}

function testCaseOf(example: Example): RawTestCase {
  const status = statusOf(example);
  const pending = example.pending_message ?? undefined;
  const attempt: RawAttempt = {
    status,
    ...(example.run_time === undefined ? {} : { durationMs: secondsToMs(example.run_time) }),
    ...(status === "skipped" && pending !== undefined && pending !== "" ? { skipReason: pending } : {}),
  };
  const failure =
    (status === "failed" || status === "error") && example.exception != null ? failureOf(example.exception) : undefined;
  return {
    kind: "case",
    suite: suiteOf(example),
    name:
      example.description !== undefined && example.description !== ""
        ? example.description
        : (example.full_description ?? ""),
    ...(example.file_path === undefined ? {} : { file: example.file_path }),
    ...(example.line_number === undefined ? {} : { line: example.line_number }),
    attempts: [failure === undefined || Object.keys(failure).length === 0 ? attempt : { ...attempt, failure }],
    ...(example.id === undefined ? {} : { properties: { id: example.id } }),
  };
}

/**
 * A suite failure from one of RSpec's `An error occurred ...` messages:
 *
 *   An error occurred while loading ./spec/broken_spec.rb.
 *   Failure/Error: require "missing"
 *
 *   LoadError:
 *     cannot load such file -- missing
 *   # ./spec/broken_spec.rb:1:in `<top (required)>'
 */
function suiteFailureOf(text: string): RawSuiteFailure | undefined {
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((line) => line.trimStart().startsWith("An error occurred"));
  if (first === -1) return undefined;
  const heading = (lines[first] ?? "").trim();
  const body = lines.slice(first + 1);
  const loading = /^An error occurred while loading (\S+?)\.?(?:\s|$)/.exec(heading)?.[1];
  const frameFile = body.map((line) => /^#\s+(\S+?):\d+/.exec(line.trim())?.[1]).find((file) => file !== undefined);
  const file = loading ?? frameFile;
  const context = heading.replace(/^An error occurred\s*/, "").replace(/\.\s.*$|\.$/, "");
  const typeAt = body.findIndex((line) => /^[A-Z][\w]*(?:::[A-Z][\w]*)*:$/.test(line.trim()));
  const type = typeAt === -1 ? undefined : (body[typeAt] ?? "").trim().slice(0, -1);
  const messageLines = typeAt === -1 ? [] : body.slice(typeAt + 1).filter((line) => !line.trimStart().startsWith("# "));
  const message = messageLines
    .map((line) => line.trim())
    .join("\n")
    .trim();
  const stack = body.filter((line) => line.trimStart().startsWith("# ")).map((line) => line.trim().slice(2));
  const failure: RawFailure = {
    ...(type === undefined ? {} : { type }),
    message: message === "" ? heading : message,
    ...(stack.length === 0 ? {} : { stack: stack.join("\n") }),
  };
  return {
    kind: "suite-failure",
    suite: [file ?? (context === "" ? heading : context)],
    ...(file === undefined ? {} : { file }),
    failure,
    // A hook that raised is a failure of its group; a file that does not load never ran.
    status: loading === undefined && /hook/.test(context) ? "failed" : "error",
  };
}

function validate(path: string, document: unknown): z.infer<typeof reportSchema> {
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    throw parseError(path, "not an RSpec JSON report: expected an object with examples");
  }
  if (!("examples" in document)) throw parseError(path, "not an RSpec JSON report: missing examples");
  const parsed = reportSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where =
      issue === undefined
        ? ""
        : issue.path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("");
    throw parseError(path, `not an RSpec JSON report: ${where.replace(/^\./, "")}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

/** Parser of RSpec's JSON report (`rspec --format json`). */
export const rspecJsonParser: ResultParser = {
  format: "rspec-json",
  description: "RSpec JSON (rspec --format json)",
  matches(sniff: ReportSniff): boolean {
    if (sniff.syntax !== "json" || !sniff.head.trimStart().startsWith("{")) return false;
    const head = sniff.head;
    if (!/"examples"\s*:/.test(head)) return false;
    return /"full_description"\s*:/.test(head) || /"summary_line"\s*:/.test(head) || /"example_count"\s*:/.test(head);
  },
  async parse(source: ReportSource, sink: RawRecordSink): Promise<void> {
    if (source.size === 0) throw parseError(source.path, "not an RSpec JSON report: the file is empty");
    const report = validate(source.path, await readJsonDocument(source));
    const info: RawReportInfo = {
      kind: "report",
      tool: "rspec",
      ...(report.version === undefined ? {} : { toolVersion: report.version }),
      ...(report.summary?.duration === undefined ? {} : { durationMs: secondsToMs(report.summary.duration) }),
    };
    await sink.emit(info);
    for (const message of report.messages ?? []) {
      const failure = suiteFailureOf(message);
      if (failure !== undefined) await sink.emit(failure);
    }
    for (const example of report.examples) await sink.emit(testCaseOf(example));
  },
};
