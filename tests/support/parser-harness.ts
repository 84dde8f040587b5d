import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import type { KaizenError } from "../../src/domain/errors.js";
import type { TestStatus } from "../../src/domain/test-status.js";
import type { ReportSniff, ReportSource, ResultParser } from "../../src/ingest/parser.js";
import type { RawRecord, RawReportInfo, RawSuiteFailure, RawTestCase } from "../../src/ingest/raw-records.js";
import { bufferSource, fileSource } from "../../src/ingest/report-source.js";
import { sniffBytes, sniffFile } from "../../src/ingest/sniff.js";
import { kaizenRejection } from "./kaizen-error.js";

export { kaizenRejection } from "./kaizen-error.js";

/**
 * Shared by every parser's tests: where the corpus and the fixtures are, parsing into an
 * array of records, picking records apart, and checking that a parser claims no file of
 * another format.
 */

/** The repository root. */
export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

/** The shared corpus of real-world reports, beside the repository. */
export const CORPUS = path.resolve(REPO_ROOT, "../shared/corpus");

/** `tests/fixtures/`, where each format keeps its own fixture files. */
export const FIXTURES_ROOT = path.join(REPO_ROOT, "tests/fixtures");

/** The fixtures of dorny/test-reporter in the corpus, real output of many tools. */
export const DORNY_FIXTURES = path.join(CORPUS, "dorny-test-reporter/__tests__/fixtures");

/** A path in the corpus. */
export function corpus(...parts: string[]): string {
  return path.join(CORPUS, ...parts);
}

/** A path in `tests/fixtures/<format>/`. */
export function fixture(format: string, ...parts: string[]): string {
  return path.join(FIXTURES_ROOT, format, ...parts);
}

/** Every file below `root`, at any depth, as full paths. */
export function filesUnder(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[])
    .map((rel) => path.join(root, rel))
    .filter((file) => statSync(file).isFile());
}

/** Parses a source with a sink that collects every record into an array. */
export async function collectRecords(parser: ResultParser, source: ReportSource): Promise<RawRecord[]> {
  const records: RawRecord[] = [];
  await parser.parse(source, { emit: (record) => void records.push(record) });
  return records;
}

/** Parses a file on disk into an array of records. */
export async function parseFile(parser: ResultParser, file: string): Promise<RawRecord[]> {
  return collectRecords(parser, await fileSource(file));
}

/** Parses text in memory, under the file name `name`, into an array of records. */
export function parseText(parser: ResultParser, text: string, name: string): Promise<RawRecord[]> {
  return collectRecords(parser, bufferSource(name, text));
}

/** One parser's parse helpers, with its default in-memory file name filled in. */
export interface BoundParser {
  /** Parses a source into an array of records. */
  readonly parse: (source: ReportSource) => Promise<RawRecord[]>;
  /** Parses a file on disk into an array of records. */
  readonly parseFile: (file: string) => Promise<RawRecord[]>;
  /** Parses text in memory into an array of records. */
  readonly parseText: (text: string, name?: string) => Promise<RawRecord[]>;
  /** The `KaizenError` parsing a source rejects with. */
  readonly failure: (source: ReportSource) => Promise<KaizenError>;
}

/** The parse helpers of `parser`, where text in memory is named `textName` unless told otherwise. */
export function bindParser(parser: ResultParser, textName: string): BoundParser {
  const parse = (source: ReportSource): Promise<RawRecord[]> => collectRecords(parser, source);
  return {
    parse,
    parseFile: (file) => parseFile(parser, file),
    parseText: (text, name = textName) => parseText(parser, text, name),
    failure: (source) => kaizenRejection(parse(source)),
  };
}

/** The sniff of complete text in memory, as detection would see it. */
export function sniffText(name: string, text: string): ReportSniff {
  return sniffBytes(name, Buffer.from(text), true);
}

/** The test cases among records. */
export function casesOf(records: readonly RawRecord[]): RawTestCase[] {
  return records.filter((record): record is RawTestCase => record.kind === "case");
}

/** The suite failures among records. */
export function suiteFailuresOf(records: readonly RawRecord[]): RawSuiteFailure[] {
  return records.filter((record): record is RawSuiteFailure => record.kind === "suite-failure");
}

/** The report record, if there is one. */
export function reportOf(records: readonly RawRecord[]): RawReportInfo | undefined {
  return records.find((record): record is RawReportInfo => record.kind === "report");
}

/** The first test case called `name`; fails when there is none. */
export function firstCaseNamed(records: readonly RawRecord[], name: string): RawTestCase {
  const found = casesOf(records).find((record) => record.name === name);
  if (found === undefined) throw new Error(`no test named ${name}`);
  return found;
}

/** How many test cases have each status on their first attempt; statuses no test has are left out. */
export function firstAttemptCounts(records: readonly RawRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const test of casesOf(records)) {
    const status = test.attempts[0].status;
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

/** How many attempts, over all test cases, have each status. */
export function attemptCounts(records: readonly RawRecord[]): Record<TestStatus, number> {
  const counts: Record<TestStatus, number> = { passed: 0, failed: 0, error: 0, skipped: 0 };
  for (const test of casesOf(records)) for (const attempt of test.attempts) counts[attempt.status]++;
  return counts;
}

/**
 * The files of the corpus and of `tests/fixtures/` that `parser` claims, leaving out those
 * whose path matches `mine` (its own format's) and those that cannot be sniffed.
 */
export async function filesClaimedBy(parser: ResultParser, mine: RegExp): Promise<string[]> {
  const claimed: string[] = [];
  for (const file of [...filesUnder(CORPUS), ...filesUnder(FIXTURES_ROOT)]) {
    if (mine.test(file)) continue;
    let sniffed;
    try {
      sniffed = await sniffFile(file);
    } catch {
      continue;
    }
    if (parser.matches(sniffed)) claimed.push(file);
  }
  return claimed;
}

function itMatchesEach(parser: ResultParser, claimed: boolean, title: string, files: readonly string[]): void {
  it.each(files)(title, async (file) => {
    expect(parser.matches(await sniffFile(file))).toBe(claimed);
  });
}

/** Registers one `matches()` test per file, titled `title` (`%s` is the file): `parser` must claim each. */
export function itClaimsEach(parser: ResultParser, title: string, files: readonly string[]): void {
  itMatchesEach(parser, true, title, files);
}

/** Registers one `matches()` test per file, titled `title` (`%s` is the file): `parser` must claim none. */
export function itLeavesEach(parser: ResultParser, title: string, files: readonly string[]): void {
  itMatchesEach(parser, false, title, files);
}
