import { KaizenError } from "../domain/errors.js";
import type { NormalizedTestResult } from "../domain/test-result.js";
import type { ReportOutcome } from "../store/ports.js";
import { ReportNormalizer } from "./normalize.js";
import type { ReportFormat, ReportSource, ResultParser } from "./parser.js";
import { PARSERS } from "./parsers/registry.js";
import { fileSource } from "./report-source.js";

/** One report to parse and normalize: everything a worker thread needs, as plain data. */
export interface ParseJob {
  /** The file's absolute path. */
  readonly file: string;
  /** The name used in messages: the path as the user gave it. */
  readonly displayPath: string;
  /** The format detection chose. */
  readonly format: ReportFormat;
  /** The project the tests belong to (part of their identity). */
  readonly project: string;
  /** Directories stripped from test file paths. */
  readonly rootDirs: readonly string[];
}

/** The registered parser of a format. */
export function parserFor(format: ReportFormat): ResultParser {
  const parser = PARSERS.find((candidate) => candidate.format === format);
  if (parser === undefined) throw new KaizenError("UNKNOWN_FORMAT", `no parser for the format ${format}`);
  return parser;
}

/**
 * Parses a report and normalizes its records, handing each result to `emit` (awaited, so
 * a slow consumer holds the parser back). The one pipeline behind both in-thread and
 * worker-thread ingest.
 */
export async function runParse(
  source: ReportSource,
  parser: ResultParser,
  options: { project: string; rootDirs: readonly string[] },
  emit: (result: NormalizedTestResult) => Promise<void> | void,
): Promise<ReportOutcome> {
  const normalizer = new ReportNormalizer({ project: options.project, rootDirs: options.rootDirs });
  await parser.parse(source, {
    emit: (record) => {
      const result = normalizer.accept(record);
      return result === undefined ? undefined : emit(result);
    },
  });
  return { summary: normalizer.summary(), info: normalizer.reportInfo() };
}

/** {@link runParse} over a {@link ParseJob}: opens the file and picks the parser itself. */
export async function runParseJob(
  job: ParseJob,
  emit: (result: NormalizedTestResult) => Promise<void> | void,
): Promise<ReportOutcome> {
  return runParse(await fileSource(job.file, job.displayPath), parserFor(job.format), job, emit);
}
