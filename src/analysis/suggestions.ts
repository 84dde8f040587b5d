import type { FailureCategory } from "./failure-categories.js";

/** A concrete change to the test code or setup that removes a kind of failure. */
export interface Suggestion {
  /** Stable id, for scripts and for muting a suggestion. */
  readonly id: string;
  readonly text: string;
}

/** Suggestions keyed by a pattern of the failure text; the first that matches wins, then the category's default. */
const BY_TEXT: readonly (readonly [RegExp, Suggestion])[] = [
  [
    /sleep|setTimeout|waitForTimeout|Thread\.sleep|time\.sleep/i,
    {
      id: "wait-for-condition",
      text: "replace the fixed sleep with a wait for the condition itself (a locator, an event, a poll with a deadline)",
    },
  ],
  [
    /locator|selector|element|waiting for|toBeVisible|getBy/i,
    {
      id: "web-first-assertion",
      text: "wait on the element's state with a web-first assertion (expect(locator).toBeVisible()) instead of a one-shot query",
    },
  ],
  [
    /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|socket hang up|unavailable|50[234]/i,
    {
      id: "stub-or-retry-network",
      text: "stub the service in unit tests; in integration tests wait for it to be ready and retry idempotent calls at the client",
    },
  ],
  [
    /out of memory|OOM|heap|ENOSPC|no space left|Killed/i,
    {
      id: "resources",
      text: "raise the runner's memory or disk, or split the suite across shards so one job does not hold it all",
    },
  ],
];

const BY_CATEGORY: Record<FailureCategory, Suggestion> = {
  timeout: {
    id: "tune-timeout",
    text: "if the test is slow but correct, take its timeout from `kaizen tune`; if it waits on something, wait for the condition, not the clock",
  },
  flaky: {
    id: "isolate-state",
    text: "look for order dependence and shared state (globals, databases, files, ports, clocks): isolate them per test; until fixed, quarantine it",
  },
  infrastructure: {
    id: "retry-infrastructure",
    text: "retry the job, not the tests: the runner or a service failed; alert whoever owns it",
  },
  environment: {
    id: "pin-environment",
    text: "install and pin the dependency, binary or setting in the CI image or setup step, and check it before the tests start",
  },
  "test-bug": {
    id: "fix-test",
    text: "fix the test code: the error is raised in the test itself, not in the code under test",
  },
  regression: {
    id: "bisect",
    text: "a real regression: find the commit that introduced it (first seen in the cluster) and fix or revert it",
  },
};

/** What to change for a failure of a category, sharpened by its message when a pattern is known. */
export function suggestionsFor(category: FailureCategory | null, message: string): Suggestion[] {
  const specific = BY_TEXT.find(([pattern]) => pattern.test(message))?.[1];
  const general = category === null ? undefined : BY_CATEGORY[category];
  return [specific, general].filter(
    (s): s is Suggestion => s !== undefined && (s !== general || s.id !== specific?.id),
  );
}
