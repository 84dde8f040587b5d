import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import { adjustedRandIndex, vMeasure } from "../../../bench/eval/partition-metrics.js";

describe("partition metrics", () => {
  it("score identical partitions 1 whatever the cluster names", () => {
    const truth = Array.from({ length: 60 }, () => faker.helpers.arrayElement(["a", "b", "c"]));
    const renamed = truth.map((t) => ({ a: 7, b: 3, c: 9 })[t]);
    expect(adjustedRandIndex(truth, renamed)).toBeCloseTo(1);
    expect(vMeasure(truth, renamed)).toEqual({ homogeneity: 1, completeness: 1, v: 1 });
  });

  it("match the textbook formulas on a worked example", () => {
    // Contingency (0,0)=2 (1,1)=1 (1,2)=1 (2,2)=2: ARI = (2 - 12/15) / (3.5 - 12/15) = 4/9;
    // H(T) = ln 3, H(T|P) = (2/6) ln(3/2) + (1/6) ln 3, so homogeneity = 1 - H(T|P)/H(T).
    const truth = [0, 0, 1, 1, 2, 2];
    const predicted = [0, 0, 1, 2, 2, 2];
    expect(adjustedRandIndex(truth, predicted)).toBeCloseTo(4 / 9, 9);
    const v = vMeasure(truth, predicted);
    const homogeneity = 1 - (Math.log(1.5) / 3 + Math.log(3) / 6) / Math.log(3);
    expect(v.homogeneity).toBeCloseTo(homogeneity, 9);
    expect(v.completeness).toBeCloseTo(0.77156, 4);
    expect(v.v).toBeCloseTo((2 * v.homogeneity * v.completeness) / (v.homogeneity + v.completeness), 9);
  });

  it("tell merging (complete, not homogeneous) from splitting (homogeneous, not complete)", () => {
    const truth = ["a", "a", "b", "b"];
    expect(vMeasure(truth, [1, 1, 1, 1])).toMatchObject({ homogeneity: 0, completeness: 1 });
    expect(vMeasure(truth, [1, 2, 3, 4])).toMatchObject({ homogeneity: 1 });
    expect(vMeasure(truth, [1, 2, 3, 4]).completeness).toBeCloseTo(0.5);
    expect(() => adjustedRandIndex(truth, [1])).toThrow(/differ in length/);
  });
});
