/**
 * The outcome of one execution (attempt) of a test.
 *
 * - `passed`: the test ran and its assertions held.
 * - `failed`: an assertion failed (JUnit `<failure>`).
 * - `error`: the test could not run to completion: an unexpected exception, a crash,
 *   a setup or build failure (JUnit `<error>`).
 * - `skipped`: the test was not run (disabled, filtered, pending, todo).
 */
export type TestStatus = "passed" | "failed" | "error" | "skipped";

/** Every {@link TestStatus}, in a stable order used for summaries. */
export const TEST_STATUSES: readonly TestStatus[] = ["passed", "failed", "error", "skipped"];

/** Whether an attempt with this status counts as a failure (`failed` or `error`). */
export function isFailingStatus(status: TestStatus): boolean {
  return status === "failed" || status === "error";
}
