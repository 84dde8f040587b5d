import { z } from "zod";
import { parseError } from "../../domain/errors.js";
import type { TestStatus } from "../../domain/test-status.js";
import { readJsonDocument } from "../json-document.js";
import type { ReportSniff, ReportSource, ResultParser } from "../parser.js";
import type { RawAttempt, RawFailure, RawRecordSink, RawTestCase } from "../raw-records.js";

/*
 * Cucumber's JSON formatter (cucumber-jvm, cucumber-ruby, cucumber-js, godog, Reqnroll...):
 *
 *   [ feature { uri, name, keyword, line, tags[],
 *       elements: [ { type: "background" | "scenario", keyword, name, line, tags[], start_timestamp,
 *                     before: [hook], steps: [ step { keyword, name, line, hidden,
 *                                                     result { status, duration, error_message },
 *                                                     before: [hook], after: [hook], output[], embeddings[] } ],
 *                     after: [hook] } ] } ]
 *
 * One test per scenario. cucumber-jvm and cucumber-ruby write a copy of the background before each
 * scenario it ran for; cucumber-js folds background steps into the scenario instead. Scenario
 * outlines arrive expanded, one element per example row. Tags may be strings or `{ name }`.
 */

const resultSchema = z.looseObject({
  status: z.string().optional().catch(undefined),
  duration: z.number().optional().catch(undefined),
  error_message: z.string().optional().catch(undefined),
});

const embeddingSchema = z.looseObject({
  mime_type: z.string().optional().catch(undefined),
  data: z.string().optional().catch(undefined),
});

const hookSchema = z.looseObject({
  keyword: z.string().optional().catch(undefined),
  name: z.string().optional().catch(undefined),
  result: resultSchema.optional().catch(undefined),
  output: z.array(z.unknown()).optional().catch(undefined),
  embeddings: z.array(embeddingSchema.catch({})).optional().catch(undefined),
});

const stepSchema = hookSchema.extend({
  before: z.array(hookSchema.catch({})).optional().catch(undefined),
  after: z.array(hookSchema.catch({})).optional().catch(undefined),
});

const tagsSchema = z
  .array(z.union([z.string(), z.looseObject({ name: z.string() })]).catch(""))
  .optional()
  .catch(undefined);

const elementSchema = z.looseObject({
  type: z.string().optional().catch(undefined),
  keyword: z.string().optional().catch(undefined),
  name: z.string().optional().catch(undefined),
  line: z.number().int().positive().optional().catch(undefined),
  tags: tagsSchema,
  start_timestamp: z.string().optional().catch(undefined),
  before: z.array(hookSchema.catch({})).optional().catch(undefined),
  steps: z.array(stepSchema.catch({})).optional().catch(undefined),
  after: z.array(hookSchema.catch({})).optional().catch(undefined),
});

const featureSchema = z
  .looseObject({
    uri: z.string().optional().catch(undefined),
    name: z.string().optional().catch(undefined),
    keyword: z.string().optional().catch(undefined),
    tags: tagsSchema,
    elements: z.array(elementSchema).optional(),
  })
  .refine((feature) => feature.elements !== undefined || feature.uri !== undefined || feature.keyword !== undefined, {
    error: "a feature has none of elements, uri, keyword",
  });

type Feature = z.infer<typeof featureSchema>;
type Element = z.infer<typeof elementSchema>;
type Hook = z.infer<typeof hookSchema>;
type Step = z.infer<typeof stepSchema>;

/** Step statuses from best to worst: a scenario takes its worst step's status, as Cucumber does. */
const STATUS_RANK: Readonly<Record<string, number>> = {
  passed: 0,
  skipped: 1,
  pending: 2,
  undefined: 3,
  ambiguous: 4,
  failed: 5,
};

const STATUS_OF_RANK: readonly TestStatus[] = ["passed", "skipped", "skipped", "error", "error", "failed"];

/** How durations are written: nanoseconds per the format, seconds by behave-style writers. */
type DurationUnit = "ns" | "s";

/** One step or hook of a scenario, in the order Cucumber ran it. */
interface Executed {
  readonly item: Hook;
  /** `Given I do x`, for steps; undefined for hooks. */
  readonly text?: string;
}

function rankOf(status: string | undefined): number | undefined {
  return status === undefined ? undefined : STATUS_RANK[status.toLowerCase()];
}

function tagNames(tags: Element["tags"]): string[] {
  return (tags ?? []).map((tag) => (typeof tag === "string" ? tag : tag.name)).filter((tag) => tag !== "");
}

function isBackground(element: Element): boolean {
  if (element.type !== undefined) return element.type.toLowerCase() === "background";
  return element.keyword?.trim().toLowerCase() === "background";
}

