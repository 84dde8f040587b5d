/** Precision, recall and F1 of one class. */
export interface ClassScore {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Examples whose true class this is. */
  readonly support: number;
}

/** How well predicted classes match true ones. */
export interface ClassificationMetrics {
  readonly accuracy: number;
  /** Mean F1 over the classes that occur in the truth: a rare class counts as much as a common one. */
  readonly macroF1: number;
  readonly perClass: Readonly<Record<string, ClassScore>>;
  /** `confusion[truth][predicted]` = count; `none` is the prediction when nothing decided. */
  readonly confusion: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly examples: number;
}

/** Scores predictions (`null`: nothing decided, always wrong) against the truth. */
export function classificationMetrics(
  truth: readonly string[],
  predicted: readonly (string | null)[],
): ClassificationMetrics {
  if (truth.length !== predicted.length) throw new Error("truth and predictions differ in length");
  const confusion: Record<string, Record<string, number>> = {};
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] as string;
    const p = predicted[i] ?? "none";
    const row = (confusion[t] ??= {});
    row[p] = (row[p] ?? 0) + 1;
    if (t === p) correct++;
  }
  const perClass: Record<string, ClassScore> = {};
  for (const cls of Object.keys(confusion).sort()) {
    const tp = confusion[cls]?.[cls] ?? 0;
    const support = Object.values(confusion[cls] ?? {}).reduce((a, b) => a + b, 0);
    const predictedAs = Object.values(confusion).reduce((sum, row) => sum + (row[cls] ?? 0), 0);
    const precision = predictedAs === 0 ? 0 : tp / predictedAs;
    const recall = support === 0 ? 0 : tp / support;
    perClass[cls] = {
      precision,
      recall,
      f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
      support,
    };
  }
  const scores = Object.values(perClass);
  return {
    accuracy: truth.length === 0 ? 0 : correct / truth.length,
    macroF1: scores.length === 0 ? 0 : scores.reduce((sum, s) => sum + s.f1, 0) / scores.length,
    perClass,
    confusion,
    examples: truth.length,
  };
}
