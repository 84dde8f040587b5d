import { faker } from "@faker-js/faker";
import type { Verdict, VerdictOutcome } from "../../src/analysis/flakiness.js";

/** Verdicts one a day from a start date, each on its own commit unless `commits` says otherwise. */
export function verdictHistory(outcomes: readonly VerdictOutcome[], commits?: readonly (string | null)[]): Verdict[] {
  const start = faker.date.past().getTime();
  return outcomes.map((outcome, i) => ({
    outcome,
    commitSha: commits === undefined ? faker.git.commitSha() : (commits[i] ?? null),
    at: new Date(start + i * 86_400_000).toISOString(),
  }));
}

/** `n` verdicts where each is flaky with probability `rate` (seeded), the rest passing. */
export function flakyHistory(n: number, rate: number): Verdict[] {
  return verdictHistory(Array.from({ length: n }, () => (faker.number.float() < rate ? "flaky" : "passed")));
}
