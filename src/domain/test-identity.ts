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
