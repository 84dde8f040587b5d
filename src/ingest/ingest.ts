import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { KaizenError, isKaizenError } from "../domain/errors.js";
import type { RunMetadata } from "../domain/run-metadata.js";
import type { NormalizedTestResult, TestAttempt } from "../domain/test-result.js";
import type { RunKey, RunWriter } from "../store/ports.js";
import { sha256Of } from "./content-hash.js";
import { addSummary, emptySummary, type ReportSummary } from "./normalize.js";
import { runParse } from "./run-parse.js";
import {
  PARSE_THREAD_MIN_BYTES,
  parseThreadAvailable,
  releaseParseThread,
  runParseInThread,
  warmParseThread,
} from "./parse-in-thread.js";
import type { ReportFormat, ReportSource, ResultParser } from "./parser.js";
import type { InputFile } from "./expand-inputs.js";
import { detectParser } from "./parsers/registry.js";
import type { RawReportInfo } from "./raw-records.js";
import { fileSource, RAW_CHUNK_BYTES } from "./report-source.js";
import { sniffFile } from "./sniff.js";

const NOT_A_REPORT = new Set<KaizenError["code"]>(["UNKNOWN_FORMAT", "PARSE_ERROR", "INVALID_ENCODING"]);

/** A report file that was read and recognised, ready to store. */
interface PreparedReport {
  /** The file on disk. */
  readonly file: string;
  readonly source: ReportSource;
  readonly parser: ResultParser;
  readonly sha256: string;
}

/** What happened to one input file. */
export type FileOutcome =
  | {
      readonly file: string;
      readonly status: "stored";
      readonly format: ReportFormat;
      readonly summary: ReportSummary;
      readonly runId: number;
    }
  | { readonly file: string; readonly status: "duplicate"; readonly format: ReportFormat; readonly runId: number }
  | { readonly file: string; readonly status: "failed"; readonly error: KaizenError }
  | { readonly file: string; readonly status: "ignored"; readonly reason: string };

/** The result of one ingest: a result per file, and totals over the stored ones. */
export interface IngestResult {
  /** The run the reports went to (`null` when nothing could be read). */
  readonly run: RunKey | null;
  /** One entry per input file, in input order. */
  readonly files: readonly FileOutcome[];
  /** Totals over newly stored reports. */
  readonly totals: ReportSummary;
}

/** Where an ingest is. */
export interface IngestProgress {
  /** `read`: recognising and hashing files; `store`: parsing and storing them. */
  readonly phase: "read" | "store";
  /** Files finished in this phase. */
  readonly done: number;
  /** Files in this phase. */
  readonly total: number;
  /** The file just finished. */
  readonly file: string;
}

/** Options of {@link ingestFiles}. */
export interface IngestOptions {
  /** The run's metadata, as resolved from flags, CI environment and git. */
  readonly run: RunMetadata;
  /** Directories stripped from test file paths. */
  readonly rootDirs: readonly string[];
  /** The directory relative input paths are resolved against (default: the process's). */
  readonly cwd?: string;
  /** Called after each file of each phase (reading and hashing, then parsing and storing), for progress bars. */
  readonly onProgress?: (progress: IngestProgress) => void;
}

