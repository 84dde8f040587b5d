import { readdirSync } from "node:fs";
import path from "node:path";
import type { KaizenError } from "../../src/domain/errors.js";
import type { TestStatus } from "../../src/domain/test-status.js";
import type { ReportFormat, ReportSniff, ResultParser } from "../../src/ingest/parser.js";
import type { RawRecord, RawTestCase } from "../../src/ingest/raw-records.js";
import { sniffBytes, sniffFile } from "../../src/ingest/sniff.js";
import { casesOf, corpus, fixture, itClaimsEach, itLeavesEach, kaizenRejection, parseText } from "./parser-harness.js";

/**
 * Shared by the tests of the JavaScript runners' JSON parsers (Jest, Vitest, Playwright,
 * Mocha): parse into an array, find fixtures and the corpus, and list sample files of
 * every JSON-ish format for `matches()` checks. The helpers every parser's tests share
 * come from `parser-harness.ts` and are passed on from here.
 */

export { casesOf, corpus, fixture, parseFile, suiteFailuresOf } from "./parser-harness.js";

/** Every file in a directory whose name ends with `ext`, as full paths, sorted. */
export function filesIn(dir: string, ext = ".json"): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(ext))
    .sort()
    .map((name) => path.join(dir, name));
}

/** Parses a document in memory (an object is serialised, pretty-printed like the tools do). */
export function parseDocument(parser: ResultParser, name: string, document: unknown): Promise<RawRecord[]> {
  const text = typeof document === "string" ? document : JSON.stringify(document, null, 2);
  return parseText(parser, text, name);
}

/** The `KaizenError` a parse rejects with; fails the test if it resolves or throws anything else. */
export function parseError(parser: ResultParser, name: string, document: unknown): Promise<KaizenError> {
  return kaizenRejection(parseDocument(parser, name, document));
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

/** Registers one `matches()` test per sample file of the parser's own format: each must be claimed. */
export function itClaimsItsSamples(parser: ResultParser): void {
  itClaimsEach(parser, "claims %s", sampleFiles()[parser.format] ?? []);
}

/** Registers one `matches()` test per sample file of every other format: none may be claimed. */
export function itClaimsNoOtherSamples(parser: ResultParser): void {
  itLeavesEach(parser, "does not claim %s", otherFormatsFiles(parser.format));
}
