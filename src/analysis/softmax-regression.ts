/**
 * Multinomial logistic (softmax) regression on sparse features, trained by stochastic gradient
 * descent with a decaying step and L2 regularization. Not AdaGrad: its per-feature step
 * normalization makes a feature seen only in light examples (the rules' seeds) move as fast as
 * one seen in heavy ones (people's labels), which undoes the weighting.
 *
 * Hand-written rather than taken from ml.js: `ml-logistic-regression` trains one-vs-all on a
 * dense `ml-matrix` of samples × features, and a failure's features are a few dozen tokens out
 * of a vocabulary of tens of thousands, so the dense matrix of a 5,000-example training set
 * would take gigabytes where the sparse one takes a megabyte.
 */

/** One example: the indexes of its features with their values, its class and its weight. */
export interface SparseExample {
  readonly indexes: readonly number[];
  readonly values: readonly number[];
  readonly label: number;
  readonly weight: number;
}

/** How {@link trainSoftmax} trains. */
export interface SoftmaxOptions {
  readonly classes: number;
  readonly features: number;
  /** Passes over the examples. */
  readonly epochs?: number;
  /** The first step; step `t` of `n` examples is `learningRate / (1 + t / n)`. */
  readonly learningRate?: number;
  /** L2 penalty per update of a feature's weights. */
  readonly l2?: number;
  /** Seed of the example order, so that a training set always gives the same model. */
  readonly seed?: number;
  /**
   * Prior weights (`features × classes`): training starts from them and L2 pulls towards them,
   * not towards zero, so what the prior knows stays unless the examples say otherwise.
   */
  readonly prior?: Float64Array;
}

/** A trained model: `weights[feature * classes + class]` and one bias per class. */
export interface SoftmaxModel {
  readonly classes: number;
  readonly features: number;
  readonly weights: Float64Array;
  readonly bias: Float64Array;
}

/** A Park–Miller generator: the shuffle needs reproducibility, not statistical quality. */
function shuffled(length: number, seed: number): number[] {
  const order = Array.from({ length }, (_, i) => i);
  let state = seed % 2_147_483_647 || 1;
  for (let i = length - 1; i > 0; i--) {
    state = (state * 48_271) % 2_147_483_647;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

/** The class probabilities of one example, written into `out`. */
export function softmaxProbabilities(
  model: SoftmaxModel,
  indexes: readonly number[],
  values: readonly number[],
  out = new Float64Array(model.classes),
): Float64Array {
  const k = model.classes;
  for (let c = 0; c < k; c++) out[c] = model.bias[c] as number;
  for (let i = 0; i < indexes.length; i++) {
    const base = (indexes[i] as number) * k;
    const v = values[i] as number;
    for (let c = 0; c < k; c++) out[c] = (out[c] as number) + (model.weights[base + c] as number) * v;
  }
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, out[c] as number);
  let sum = 0;
  for (let c = 0; c < k; c++) {
    out[c] = Math.exp((out[c] as number) - max);
    sum += out[c] as number;
  }
  for (let c = 0; c < k; c++) out[c] = (out[c] as number) / sum;
  return out;
}

/** Trains a softmax regression on weighted sparse examples. */
export function trainSoftmax(examples: readonly SparseExample[], options: SoftmaxOptions): SoftmaxModel {
  const k = options.classes;
  const epochs = options.epochs ?? 30;
  const rate = options.learningRate ?? 0.5;
  const l2 = options.l2 ?? 1e-2;
  const model: SoftmaxModel = {
    classes: k,
    features: options.features,
    weights: options.prior === undefined ? new Float64Array(options.features * k) : Float64Array.from(options.prior),
    bias: new Float64Array(k),
  };
  const p = new Float64Array(k);
  const gradient = new Float64Array(k);
  const prior = options.prior;
  if (prior !== undefined && prior.length !== options.features * k)
    throw new Error("the prior's shape does not match features × classes");
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const e of shuffled(examples.length, (options.seed ?? 1) + epoch)) {
      const example = examples[e] as SparseExample;
      const lr = rate / (1 + step++ / Math.max(1, examples.length));
      softmaxProbabilities(model, example.indexes, example.values, p);
      for (let c = 0; c < k; c++) gradient[c] = example.weight * ((p[c] as number) - (c === example.label ? 1 : 0));
      for (let c = 0; c < k; c++) model.bias[c] = (model.bias[c] as number) - lr * (gradient[c] as number);
      for (let i = 0; i < example.indexes.length; i++) {
        const base = (example.indexes[i] as number) * k;
        const v = example.values[i] as number;
        for (let c = 0; c < k; c++) {
          const w = model.weights[base + c] as number;
          const anchor = prior === undefined ? 0 : (prior[base + c] as number);
          model.weights[base + c] = w - lr * ((gradient[c] as number) * v + l2 * (w - anchor));
        }
      }
    }
  }
  return model;
}