function stepText(step: Step): string | undefined {
  const text = `${step.keyword ?? ""}${step.name ?? ""}`.trim();
  return text === "" ? undefined : text;
}

function executedOf(elements: readonly Element[]): Executed[] {
  const executed: Executed[] = [];
  for (const element of elements) {
    for (const hook of element.before ?? []) executed.push({ item: hook });
    for (const step of element.steps ?? []) {
      for (const hook of step.before ?? []) executed.push({ item: hook });
      const text = stepText(step);
      executed.push(text === undefined ? { item: step } : { item: step, text });
      for (const hook of step.after ?? []) executed.push({ item: hook });
    }
    for (const hook of element.after ?? []) executed.push({ item: hook });
  }
  return executed;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const FRAME = /^\s*(?:at\s|\tat\s|[\w./\\-]+:\d+:in\s|#\d+\s)/;
const ERROR_TYPE =
  /^((?:[a-z_$][\w$]*\.)*(?:[A-Z][\w$]*)?(?:Error|Exception|Failure|Fault)|(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*)(?:\s\[\w+\])?:\s?/;
const RUBY_ERROR_TYPE = /\s\(([A-Z][\w]*(?:::[A-Z][\w]*)*)\)\s*$/;

/** Splits an `error_message` (exception text plus stack, as the tool printed it) into its parts. */
function failureFromText(text: string): RawFailure {
  const lines = text.split(/\r?\n/);
  const firstFrame = lines.findIndex((line) => FRAME.test(line));
  let head = (firstFrame === -1 ? lines : lines.slice(0, firstFrame)).join("\n").trim();
  let type: string | undefined;
  const java = ERROR_TYPE.exec(head);
  if (java !== null) {
    type = java[1];
    head = head.slice(java[0].length).trim();
  } else {
    const ruby = RUBY_ERROR_TYPE.exec(head);
    if (ruby !== null) {
      type = ruby[1];
      head = head.slice(0, ruby.index).trim();
    }
  }
  return {
    ...(type === undefined ? {} : { type }),
    ...(head === "" ? {} : { message: head }),
    stack: text,
  };
}

function hasMessage(executed: Executed | undefined): boolean {
  const text = executed?.item.result?.error_message;
  return text !== undefined && text.trim() !== "";
}

function failureOf(executed: Executed, rank: number): RawFailure {
  const text = executed.item.result?.error_message;
  if (text !== undefined && text.trim() !== "") return failureFromText(text);
  if (rank === STATUS_RANK.undefined) {
    return executed.text === undefined
      ? { type: "undefined" }
      : { type: "undefined", message: `undefined step: ${executed.text}` };
  }
  if (rank === STATUS_RANK.ambiguous) {
    return executed.text === undefined
      ? { type: "ambiguous" }
      : { type: "ambiguous", message: `ambiguous step: ${executed.text}` };
  }
  return {};
}

function outputOf(executed: readonly Executed[]): string | undefined {
  const lines: string[] = [];
  const add = (value: unknown): void => {
    if (Array.isArray(value)) for (const inner of value) add(inner);
    else if (typeof value === "string") lines.push(value);
    else if (typeof value === "number" || typeof value === "boolean") lines.push(String(value));
  };
  for (const { item } of executed) {
    add(item.output);
    for (const embedding of item.embeddings ?? []) {
      // cucumber-js writes `this.log(...)` as a text/x.cucumber.log+plain embedding.
      const mime = embedding.mime_type ?? "";
      if (embedding.data === undefined || !(mime === "text/plain" || mime.startsWith("text/x.cucumber.log"))) continue;
      if (!BASE64.test(embedding.data)) continue;
      const text = Buffer.from(embedding.data, "base64").toString("utf8");
      if (!text.includes("\uFFFD")) lines.push(text);
    }
  }
  return lines.length === 0 ? undefined : lines.join("\n");
}

function durationUnitOf(features: readonly Feature[]): DurationUnit {
  for (const feature of features) {
    for (const { item } of executedOf(feature.elements ?? [])) {
      const duration = item.result?.duration;
      if (duration !== undefined && !Number.isInteger(duration)) return "s";
    }
  }
  return "ns";
}

function attemptOf(executed: readonly Executed[], element: Element, unit: DurationUnit): RawAttempt {
  let worst: number | undefined;
  let worstAt: Executed | undefined;
  let total = 0;
  let timed = false;
  for (const entry of executed) {
    const result = entry.item.result;
    const rank = rankOf(result?.status);
    if (rank !== undefined && (worst === undefined || rank > worst)) {
      worst = rank;
      worstAt = entry;
    } else if (rank === worst && !hasMessage(worstAt) && hasMessage(entry)) {
      // Cucumber marks both a failing hook and the steps it broke; the one with a message says why.
      worstAt = entry;
    }
    if (result?.duration !== undefined && Number.isFinite(result.duration) && result.duration >= 0) {
      total += result.duration;
      timed = true;
    }
  }
  // A scenario whose steps carry no result at all was not run.
  const status: TestStatus = worst === undefined ? "skipped" : (STATUS_OF_RANK[worst] ?? "skipped");
  const stdout = outputOf(executed);
  const attempt: RawAttempt = {
    status,
    ...(timed ? { durationMs: unit === "ns" ? total / 1e6 : Math.round(total * 1e9) / 1e6 } : {}),
    ...(element.start_timestamp === undefined ? {} : { startedAt: element.start_timestamp }),
    ...(stdout === undefined ? {} : { stdout }),
  };
  if (worst === undefined || worstAt === undefined) return attempt;
  if (status === "failed" || status === "error") {
    const failure = failureOf(worstAt, worst);
    return Object.keys(failure).length === 0 ? attempt : { ...attempt, failure };
  }
  if (worst === STATUS_RANK.pending) {
    const reason = worstAt.item.result?.error_message?.trim();
    const skipReason =
      reason !== undefined && reason !== ""
        ? reason
        : worstAt.text === undefined
          ? undefined
          : `pending step: ${worstAt.text}`;
    return skipReason === undefined ? attempt : { ...attempt, skipReason };
  }
  return attempt;
}

function testCaseOf(
  feature: Feature,
  background: readonly Element[],
  scenario: Element,
  unit: DurationUnit,
): RawTestCase {
  const executed = executedOf([...background, scenario]);
  const tags = [...new Set([...tagNames(feature.tags), ...tagNames(scenario.tags)])];
  return {
    kind: "case",
    suite: feature.name === undefined || feature.name === "" ? [] : [feature.name],
    name: scenario.name ?? "",
    ...(feature.uri === undefined ? {} : { file: feature.uri }),
    ...(scenario.line === undefined ? {} : { line: scenario.line }),
    attempts: [attemptOf(executed, scenario, unit)],
    ...(tags.length === 0 ? {} : { tags }),
  };
}

function validate(path: string, document: unknown): Feature[] {
  if (!Array.isArray(document)) {
    const got = document === null ? "null" : typeof document;
    throw parseError(
      path,
      `not a Cucumber JSON report: expected an array of features, got ${got === "object" ? "an object" : got}`,
    );
  }
  const parsed = z.array(featureSchema).safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where =
      issue === undefined
        ? ""
        : issue.path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("");
    throw parseError(path, `not a Cucumber JSON report: features${where}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

async function emitFeature(feature: Feature, unit: DurationUnit, sink: RawRecordSink): Promise<void> {
  let background: Element[] = [];
  for (const element of feature.elements ?? []) {
    if (isBackground(element)) {
      // cucumber-jvm repeats the background before every scenario: each copy belongs to the next one.
      background = [element];
      continue;
    }
    await sink.emit(testCaseOf(feature, background, element, unit));
    background = [];
  }
  const orphan = background[0];
  if (orphan === undefined || feature.name === undefined || feature.name === "") return;
  // A background with no scenario after it: the run stopped there, which matters only if it failed.
  const attempt = attemptOf(executedOf([orphan]), orphan, unit);
  if (attempt.status !== "failed" && attempt.status !== "error") return;
  await sink.emit({
    kind: "suite-failure",
    suite: [feature.name],
    ...(feature.uri === undefined ? {} : { file: feature.uri }),
    failure: attempt.failure ?? {},
    status: attempt.status === "failed" ? "failed" : "error",
    ...(attempt.durationMs === undefined ? {} : { durationMs: attempt.durationMs }),
  });
}

/** Parser of Cucumber's JSON report (`--format json`, `json:report.json`): one test per scenario. */
export const cucumberJsonParser: ResultParser = {
  format: "cucumber-json",
  description: "Cucumber JSON (cucumber-jvm, cucumber-js, cucumber-ruby, godog): one test per scenario",
  matches(sniff: ReportSniff): boolean {
    if (sniff.syntax !== "json") return false;
    const head = sniff.head.trimStart();
    if (!head.startsWith("[")) return false;
    // `[]` is what Cucumber writes when no feature ran; no other supported format is a bare array.
    if (/^\[\s*\]\s*$/.test(head)) return true;
    return /^\[\s*\{/.test(head) && head.includes('"elements"') && head.includes('"keyword"');
  },
  async parse(source: ReportSource, sink: RawRecordSink): Promise<void> {
    if (source.size === 0) throw parseError(source.path, "not a Cucumber JSON report: the file is empty");
    const features = validate(source.path, await readJsonDocument(source));
    const unit = durationUnitOf(features);
    for (const feature of features) await emitFeature(feature, unit, sink);
  },
};
