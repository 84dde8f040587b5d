import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import { softmaxProbabilities, trainSoftmax, type SparseExample } from "../../../src/analysis/softmax-regression.js";

/** Examples where feature `label` (of 3) marks the class, among noise features 3..9. */
function examples(n: number, weight = 1): SparseExample[] {
  return Array.from({ length: n }, () => {
    const label = faker.number.int({ min: 0, max: 2 });
    const noise = faker.number.int({ min: 3, max: 9 });
    return { indexes: [label, noise], values: [1, 1], label, weight };
  });
}

describe("trainSoftmax", () => {
  it("learns a separable problem and gives probabilities that sum to one", () => {
    const model = trainSoftmax(examples(300), { classes: 3, features: 10 });
    for (const label of [0, 1, 2]) {
      const p = softmaxProbabilities(model, [label, 5], [1, 1]);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      expect(Math.max(...p)).toBe(p[label]);
      expect(p[label]).toBeGreaterThan(0.8);
    }
  });

  it("is deterministic for a seed, and the order of examples depends on it", () => {
    const data = examples(50);
    const a = trainSoftmax(data, { classes: 3, features: 10, seed: 7, epochs: 3 });
    const b = trainSoftmax(data, { classes: 3, features: 10, seed: 7, epochs: 3 });
    const c = trainSoftmax(data, { classes: 3, features: 10, seed: 8, epochs: 3 });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(Array.from(a.weights)).not.toEqual(Array.from(c.weights));
  });

  it("keeps a prior where examples are silent, and refuses a prior of the wrong shape", () => {
    const prior = new Float64Array(3 * 11);
    prior[10 * 3 + 2] = 5; // feature 10, in no example, points to class 2
    const model = trainSoftmax(examples(100), { classes: 3, features: 11, prior });
    const p = softmaxProbabilities(model, [10], [1]);
    expect(Math.max(...p)).toBe(p[2]);
    expect(model.weights[10 * 3 + 2]).toBe(5);
    expect(() => trainSoftmax(examples(5), { classes: 3, features: 10, prior: new Float64Array(3) })).toThrow(/shape/);
  });

  it("lets heavier examples win where examples contradict each other", () => {
    const contradicting: SparseExample[] = [
      ...Array.from({ length: 20 }, () => ({ indexes: [0], values: [1], label: 0, weight: 1 })),
      ...Array.from({ length: 20 }, () => ({ indexes: [0], values: [1], label: 1, weight: 5 })),
    ];
    const model = trainSoftmax(contradicting, { classes: 2, features: 1 });
    const p = softmaxProbabilities(model, [0], [1]);
    expect(p[1]).toBeGreaterThan(p[0] as number);
  });
});
