/**
 * Agreement between a clustering and the true partition: the adjusted Rand index and the
 * V-measure, as scikit-learn defines them. Labels are compared by identity only.
 */

type Label = string | number;

interface Contingency {
  readonly n: number;
  readonly joint: Map<string, number>;
  readonly rows: Map<Label, number>;
  readonly cols: Map<Label, number>;
}

function contingency(truth: readonly Label[], predicted: readonly Label[]): Contingency {
  if (truth.length !== predicted.length) throw new Error("the labelings differ in length");
  const joint = new Map<string, number>();
  const rows = new Map<Label, number>();
  const cols = new Map<Label, number>();
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] as Label;
    const p = predicted[i] as Label;
    const key = `${typeof t}:${t}\u0000${typeof p}:${p}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
    rows.set(t, (rows.get(t) ?? 0) + 1);
    cols.set(p, (cols.get(p) ?? 0) + 1);
  }
  return { n: truth.length, joint, rows, cols };
}

/** Adjusted Rand index (Hubert and Arabie): 1 for identical partitions, about 0 for chance. */
export function adjustedRandIndex(truth: readonly Label[], predicted: readonly Label[]): number {
  const c = contingency(truth, predicted);
  const pairs = (n: number) => (n * (n - 1)) / 2;
  let index = 0;
  for (const n of c.joint.values()) index += pairs(n);
  let a = 0;
  for (const n of c.rows.values()) a += pairs(n);
  let b = 0;
  for (const n of c.cols.values()) b += pairs(n);
  const expected = (a * b) / pairs(c.n);
  const max = (a + b) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}

const entropy = (counts: Iterable<number>, n: number): number => {
  let h = 0;
  for (const k of counts) if (k > 0) h -= (k / n) * Math.log(k / n);
  return h;
};

/** Homogeneity (each cluster holds one true class), completeness (each class in one cluster) and their harmonic mean. */
export function vMeasure(
  truth: readonly Label[],
  predicted: readonly Label[],
): { homogeneity: number; completeness: number; v: number } {
  const c = contingency(truth, predicted);
  const hTruth = entropy(c.rows.values(), c.n);
  const hPred = entropy(c.cols.values(), c.n);
  // Conditional entropies H(T|P) and H(P|T) from the joint counts.
  let hTgivenP = 0;
  let hPgivenT = 0;
  const colOf = new Map<string, number>();
  const rowOf = new Map<string, number>();
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] as Label;
    const p = predicted[i] as Label;
    const key = `${typeof t}:${t}\u0000${typeof p}:${p}`;
    colOf.set(key, c.cols.get(p) as number);
    rowOf.set(key, c.rows.get(t) as number);
  }
  for (const [key, nij] of c.joint) {
    hTgivenP -= (nij / c.n) * Math.log(nij / (colOf.get(key) as number));
    hPgivenT -= (nij / c.n) * Math.log(nij / (rowOf.get(key) as number));
  }
  const homogeneity = hTruth === 0 ? 1 : 1 - hTgivenP / hTruth;
  const completeness = hPred === 0 ? 1 : 1 - hPgivenT / hPred;
  const v = homogeneity + completeness === 0 ? 0 : (2 * homogeneity * completeness) / (homogeneity + completeness);
  return { homogeneity, completeness, v };
}
