import { describe, expect, it } from "vitest";
import { Random } from "../../../src/simulate/prng.js";

const draws = (random: Random, n: number, draw: (r: Random) => number): number[] =>
  Array.from({ length: n }, () => draw(random));

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("Random", () => {
  it("gives the same stream for the same seed and a different one for another seed", () => {
    const a = draws(Random.fromSeed(42), 20, (r) => r.float());
    expect(draws(Random.fromSeed(42), 20, (r) => r.float())).toEqual(a);
    expect(draws(Random.fromSeed(43), 20, (r) => r.float())).not.toEqual(a);
    for (const x of a) expect(x >= 0 && x < 1).toBe(true);
  });

  it("forks by name, whatever the parent consumed", () => {
    const parent = Random.fromSeed(7);
    const before = draws(parent.fork("run", 3), 5, (r) => r.float());
    draws(parent, 100, (r) => r.float());
    expect(draws(parent.fork("run", 3), 5, (r) => r.float())).toEqual(before);
    expect(draws(parent.fork("run", 4), 5, (r) => r.float())).not.toEqual(before);
    expect(draws(parent.fork("run/3"), 5, (r) => r.float())).toEqual(before);
  });

  it("draws integers in the closed range, every value of a small range", () => {
    const values = draws(Random.fromSeed(1), 2000, (r) => r.int(-2, 3));
    expect(Math.min(...values)).toBe(-2);
    expect(Math.max(...values)).toBe(3);
    expect(new Set(values).size).toBe(6);
    const between = draws(Random.fromSeed(1), 500, (r) => r.between(5, 6));
    expect(between.every((x) => x >= 5 && x < 6)).toBe(true);
  });

  it("realises probabilities and weights within statistical tolerance", () => {
    const random = Random.fromSeed(2);
    const n = 20_000;
    const hits = draws(random, n, (r) => (r.chance(0.3) ? 1 : 0)).reduce((a, b) => a + b, 0);
    // Four standard deviations of a binomial: a correct generator fails this about once in 15,000 runs.
    expect(Math.abs(hits / n - 0.3)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7) / n));
    const picks = draws(random, n, (r) =>
      r.weighted([
        [0, 1],
        [1, 3],
      ] as const),
    );
    expect(Math.abs(mean(picks) - 0.75)).toBeLessThan(4 * Math.sqrt((0.75 * 0.25) / n));
    expect(random.weighted([["only", 0]] as const)).toBe("only");
  });

  it("picks from lists, samples distinct elements and refuses empty lists", () => {
    const random = Random.fromSeed(3);
    const items = ["a", "b", "c", "d", "e"];
    expect(items).toContain(random.pick(items));
    const sample = random.sample(items, 3);
    expect(new Set(sample).size).toBe(3);
    expect(random.sample(items, 10).sort()).toEqual(items);
    expect(() => random.pick([])).toThrow(RangeError);
    expect(() => random.weighted([])).toThrow(RangeError);
  });

  it("draws normal, log-normal, exponential and geometric values with the right centre", () => {
    const random = Random.fromSeed(4);
    const n = 20_000;
    const normal = draws(random, n, (r) => r.normal());
    expect(Math.abs(mean(normal))).toBeLessThan(0.05);
    expect(Math.abs(mean(normal.map((x) => x * x)) - 1)).toBeLessThan(0.05);
    const logNormal = draws(random, n, (r) => r.logNormal(40, 0.8)).sort((a, b) => a - b);
    expect(logNormal[n / 2]).toBeGreaterThan(37);
    expect(logNormal[n / 2]).toBeLessThan(43);
    // A heavy right tail: the mean is above the median.
    expect(mean(logNormal)).toBeGreaterThan(logNormal[n / 2] as number);
    expect(Math.abs(mean(draws(random, n, (r) => r.exponential(10))) - 10)).toBeLessThan(0.5);
    const geometric = draws(random, n, (r) => r.geometric(0.5, 4));
    expect(Math.max(...geometric)).toBe(4);
    expect(Math.abs(mean(geometric) - 0.9375)).toBeLessThan(0.05);
  });

  it("writes hex digits and version-4 UUIDs", () => {
    const random = Random.fromSeed(5);
    expect(random.hex(13)).toMatch(/^[0-9a-f]{13}$/);
    for (let i = 0; i < 20; i++)
      expect(random.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
