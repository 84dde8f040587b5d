import { categoryFeatures, type Feature, type FailureFacts } from "./category-features.js";
import { CATEGORY_RULES, FAILURE_CATEGORIES, type FailureCategory } from "./failure-categories.js";
import { softmaxProbabilities, trainSoftmax, type SoftmaxModel, type SparseExample } from "./softmax-regression.js";

/** Where a training example's category came from. */
export type LabelSource = "human" | "rule";

/** One failure the model learns from. */
export interface TrainingExample {
  readonly facts: FailureFacts;
  readonly category: FailureCategory;
  readonly source: LabelSource;
  /** The failure's cluster: examples of one cluster are held out together when evaluating. */
  readonly group: number;
  /** How sure the source is: 1 for a person, the rule's own confidence for a rule. */
  readonly confidence: number;
}

/**
 * How much a rule's example weighs, times the rule's confidence, against a person's (1): rules
 * seed the model where nobody labelled, and people overrule them where they did, also for the
 * words of clusters nobody labelled, which only rule examples carry.
 */
export const RULE_WEIGHT = 0.2;

/** The logit a rule of confidence 1 adds to its category in the prior: e^4 ≈ 55 to 1 on its own. */
const PRIOR_STRENGTH = 8;

/** Features seen fewer times than this are left out: they only memorize single failures. */
const MIN_FEATURE_COUNT = 2;

/** A trained category model: its vocabulary and weights. */
export interface CategoryModel {
  readonly vocabulary: ReadonlyMap<string, number>;
  readonly softmax: SoftmaxModel;
}

/** A feature that weighed in a prediction, with its pull towards the predicted category. */
export interface Contribution {
  readonly feature: string;
  readonly weight: number;
}

/** What the model says of one failure. */
export interface CategoryPrediction {
  readonly category: FailureCategory;
  readonly confidence: number;
  /** The features that pulled most towards the category, strongest first. */
  readonly because: readonly Contribution[];
}

function sparse(features: readonly Feature[], vocabulary: ReadonlyMap<string, number>) {
  const indexes: number[] = [];
  const values: number[] = [];
  for (const f of features) {
    const index = vocabulary.get(f.name);
    if (index === undefined) continue;
    indexes.push(index);
    values.push(f.value);
  }
  return { indexes, values };
}

/**
 * The model's prior: each rule's feature points to the rule's category with a weight that grows
 * with the rule's confidence. The model starts out as the rules, keeps what they know about
 * categories nobody labelled, and moves away from them only where labels disagree.
 */
function rulePrior(vocabulary: ReadonlyMap<string, number>): Float64Array {
  const k = FAILURE_CATEGORIES.length;
  const prior = new Float64Array(vocabulary.size * k);
  for (const rule of CATEGORY_RULES) {
    const index = vocabulary.get(`rule:${rule.id}`);
    if (index !== undefined)
      prior[index * k + FAILURE_CATEGORIES.indexOf(rule.category)] = PRIOR_STRENGTH * rule.confidence;
  }
  return prior;
}

/** Trains a category model on labelled failures. */
export function trainCategoryModel(examples: readonly TrainingExample[]): CategoryModel {
  const featureLists = examples.map((e) => categoryFeatures(e.facts));
  const counts = new Map<string, number>();
  for (const list of featureLists) for (const f of list) counts.set(f.name, (counts.get(f.name) ?? 0) + 1);
  // Every rule's feature is in the vocabulary, seen in training or not: the prior carries what the
  // rule knows to failures unlike any the model was shown.
  for (const rule of CATEGORY_RULES) counts.set(`rule:${rule.id}`, counts.get(`rule:${rule.id}`) ?? 0);
  const vocabulary = new Map<string, number>();
  for (const [name, count] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
    if (count >= MIN_FEATURE_COUNT || !name.startsWith("word:")) vocabulary.set(name, vocabulary.size);
  const sparseExamples: SparseExample[] = examples.map((e, i) => ({
    ...sparse(featureLists[i] as Feature[], vocabulary),
    label: FAILURE_CATEGORIES.indexOf(e.category),
    weight: e.source === "human" ? 1 : RULE_WEIGHT * e.confidence,
  }));
  const softmax = trainSoftmax(sparseExamples, {
    classes: FAILURE_CATEGORIES.length,
    features: vocabulary.size,
    prior: rulePrior(vocabulary),
  });
  return { vocabulary, softmax };
}

/** The most likely category of a failure, its probability, and the features behind it. */
export function predictCategory(model: CategoryModel, facts: FailureFacts, explain = 5): CategoryPrediction {
  const features = categoryFeatures(facts);
  const { indexes, values } = sparse(features, model.vocabulary);
  const p = softmaxProbabilities(model.softmax, indexes, values);
  let best = 0;
  for (let c = 1; c < p.length; c++) if ((p[c] as number) > (p[best] as number)) best = c;
  const names = [...model.vocabulary.keys()];
  const k = model.softmax.classes;
  const because = indexes
    .map((index, i) => {
      // A feature's pull towards the winner: its weight there against its mean weight over all categories.
      let mean = 0;
      for (let c = 0; c < k; c++) mean += model.softmax.weights[index * k + c] as number;
      const toBest = model.softmax.weights[index * k + best] as number;
      return { feature: names[index] as string, weight: (toBest - mean / k) * (values[i] as number) };
    })
    .filter((c) => c.weight > 0)
    .sort((a, b) => b.weight - a.weight)
    .slice(0, explain);
  return { category: FAILURE_CATEGORIES[best] as FailureCategory, confidence: p[best] as number, because };
}

/** The stored form of a model: JSON with the vocabulary in index order and rounded weights. */
export interface SerializedCategoryModel {
  readonly kind: "softmax-category/1";
  readonly classes: readonly FailureCategory[];
  readonly vocabulary: readonly string[];
  readonly weights: readonly number[];
  readonly bias: readonly number[];
}

const round = (x: number): number => Math.round(x * 1e5) / 1e5;

/** Serializes a model for the store. */
export function serializeCategoryModel(model: CategoryModel): SerializedCategoryModel {
  return {
    kind: "softmax-category/1",
    classes: FAILURE_CATEGORIES,
    vocabulary: [...model.vocabulary.keys()],
    weights: Array.from(model.softmax.weights, round),
    bias: Array.from(model.softmax.bias, round),
  };
}

/** Reads a stored model back; throws on a shape this version cannot use. */
export function deserializeCategoryModel(stored: SerializedCategoryModel): CategoryModel {
  if (stored.kind !== "softmax-category/1" || stored.classes.join() !== FAILURE_CATEGORIES.join())
    throw new Error(`unsupported category model (${stored.kind}, classes ${stored.classes.join(", ")})`);
  const k = stored.classes.length;
  if (stored.weights.length !== stored.vocabulary.length * k || stored.bias.length !== k)
    throw new Error("corrupt category model: weights do not match its vocabulary");
  return {
    vocabulary: new Map(stored.vocabulary.map((name, i) => [name, i])),
    softmax: {
      classes: k,
      features: stored.vocabulary.length,
      weights: Float64Array.from(stored.weights),
      bias: Float64Array.from(stored.bias),
    },
  };
}
