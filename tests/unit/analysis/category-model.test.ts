import { describe, expect, it } from "vitest";
import { categoryFeatures } from "../../../src/analysis/category-features.js";
import {
  deserializeCategoryModel,
  predictCategory,
  serializeCategoryModel,
  trainCategoryModel,
} from "../../../src/analysis/category-model.js";
import { PROMOTION_POLICY, trainAndEvaluate } from "../../../src/analysis/model-training.js";
import {
  examplesOf,
  failureFactsFactory,
  flakyFacts,
  outageFacts,
  regressionFacts,
} from "../../factories/failure-facts.js";

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

describe("categoryFeatures", () => {
  it("names the words, type, rule, frame and history of a failure, with words sharing a weight of one", () => {
    const features = categoryFeatures(failureFactsFactory.build({ passedOnRetry: true, testsWithCluster: 7 }));
    const names = features.map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "word:expect",
        "type:none",
        "rule:flaky.passed-on-retry",
        "frame:test-code",
        "history:passed-on-retry",
        "history:same-commit-passed:false",
        "history:tests-alike:5-19",
      ]),
    );
    const words = features.filter((f) => f.name.startsWith("word:"));
    expect(words.reduce((sum, f) => sum + f.value * f.value, 0)).toBeCloseTo(1);
  });

  it("buckets the run's failing share and the cause's commits", () => {
    const names = categoryFeatures(outageFacts()).map((f) => f.name);
    expect(names.some((n) => /^history:run-failing:(20-49|50\+)%$/.test(n))).toBe(true);
    expect(names).toContain("rule:infrastructure.network");
    expect(names).toContain("frame:product-code");
  });
});

describe("the category model", () => {
  it("learns from history what the text cannot tell: flaky and regressed assertions read alike", () => {
    const model = trainCategoryModel([
      ...examplesOf("flaky", flakyFacts, range(1, 10)),
      ...examplesOf("regression", regressionFacts, range(11, 10)),
    ]);
    const flaky = predictCategory(model, flakyFacts());
    const regression = predictCategory(model, regressionFacts());
    expect(flaky.category).toBe("flaky");
    expect(regression.category).toBe("regression");
    expect(flaky.confidence).toBeGreaterThan(0.7);
    expect(flaky.because.map((b) => b.feature)).toContain("history:same-commit-passed:true");
    expect(flaky.because.every((b) => b.weight > 0)).toBe(true);
  });

  it("starts from the rules: a cause like none it was shown still gets its rule's category", () => {
    // Trained on flaky and regressed assertions only, it has never seen an outage.
    const model = trainCategoryModel([
      ...examplesOf("flaky", flakyFacts, range(1, 6)),
      ...examplesOf("regression", regressionFacts, range(11, 6)),
    ]);
    const outage = predictCategory(model, outageFacts());
    expect(outage.category).toBe("infrastructure");
    expect(outage.because.map((b) => b.feature)).toContain("rule:infrastructure.network");
  });

  it("round-trips through its stored form, and refuses a corrupt or foreign one", () => {
    const model = trainCategoryModel(examplesOf("infrastructure", outageFacts, range(1, 3), "rule"));
    const stored = serializeCategoryModel(model);
    const facts = outageFacts();
    const back = deserializeCategoryModel(JSON.parse(JSON.stringify(stored)) as typeof stored);
    expect(predictCategory(back, facts).category).toBe(predictCategory(model, facts).category);
    expect(predictCategory(back, facts).confidence).toBeCloseTo(predictCategory(model, facts).confidence, 3);
    expect(() => deserializeCategoryModel({ ...stored, weights: stored.weights.slice(1) })).toThrow(/corrupt/);
    expect(() => deserializeCategoryModel({ ...stored, classes: ["flaky"] })).toThrow(/unsupported/);
  });
});

describe("trainAndEvaluate", () => {
  const seeded = () => [
    ...examplesOf("regression", regressionFacts, range(100, 20), "rule"),
    ...examplesOf("regression", flakyFacts, range(200, 20), "rule"),
  ];

  it("does not promote a model before enough clusters are labelled", () => {
    const outcome = trainAndEvaluate([...seeded(), ...examplesOf("flaky", flakyFacts, range(1, 3))]);
    expect(outcome.promote).toBe(false);
    expect(outcome.reason).toContain(`fewer than the ${PROMOTION_POLICY.minLabelledClusters}`);
    expect(outcome.evaluation.labelledClusters).toBe(3);
  });

  it("does not promote on labels of one category", () => {
    const outcome = trainAndEvaluate([...seeded(), ...examplesOf("flaky", flakyFacts, range(1, 8))]);
    expect(outcome.promote).toBe(false);
    expect(outcome.reason).toContain("only one category");
  });

  it("promotes a model that corrects the rules where people labelled, with cross-validated metrics", () => {
    const labelled = [
      ...examplesOf("flaky", flakyFacts, range(1, 8)),
      ...examplesOf("regression", regressionFacts, range(11, 8)),
    ];
    const outcome = trainAndEvaluate([...seeded(), ...labelled]);
    expect(outcome.promote).toBe(true);
    const e = outcome.evaluation;
    expect(e.folds).toBe(PROMOTION_POLICY.folds);
    expect(e.humanExamples).toBe(labelled.length);
    expect(e.trainingExamples).toBe(labelled.length + seeded().length);
    // The rules call every assertion a regression; the model tells the flaky ones apart.
    expect(e.rules.perClass.flaky?.recall).toBe(0);
    expect(e.model.macroF1).toBeGreaterThan(0.9);
    expect(e.model.macroF1).toBeGreaterThan(e.rules.macroF1);
    expect(e.model.confusion.flaky?.flaky).toBeGreaterThan(0);
  });

  it("does not promote a version that evaluates worse than the current one", () => {
    const labelled = [
      ...examplesOf("flaky", flakyFacts, range(1, 8)),
      ...examplesOf("regression", regressionFacts, range(11, 8)),
    ];
    const outcome = trainAndEvaluate([...seeded(), ...labelled], { macroF1: 1.5 });
    expect(outcome.promote).toBe(false);
    expect(outcome.reason).toMatch(/worse than the current version's 1\.500/);
  });

  it("does not promote a model below the rules on the labels", () => {
    // Rule-seeded examples that outweigh the labels teach the model the wrong thing, which the rules get right.
    const outcome = trainAndEvaluate([
      ...examplesOf("timeout", outageFacts, range(100, 40), "rule"),
      ...examplesOf("infrastructure", outageFacts, range(1, 5)),
      ...examplesOf("regression", regressionFacts, range(11, 5)),
    ]);
    expect(outcome.promote).toBe(false);
    expect(outcome.reason).toMatch(/below the rules'/);
    expect(outcome.evaluation.rules.perClass.infrastructure?.recall).toBe(1);
  });
});