function asKaizenError(error: unknown, file: string): KaizenError {
  if (isKaizenError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new KaizenError("INPUT_UNREADABLE", message, { file, cause: error, httpStatus: 400 });
}

/**
 * Recognises a file's format and hashes it; throws a `KaizenError` naming the file when it
 * cannot. A relative `path` is resolved against `cwd` and named as given. `recognized` hears
 * of the file once its format is known, before the hashing starts.
 */
export async function prepareReport(
  path: string,
  cwd = process.cwd(),
  recognized?: (source: ReportSource) => void,
): Promise<PreparedReport> {
  const real = resolve(cwd, path);
  const sniff = await sniffFile(real, path);
  const parser = detectParser(sniff);
  const source = await fileSource(real, path);
  recognized?.(source);
  return { file: real, source, parser, sha256: await sha256Of(source.open(RAW_CHUNK_BYTES)) };
}

/**
 * Parses one report into normalized results without storing anything (`kaizen parse`).
 */
export async function parseReport(
  path: string,
  options: { project: string; rootDirs: readonly string[]; cwd?: string },
): Promise<{
  format: ReportFormat;
  results: NormalizedTestResult[];
  summary: ReportSummary;
  info: RawReportInfo | undefined;
}> {
  const { source, parser } = await prepareReport(path, options.cwd);
  // A test listed again (a retry) continues the attempts of its first entry.
  const results = new Map<string, { result: NormalizedTestResult; attempts: TestAttempt[] }>();
  const { summary, info } = await runParse(source, parser, options, (result) => {
    const earlier = results.get(result.test.id);
    // One growing array per test: copying on every repeat would be quadratic (`go test -count=N`).
    if (earlier === undefined) results.set(result.test.id, { result, attempts: [...result.attempts] });
    else earlier.attempts.push(...result.attempts);
  });
  return {
    format: parser.format,
    results: [...results.values()].map(({ result, attempts }) => ({
      ...result,
      attempts: attempts as [TestAttempt, ...TestAttempt[]],
    })),
    summary,
    info,
  };
}

/**
 * Resolves the run key: the CI run id when there is one; otherwise an id derived from the
 * content of the reports, so that ingesting the same local reports again finds the same run.
 */
export function runKeyOf(run: RunMetadata, reportHashes: readonly string[]): RunKey {
  if (run.ciRunId !== null) return { ...run, ciRunId: run.ciRunId };
  const digest = createHash("sha256")
    .update([...reportHashes].sort().join("\n"))
    .digest("hex");
  return { ...run, ciRunId: `local-${digest.slice(0, 12)}` };
}

/**
 * Ingests report files into one run. Each file is stored whole or not at all, in its own
 * transaction; a file that cannot be read, parsed or stored is reported and the others go
 * on. A report already stored for the run is recognised by its hash and adds nothing.
 */
export async function ingestFiles(
  writer: RunWriter,
  inputs: readonly InputFile[],
  options: IngestOptions,
): Promise<IngestResult> {
  // A report that will be parsed in a thread has its thread started while the report is hashed.
  const recognized = (source: ReportSource): void => {
    if (source.size >= PARSE_THREAD_MIN_BYTES) warmParseThread();
  };
  try {
    return await ingestEach(writer, inputs, options, recognized);
  } finally {
    await releaseParseThread();
  }
}

/** {@link ingestFiles} itself: `recognized` hears of each report file recognised, before it is hashed. */
async function ingestEach(
  writer: RunWriter,
  inputs: readonly InputFile[],
  options: IngestOptions,
  recognized: (source: ReportSource) => void,
): Promise<IngestResult> {
  const files = inputs.map((input) => input.path);
  const outcomes = new Map<string, FileOutcome>();
  const prepared: PreparedReport[] = [];
  let done = 0;
  for (const { path: file, explicit } of inputs) {
    try {
      prepared.push(await prepareReport(file, options.cwd, recognized));
    } catch (error) {
      const failure = asKaizenError(error, file);
      // Files met while walking a folder (screenshots, traces, notes) are not reports: pass over them.
      if (!explicit && NOT_A_REPORT.has(failure.code))
        outcomes.set(file, { file, status: "ignored", reason: failure.message });
      else outcomes.set(file, { file, status: "failed", error: failure });
    }
    options.onProgress?.({ phase: "read", done: ++done, total: files.length, file });
  }
  done = 0;
  const run =
    prepared.length === 0
      ? null
      : runKeyOf(
          options.run,
          prepared.map((p) => p.sha256),
        );
  const totals = emptySummary();
  for (const report of prepared) {
    const file = report.source.path;
    try {
      const stored = await writer.writeReport(
        {
          run: run as RunKey,
          sha256: report.sha256,
          format: report.parser.format,
          path: file,
          size: report.source.size,
        },
        {
          openRaw: () => report.source.open(RAW_CHUNK_BYTES),
          produce: (sink, hints) =>
            report.source.size >= PARSE_THREAD_MIN_BYTES && parseThreadAvailable()
              ? runParseInThread(
                  {
                    file: report.file,
                    displayPath: file,
                    format: report.parser.format,
                    project: options.run.project,
                    rootDirs: options.rootDirs,
                    knownTests: hints?.knownTests,
                  },
                  (result, known) => sink.add(result, known),
                )
              : runParse(
                  report.source,
                  report.parser,
                  { project: options.run.project, rootDirs: options.rootDirs },
                  (result) => sink.add(result),
                ),
        },
      );
      if (stored.created) {
        addSummary(totals, stored.summary);
        outcomes.set(file, {
          file,
          status: "stored",
          format: report.parser.format,
          summary: stored.summary,
          runId: stored.runId,
        });
      } else {
        outcomes.set(file, { file, status: "duplicate", format: report.parser.format, runId: stored.runId });
      }
    } catch (error) {
      const failure = asKaizenError(error, file);
      // A database that went away fails every later file the same way: stop, keeping what is stored.
      if (failure.code === "STORE_UNAVAILABLE") throw failure;
      outcomes.set(file, { file, status: "failed", error: failure });
    }
    options.onProgress?.({ phase: "store", done: ++done, total: prepared.length, file });
  }
  return { run, files: files.map((file) => outcomes.get(file) as FileOutcome), totals };
}
