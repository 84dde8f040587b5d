import { hash } from "node:crypto";

/** A test's stable id: 16 hex characters of the SHA-256 of its identity. */
export type TestId = string & { readonly __brand: "TestId" };

/**
 * What makes a test the same test across runs: the project it belongs to, its suite
 * (class, describe path or package), its name and its file. Line numbers are not part of
 * it: they move whenever code above the test changes.
 */
export interface TestIdentity {
  /** The project key. */
  readonly project: string;
  /** The suite path joined with {@link SUITE_SEPARATOR}; empty when the format has none. */
  readonly suite: string;
  /** The test's own name. */
  readonly name: string;
  /** Repository-relative path with `/` separators, or `null` when the format gives none. */
  readonly file: string | null;
}

/** Joins the levels of a suite path ("describe" blocks, nested suites). */
export const SUITE_SEPARATOR = " › ";

/** Computes the stable {@link TestId} of a test identity. */
export function testIdOf(identity: TestIdentity): TestId {
  const key = JSON.stringify([identity.project, identity.suite, identity.name, identity.file ?? ""]);
  // The one-shot hash: a Hash object per test cost about 2 µs, a fifth of ingest's budget per result.
  return hash("sha256", key, "hex").slice(0, 16) as TestId;
}

/** The value of one lowercase hex digit, or -1. */
function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/**
 * The number that the eight lowercase hex digits of `text` from `at` spell, or -1 when they are
 * not eight such digits. Parsed by hand because `parseInt` of a slice, behind a regular
 * expression that checks the digits, cost three times as much, once per test of every report.
 */
export function hexWord(text: string, at: number): number {
  if (text.length < at + 8) return -1;
  let word = 0;
  for (let i = at; i < at + 8; i++) {
    const digit = hexDigit(text.charCodeAt(i));
    if (digit < 0) return -1;
    word = word * 16 + digit;
  }
  return word;
}

/**
 * Writes the two 32-bit halves of an id that {@link testIdOf} made (16 lowercase hex digits,
 * whose text order is their numeric order) into `out`; false for any other string. For tables
 * of ids in typed arrays.
 */
export function testIdHalves(id: string, out: Uint32Array): boolean {
  if (id.length !== 16) return false;
  const high = hexWord(id, 0);
  const low = hexWord(id, 8);
  if (high < 0 || low < 0) return false;
  out[0] = high;
  out[1] = low;
  return true;
}

/** The char codes of the lowercase hex digits. */
const HEX_DIGITS = Array.from("0123456789abcdef", (digit) => digit.charCodeAt(0));

/** The char code of the hex digit of `word` at bit `shift`. */
const digitAt = (word: number, shift: number): number => HEX_DIGITS[(word >>> shift) & 15] as number;

/**
 * The id whose 32-bit halves (see {@link testIdHalves}) are `high` and `low`: 16 lowercase hex
 * digits. One `fromCharCode` makes the string flat and whole, a fifteenth of the cost of two
 * padded `toString(16)`s, once per test of every report.
 */
export function testIdFromHalves(high: number, low: number): TestId {
  return String.fromCharCode(
    digitAt(high, 28),
    digitAt(high, 24),
    digitAt(high, 20),
    digitAt(high, 16),
    digitAt(high, 12),
    digitAt(high, 8),
    digitAt(high, 4),
    digitAt(high, 0),
    digitAt(low, 28),
    digitAt(low, 24),
    digitAt(low, 20),
    digitAt(low, 16),
    digitAt(low, 12),
    digitAt(low, 8),
    digitAt(low, 4),
    digitAt(low, 0),
  ) as TestId;
}
