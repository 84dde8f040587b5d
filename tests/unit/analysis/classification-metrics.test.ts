import { describe, expect, it } from "vitest";
import { classificationMetrics } from "../../../src/analysis/classification-metrics.js";

describe("classificationMetrics", () => {
  it("computes accuracy, per-class scores, macro-F1 and the confusion matrix", () => {
    const truth = ["flaky", "flaky", "flaky", "regression", "regression", "timeout"];
    const predicted = ["flaky", "flaky", "regression", "regression", null, "flaky"];
    const m = classificationMetrics(truth, predicted);
    expect(m.accuracy).toBeCloseTo(3 / 6);
    // flaky: 2 of 3 predicted flaky are right, 2 of 3 flaky found.
    expect(m.perClass.flaky).toMatchObject({ precision: 2 / 3, recall: 2 / 3, support: 3 });
    // regression: 1 of 2 predicted right, 1 of 2 found; timeout never found.
    expect(m.perClass.regression?.f1).toBeCloseTo(0.5);
    expect(m.perClass.timeout).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(m.macroF1).toBeCloseTo((2 / 3 + 0.5 + 0) / 3);
    expect(m.confusion.regression).toEqual({ regression: 1, none: 1 });
    expect(m.examples).toBe(6);
  });

  it("scores nothing as zero and refuses mismatched lengths", () => {
    expect(classificationMetrics([], [])).toMatchObject({ accuracy: 0, macroF1: 0, examples: 0 });
    expect(() => classificationMetrics(["flaky"], [])).toThrow(/differ in length/);
  });
});
