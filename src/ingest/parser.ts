import type { Readable } from "node:stream";
import type { RawRecordSink } from "./raw-records.js";

/** The identifier of a report format, as shown to users and stored with each report. */
export type ReportFormat =
  | "junit-xml"
  | "jest-json"
  | "vitest-json"
  | "playwright-json"
  | "mocha-json"
  | "tap"
  | "go-test-json"
  | "dotnet-trx"
  | "nunit-xml"
  | "xunit-xml"
  | "cucumber-json"
  | "rspec-json"
  | "dart-json";

/** The broad syntax of a file, found from its first bytes. */
export type SyntaxKind = "xml" | "json" | "ndjson" | "text";

/** What a parser may look at to decide whether a file is in its format: the file's beginning. */
export interface ReportSniff {
  /** The file's path, for messages only: never used to decide the format. */
  readonly path: string;
  /** The broad syntax. */
  readonly syntax: SyntaxKind;
  /** Up to the first 64 KiB of the file, decoded, with any BOM removed. */
  readonly head: string;
  /** For XML: the local name of the root element (`testsuites`, `TestRun`, `test-run`). */
  readonly xmlRoot?: string;
  /** For XML: the namespace URI of the root element, if any. */
  readonly xmlNamespace?: string;
  /** For line-delimited JSON: the first line parsed. */
  readonly firstJsonLine?: unknown;
  /** Whether the whole file fits in {@link ReportSniff.head}. */
  readonly complete: boolean;
}

/** A report file to parse: opened as a byte stream, as many times as needed. */
export interface ReportSource {
  /** The path, for messages and for storing where the report came from. */
  readonly path: string;
  /** Size in bytes. */
  readonly size: number;
  /**
   * Opens a fresh byte stream over the whole file, read `chunkBytes` at a time where the
   * source reads from disk (the default suits parsing; bytes only hashed or copied go faster in larger pieces).
   */
  open(chunkBytes?: number): Readable;
}

/**
 * A parser of one report format (the port every `parsers/<format>.ts` implements). It decides
 * from content alone whether a file is its format, and streams raw records to a sink. It
 * never computes identity or fills in defaults: `normalize.ts` does.
 */
export interface ResultParser {
  /** The format this parser reads. */
  readonly format: ReportFormat;
  /** One line for `--help` and the README's format table. */
  readonly description: string;
  /** Whether the file is in this format, judged from its beginning. */
  matches(sniff: ReportSniff): boolean;
  /**
   * Parses the whole source, awaiting `sink.emit` for every record. Rejects with a
   * `KaizenError` (`PARSE_ERROR`, `INVALID_ENCODING`, `UNSAFE_INPUT`, `INPUT_TOO_LARGE`)
   * that names the file and, where possible, the line.
   */
  parse(source: ReportSource, sink: RawRecordSink): Promise<void>;
}
