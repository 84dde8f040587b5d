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
