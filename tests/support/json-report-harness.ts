import { readdirSync } from "node:fs";
import path from "node:path";
import { isKaizenError, type KaizenError } from "../../src/domain/errors.js";
import type { TestStatus } from "../../src/domain/test-status.js";
import type { ReportFormat, ReportSniff, ResultParser } from "../../src/ingest/parser.js";
import type { RawRecord, RawSuiteFailure, RawTestCase } from "../../src/ingest/raw-records.js";
import { bufferSource, fileSource } from "../../src/ingest/report-source.js";
import { sniffBytes, sniffFile } from "../../src/ingest/sniff.js";

/**
 * Shared by the tests of the JavaScript runners' JSON parsers (Jest, Vitest, Playwright,
 * Mocha): parse into an array, find fixtures and the corpus, and list sample files of
 * every JSON-ish format for `matches()` checks.
 */

/** The repository root. */
export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

/** The shared corpus of real-world reports, beside the repository. */
export const CORPUS = path.resolve(REPO_ROOT, "../shared/corpus");

/** A path in the corpus. */
export function corpus(...parts: string[]): string {
  return path.join(CORPUS, ...parts);
}

/** A path in `tests/fixtures/<format>/`. */
export function fixture(format: string, ...parts: string[]): string {
  return path.join(REPO_ROOT, "tests/fixtures", format, ...parts);
}

/** Every file in a directory whose name ends with `ext`, as full paths, sorted. */
export function filesIn(dir: string, ext = ".json"): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(ext))
    .sort()
    .map((name) => path.join(dir, name));
}

/** Parses a file on disk into an array of records. */
export async function parseFile(parser: ResultParser, file: string): Promise<RawRecord[]> {
  const records: RawRecord[] = [];
  await parser.parse(await fileSource(file), { emit: (record) => void records.push(record) });
  return records;
}

/** Parses a document in memory (an object is serialised, pretty-printed like the tools do). */
export async function parseDocument(parser: ResultParser, name: string, document: unknown): Promise<RawRecord[]> {
  const text = typeof document === "string" ? document : JSON.stringify(document, null, 2);
  const records: RawRecord[] = [];
  await parser.parse(bufferSource(name, text), { emit: (record) => void records.push(record) });
  return records;
}

/** The `KaizenError` a parse rejects with; fails the test if it resolves or throws anything else. */
export async function parseError(parser: ResultParser, name: string, document: unknown): Promise<KaizenError> {
  try {
    await parseDocument(parser, name, document);
  } catch (error) {
    if (isKaizenError(error)) return error;
    throw error;
  }
  throw new Error(`${parser.format}: expected ${name} to be rejected`);
}

/** The sniff of a document in memory, as detection would see it. */
export function sniffDocument(name: string, document: unknown, complete = true): ReportSniff {
  const text = typeof document === "string" ? document : JSON.stringify(document, null, 2);
  return sniffBytes(name, Buffer.from(text, "utf8"), complete);
}

/** The sniff of a file on disk. */
export function sniffPath(file: string): Promise<ReportSniff> {
  return sniffFile(file);
}

/** The test cases among records. */
export function casesOf(records: readonly RawRecord[]): RawTestCase[] {
  return records.filter((record): record is RawTestCase => record.kind === "case");
}

/** The suite failures among records. */
export function suiteFailuresOf(records: readonly RawRecord[]): RawSuiteFailure[] {
  return records.filter((record): record is RawSuiteFailure => record.kind === "suite-failure");
}

/** How many test cases end (last attempt) with each status. */
export function finalCounts(records: readonly RawRecord[]): Record<TestStatus, number> {
  const counts: Record<TestStatus, number> = { passed: 0, failed: 0, error: 0, skipped: 0 };
  for (const test of casesOf(records)) counts[test.attempts[test.attempts.length - 1]?.status ?? "skipped"]++;
  return counts;
}

/** The one test case called `name`; fails when there is not exactly one. */
export function caseNamed(records: readonly RawRecord[], name: string, suiteHead?: string): RawTestCase {
  const found = casesOf(records).filter(
    (test) => test.name === name && (suiteHead === undefined || test.suite[0] === suiteHead),
  );
  if (found.length !== 1) throw new Error(`expected one test named ${JSON.stringify(name)}, found ${found.length}`);
  return found[0] as RawTestCase;
}

const dorny = (...parts: string[]): string => corpus("dorny-test-reporter/__tests__/fixtures", ...parts);

/**
 * Sample files of each format that must be told apart by content: real tool output from
 * the corpus and from `tests/fixtures/`.
 */
export function sampleFiles(): Partial<Record<ReportFormat, string[]>> {
  return {
    "jest-json": [...filesIn(corpus("jest-junit/__mocks__")), ...filesIn(fixture("jest-json", "well-defined"))],
    "vitest-json": filesIn(fixture("vitest-json", "well-defined")),
    "playwright-json": [
      ...filesIn(corpus("playwright-report-summary/__fixtures__")).filter(
        (file) => !file.endsWith("report-invalid.json"),
      ),
      ...filesIn(fixture("playwright-json", "well-defined")),
    ],
    "mocha-json": [
      dorny("mocha-json.json"),
      dorny("empty/mocha-json.json"),
      dorny("external/mocha/mocha-test-results.json"),
      ...filesIn(fixture("mocha-json", "well-defined")),
    ],
    "cucumber-json": filesIn(corpus("cucumber-reporting/json")).filter(
      (file) => !/empty-file|invalid-report/.test(file),
    ),
    "rspec-json": [dorny("rspec-json.json"), dorny("empty/rspec-json.json")],
    "dart-json": [
      dorny("dart-json.json"),
      dorny("empty/dart-json.json"),
      dorny("external/flutter/provider-test-results.json"),
    ],
    "go-test-json": [dorny("golang-json.json")],
    "junit-xml": [
      dorny("test-errors/jest/jest-test-results.xml"),
      dorny("external/jest/jest-test-results.xml"),
      dorny("jest-junit.xml"),
    ],
  };
}

/** The sample files of every format but `format`, for `matches()` false cases. */
export function otherFormatsFiles(format: ReportFormat): string[] {
  return Object.entries(sampleFiles())
    .filter(([other]) => other !== format)
    .flatMap(([, files]) => files);
}
