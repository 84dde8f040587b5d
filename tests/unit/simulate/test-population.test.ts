import { describe, expect, it } from "vitest";
import { FRAMEWORK_NAMES, FRAMEWORKS } from "../../../src/simulate/frameworks.js";
import { camelCase, kebabCase, pascalCase, snakeCase, wordsOf } from "../../../src/simulate/identifiers.js";
import { SOURCE_LAYOUTS } from "../../../src/simulate/source-layout.js";
import { populationOf } from "../../factories/simulation.js";

describe("buildPopulation", { timeout: 60_000 }, () => {
  const population = populationOf(11, 2000, 0.08);

  it("builds the asked number of tests over every framework, by their shares", () => {
    expect(population.tests).toHaveLength(2000);
    for (const framework of FRAMEWORK_NAMES) {
      const count = population.tests.filter((t) => t.framework === framework).length;
      expect(Math.abs(count - FRAMEWORKS[framework].share * 2000)).toBeLessThanOrEqual(1);
    }
    expect(population.tests.map((t) => t.index)).toEqual(population.tests.map((_, i) => i));
    expect(new Set(population.tests.map((t) => t.language))).toEqual(
      new Set(["typescript", "java", "python", "go", "csharp"]),
    );
  });

  it("gives every test a distinct identity, and keeps the tests of one suite together", () => {
    const identities = new Set(population.tests.map((t) => `${t.suite}\u0000${t.name}\u0000${t.file}`));
    expect(identities.size).toBe(2000);
    const suitesSeen = new Set<string>();
    let previous = "";
    for (const test of population.tests) {
      const key = `${test.suite}\u0000${test.file}`;
      if (key !== previous) {
        expect(suitesSeen.has(key)).toBe(false);
        suitesSeen.add(key);
        previous = key;
      }
    }
  });

  it("names tests as each runner does", () => {
    const of = (framework: string) => population.tests.find((t) => t.framework === framework);
    expect(of("junit5")?.suite).toMatch(/^com\.acme\.[a-z]+\.[a-z]+\.[A-Z]\w+(Test|IT)$/);
    expect(of("junit5")?.file).toMatch(/^services\/[a-z]+\/src\/test\/java\/com\/acme\/.+(Test|IT)\.java$/);
    expect(of("pytest")?.name).toMatch(/^test_[a-z0-9_]+(\[.+\])?$/);
    expect(of("pytest")?.file).toMatch(/^tests\/(unit|integration)\/[a-z_]+\/test_[a-z_]+\.py$/);
    expect(of("go-test")?.name).toMatch(/^Test[A-Za-z]+_[A-Za-z]+\/[a-z0-9_]+$/);
    expect(of("go-test")?.suite).toMatch(/^github\.com\/acme\/platform\/internal\/[a-z]+$/);
    expect(of("playwright")?.suite).toMatch(/^[a-z]+\/[a-z-]+\.spec\.ts$/);
    expect(of("playwright")?.name).toContain(" › ");
    expect(of("xunit")?.suite).toMatch(/^Acme\.[A-Z][a-z]+\.(Tests|IntegrationTests)\.[A-Za-z]+Tests$/);
    expect(of("jest")?.file).toMatch(/^packages\/[a-z-]+\/src\/[a-z-]+\.test\.ts$/);
    expect(of("vitest")?.file).toMatch(/^apps\/[a-z-]+\/src\/lib\/[a-z-]+\.test\.ts$/);
  });

  it("makes the asked share flaky, with rates from 0.1% to 30%, a few very low, and some shared causes", () => {
    const flaky = population.tests.filter((t) => t.flakiness.kind === "intermittent");
    const runnable = population.tests.filter((t) => t.skipReason === null);
    expect(flaky).toHaveLength(Math.round(0.08 * runnable.length));
    expect(flaky.every((t) => t.skipReason === null)).toBe(true);
    const rates = flaky.map((t) => (t.flakiness.kind === "intermittent" ? t.flakiness.rate : 0));
    expect(Math.min(...rates)).toBeGreaterThanOrEqual(0.001);
    expect(Math.max(...rates)).toBeLessThanOrEqual(0.3);
    expect(rates.some((r) => r < 0.01)).toBe(true);
    expect(rates.some((r) => r > 0.1)).toBe(true);
    const groups = flaky.map((t) => (t.flakiness.kind === "intermittent" ? t.flakiness.group : -1));
    expect(new Set(groups).size).toBeLessThan(groups.length);
    expect(population.flakyGroups).toBe(new Set(groups).size);
    const symptoms = new Set(flaky.map((t) => (t.flakiness.kind === "intermittent" ? t.flakiness.symptom : "")));
    expect(symptoms).toEqual(new Set(["race", "timeout"]));
  });

  it("runs timeout-prone tests at a good fraction of their limit, and skips a few tests for good", () => {
    for (const test of population.tests) {
      if (test.flakiness.kind === "intermittent" && test.flakiness.symptom === "timeout") {
        const limit = FRAMEWORKS[test.framework].timeoutMs;
        expect(test.duration.medianMs).toBeGreaterThanOrEqual(limit * 0.25);
        expect(test.duration.medianMs).toBeLessThan(limit * 0.55);
      }
    }
    const skipped = population.tests.filter((t) => t.skipReason !== null);
    expect(skipped.length).toBeGreaterThan(5);
    expect(skipped.length).toBeLessThan(80);
  });

  it("gives integration and e2e tests the services they need, and unit tests none", () => {
    for (const test of population.tests) {
      if (test.kind === "unit") expect(test.services).toEqual([]);
      else expect(test.services.length).toBeGreaterThan(0);
      if (test.kind === "e2e") expect(test.services).toContain("app");
      expect(test.worker).toBeLessThan(FRAMEWORKS[test.framework].workers);
    }
  });

  it("is the same for the same seed and differs for another", () => {
    expect(populationOf(11, 300).tests.map((t) => t.name)).toEqual(populationOf(11, 300).tests.map((t) => t.name));
    expect(populationOf(12, 300).tests.map((t) => t.name)).not.toEqual(populationOf(11, 300).tests.map((t) => t.name));
  });

  it("copes with tiny and huge populations", () => {
    expect(populationOf(1, 1).tests).toHaveLength(1);
    const big = populationOf(2, 20_000, 0.05);
    expect(new Set(big.tests.map((t) => `${t.suite}\u0000${t.name}\u0000${t.file}`)).size).toBe(20_000);
  });
});

