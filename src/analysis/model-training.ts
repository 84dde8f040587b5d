import { predictCategory, trainCategoryModel, type CategoryModel, type TrainingExample } from "./category-model.js";
import { classificationMetrics, type ClassificationMetrics } from "./classification-metrics.js";
import { classifyFailure } from "./failure-categories.js";
import { failureSignature } from "./failure-signature.js";

/** What a model must show before it decides categories instead of the rules. */
export const PROMOTION_POLICY = {
  /** Clusters labelled by people: fewer cannot be cross-validated meaningfully. */
  minLabelledClusters: 5,
  /** Distinct labelled categories: with one, there is nothing to tell apart. */
  minCategories: 2,
  /** Folds of the cross-validation (fewer when there are fewer labelled clusters). */
  folds: 5,
  /**
   * How much lower than the current version's macro-F1 a new version may score and still be
   * promoted: each version is scored on more labels than the last, so equal models differ by noise.
   */
  tolerance: 0.01,
} as const;

/** A trained version's evaluation: cross-validated on the human labels, beside the rules' score. */
export interface ModelEvaluation {
  readonly model: ClassificationMetrics;
  /** The rules alone, on the same labelled failures. */
  readonly rules: ClassificationMetrics;
  readonly trainingExamples: number;
  readonly humanExamples: number;
  readonly labelledClusters: number;
  readonly folds: number;
}

/** A trained model, its evaluation, and whether it should decide categories from now on. */
export interface TrainingOutcome {
  readonly model: CategoryModel;
  readonly evaluation: ModelEvaluation;
  readonly promote: boolean;
  /** Why it is, or is not, promoted. */
  readonly reason: string;
}

/** Labelled clusters dealt round-robin into folds, in a fixed order, so a training set always gives the same folds. */
function foldsOf(groups: readonly number[], folds: number): Map<number, number> {
  const fold = new Map<number, number>();
  for (const [i, group] of [...new Set(groups)].sort((a, b) => a - b).entries()) fold.set(group, i % folds);
  return fold;
}

const ruleCategory = (example: TrainingExample): string | null =>
  classifyFailure(failureSignature(example.facts.text), example.facts.text, {
    passedOnRetry: example.facts.passedOnRetry,
  })?.category ?? null;

/**
 * Trains a category model on every example and evaluates it by grouped cross-validation: each
 * fold holds out whole labelled clusters (failures of one cluster are near-copies, and holding
 * out single failures would score memory, not learning), trains on the rest, and predicts the
 * held-out human labels. The new version is promoted when enough is labelled, it does at least
 * as well as the rules on the labels, and not worse than the current version by more than the
 * tolerance.
 */
export function trainAndEvaluate(examples: readonly TrainingExample[], current?: { macroF1: number }): TrainingOutcome {
  const human = examples.filter((e) => e.source === "human");
  const groups = new Set(human.map((e) => e.group));
  const folds = Math.min(PROMOTION_POLICY.folds, groups.size);
  const truth: string[] = [];
  const predicted: string[] = [];
  const rules: (string | null)[] = [];
  if (folds >= 2) {
    const foldOf = foldsOf(
      human.map((e) => e.group),
      folds,
    );
    for (let f = 0; f < folds; f++) {
      const heldOut = (e: TrainingExample) => foldOf.get(e.group) === f;
      const model = trainCategoryModel(examples.filter((e) => !heldOut(e)));
      for (const e of human.filter(heldOut)) {
        truth.push(e.category);
        predicted.push(predictCategory(model, e.facts, 0).category);
        rules.push(ruleCategory(e));
      }
    }
  }
  const evaluation: ModelEvaluation = {
    model: classificationMetrics(truth, predicted),
    rules: classificationMetrics(truth, rules),
    trainingExamples: examples.length,
    humanExamples: human.length,
    labelledClusters: groups.size,
    folds,
  };
  const categories = new Set(human.map((e) => e.category)).size;
  const m = evaluation.model.macroF1;
  let reason: string;
  let promote = false;
  if (groups.size < PROMOTION_POLICY.minLabelledClusters)
    reason = `${groups.size} labelled clusters, fewer than the ${PROMOTION_POLICY.minLabelledClusters} needed to evaluate a model; the rules decide`;
  else if (categories < PROMOTION_POLICY.minCategories) reason = `the labels name only one category; the rules decide`;
  else if (m < evaluation.rules.macroF1)
    reason = `macro-F1 ${m.toFixed(3)} is below the rules' ${evaluation.rules.macroF1.toFixed(3)} on the same labels`;
  else if (current !== undefined && m < current.macroF1 - PROMOTION_POLICY.tolerance)
    reason = `macro-F1 ${m.toFixed(3)} is worse than the current version's ${current.macroF1.toFixed(3)}`;
  else {
    promote = true;
    reason = `macro-F1 ${m.toFixed(3)} (rules ${evaluation.rules.macroF1.toFixed(3)}${current === undefined ? "" : `, current version ${current.macroF1.toFixed(3)}`})`;
  }
  return { model: trainCategoryModel(examples), evaluation, promote, reason };
}
