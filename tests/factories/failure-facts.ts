import { faker } from "@faker-js/faker";
import { Factory } from "fishery";
import type { FailureFacts } from "../../src/analysis/category-features.js";
import type { TrainingExample } from "../../src/analysis/category-model.js";
import type { FailureCategory } from "../../src/analysis/failure-categories.js";
import { connectionRefused, jestAssertion } from "./failure-text.js";

/** A failure's facts: by default a one-off assertion failure on a commit nothing else ran on. */
export const failureFactsFactory = Factory.define<FailureFacts>(() => ({
  text: jestAssertion(`tests/${faker.word.noun()}.test.ts`),
  passedOnRetry: false,
  passedOnSameCommit: false,
  testsWithCluster: 1,
  runFailingShare: faker.number.float({ min: 0.001, max: 0.04 }),
  clusterNew: faker.datatype.boolean(),
  clusterCommits: faker.number.int({ min: 1, max: 3 }),
}));

/** A flaky assertion: the same text as a regression, but the test passed on the same code. */
export const flakyFacts = (): FailureFacts =>
  failureFactsFactory.build({ passedOnSameCommit: true, clusterCommits: faker.number.int({ min: 4, max: 30 }) });

/** A regression: new on its commit and failing on every run of it. */
export const regressionFacts = (): FailureFacts =>
  failureFactsFactory.build({ passedOnSameCommit: false, clusterNew: true, clusterCommits: 1 });

/** An outage: a refused connection that fails a large share of the run alike. */
export const outageFacts = (): FailureFacts =>
  failureFactsFactory.build({
    text: connectionRefused(),
    testsWithCluster: faker.number.int({ min: 20, max: 200 }),
    runFailingShare: faker.number.float({ min: 0.3, max: 0.9 }),
  });

/** Examples of `groups` clusters of `perGroup` failures each, with one category per cluster. */
export function examplesOf(
  category: FailureCategory,
  facts: () => FailureFacts,
  groups: readonly number[],
  source: TrainingExample["source"] = "human",
  perGroup = 4,
): TrainingExample[] {
  return groups.flatMap((group) =>
    Array.from({ length: perGroup }, () => ({
      facts: facts(),
      category,
      source,
      group,
      // A rule's example carries the assertion rule's confidence.
      confidence: source === "human" ? 1 : 0.55,
    })),
  );
}