describe("identifiers and layouts", () => {
  it("turns phrases into each language's identifiers, without articles", () => {
    expect(wordsOf("Returns the cached value")).toEqual(["returns", "cached", "value"]);
    expect(camelCase("returns the cached value")).toBe("returnsCachedValue");
    expect(pascalCase("tax rate calculator")).toBe("TaxRateCalculator");
    expect(snakeCase("tax rate calculator")).toBe("tax_rate_calculator");
    expect(kebabCase("tax rate calculator")).toBe("tax-rate-calculator");
  });

  it("names parameterized cases as Surefire, pytest and xUnit report them", () => {
    const parts = {
      unit: "price calculator",
      method: "roundAmount",
      outcome: "rounds to two decimals",
      condition: undefined,
      parameters: ["0.005", "EUR", "3"],
      parameterIndex: 2,
    };
    const java = SOURCE_LAYOUTS.junit5;
    expect(java.testName(parts, java.testLocation("billing", "price calculator", false)).name).toBe(
      "roundsToTwoDecimals(BigDecimal, String, int)[2]",
    );
    const python = SOURCE_LAYOUTS.pytest;
    expect(python.testName(parts, python.testLocation("pricing", "price calculator", true)).name).toBe(
      "test_rounds_to_two_decimals[0.005-EUR-3]",
    );
    const dotnet = SOURCE_LAYOUTS.xunit;
    expect(
      dotnet.testName({ ...parts, method: "RoundAmount" }, dotnet.testLocation("tax", "price calculator", false)).name,
    ).toBe('RoundAmount_RoundsToTwoDecimals(arg0: 0.005, arg1: "EUR", arg2: 3)');
    const jest = SOURCE_LAYOUTS.jest;
    expect(jest.testName(parts, jest.testLocation("web", "price calculator", false)).name).toBe(
      "roundAmount › rounds to two decimals (0.005, EUR, 3)",
    );
  });
});
