import { FRAMEWORK_NAMES, FRAMEWORKS, type Framework, type Language, type TestKind } from "./frameworks.js";
import type { Random } from "./prng.js";
import { SOURCE_LAYOUTS, type CodeSite, type ProductionMethod, type ProductionUnit } from "./source-layout.js";
import {
  COMPONENTS,
  CONDITIONS,
  JOURNEY_GROUPS,
  JOURNEYS,
  METHOD_OBJECTS,
  NOUNS,
  OUTCOMES,
  ROLES,
  VERBS,
} from "./vocabulary.js";

/** What a test talks to; an outage of one fails the tests that need it. */
export type Service = "postgres" | "redis" | "kafka" | "payments-api" | "app";

/** How a test fails without any code change. */
export type Flakiness =
  | { readonly kind: "stable" }
  | {
      readonly kind: "intermittent";
      /** The probability that one attempt fails. */
      readonly rate: number;
      /** `race`: an order or timing dependency; `timeout`: the test runs close to its time limit. */
      readonly symptom: "race" | "timeout";
      /** Tests of one group share one root cause (a shared fixture, a port they all bind). */
      readonly group: number;
    };

/** How long a test takes when it passes: log-normal, per test. */
export interface DurationModel {
  /** Median duration in ms. */
  readonly medianMs: number;
  /** Standard deviation of the logarithm of the duration. */
  readonly sigma: number;
}

/** One test of the simulated repository, stable across the whole history. */
export interface SimulatedTest {
  /** Position in the population and in every run's report. */
  readonly index: number;
  readonly framework: Framework;
  readonly language: Language;
  readonly kind: TestKind;
  /** The component (service, package, app) it belongs to. */
  readonly component: string;
  /** The `<testsuite>` name and the testcase's `classname`; Kaizen stores it as the test's suite. */
  readonly suite: string;
  /** The testcase's name. */
  readonly name: string;
  /** Repository-relative test file. */
  readonly file: string;
  /** The line the test starts on. */
  readonly line: number;
  /** The test function as stack frames name it. */
  readonly testFunction: string;
  /** The production code it exercises. */
  readonly subject: CodeSite;
  /** Services it needs at run time. */
  readonly services: readonly Service[];
  /** The runner's worker (shard) it runs in. */
  readonly worker: number;
  readonly duration: DurationModel;
  readonly flakiness: Flakiness;
  /** Why it is always skipped, or `null` for a test that runs. */
  readonly skipReason: string | null;
}

/** A component and its production code. */
export interface Component {
  readonly framework: Framework;
  readonly name: string;
  readonly units: readonly ProductionUnit[];
  /** Indices of its tests in the population. */
  readonly tests: readonly number[];
}

/** The tests of a simulated repository and the code they exercise. */
export interface Population {
  readonly tests: readonly SimulatedTest[];
  readonly components: readonly Component[];
  /** How many flaky groups (shared or single-test root causes) the intermittent tests form. */
  readonly flakyGroups: number;
}

/** What a population is built from. */
export interface PopulationOptions {
  /** Tests in total. */
  readonly tests: number;
  /** Share of the tests (that are not skipped) that fail intermittently. */
  readonly flakyShare: number;
}

const SKIP_REASONS = [
  "flaky on CI, see ACME-2291",
  "requires a GPU runner",
  "TODO: re-enable after the v2 migration",
  "disabled until the payments sandbox is back",
  "known issue ACME-1874",
];

const PLAYWRIGHT_CONDITIONS = ["on mobile", "with a slow network", "as a returning customer", "in dark mode"];

const PARAMETER_SETS: readonly (readonly string[])[] = [
  ["0.005", "0.01"],
  ["19.99", "EUR"],
  ["100", "USD"],
  ["de-DE", "1.234,50"],
  ["-1", "rejected"],
  ["0", "free"],
  ["3", "split"],
];

/** Largest-remainder split of `total` by the frameworks' shares. */
function countsByFramework(total: number): Map<Framework, number> {
  const exact = FRAMEWORK_NAMES.map((f) => [f, FRAMEWORKS[f].share * total] as const);
  const counts = new Map(exact.map(([f, x]) => [f, Math.floor(x)]));
  let left = total - [...counts.values()].reduce((a, b) => a + b, 0);
  const byRemainder = [...exact].sort((a, b) => b[1] - Math.floor(b[1]) - (a[1] - Math.floor(a[1])));
  for (const [f] of byRemainder) {
    if (left-- <= 0) break;
    counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  return counts;
}

/** Picks names from `pool` until one is new; after a few tries, numbers the last one. */
function fresh(random: Random, used: Set<string>, make: () => string): string {
  for (let i = 0; i < 8; i++) {
    const name = make();
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
  const base = make();
  let n = 2;
  while (used.has(`${base} ${n}`)) n += random.int(1, 3);
  used.add(`${base} ${n}`);
  return `${base} ${n}`;
}

function methodsOf(random: Random, framework: Framework): ProductionMethod[] {
  const layout = SOURCE_LAYOUTS[framework];
  const used = new Set<string>();
  const count = random.int(3, 6);
  const methods: ProductionMethod[] = [];
  let line = random.int(12, 40);
  for (let i = 0; i < count; i++) {
    const phrase = fresh(random, used, () => `${random.pick(VERBS)} ${random.pick(METHOD_OBJECTS)}`.trim());
    methods.push({ name: layout.methodName(phrase), line, column: random.int(5, 24) });
    line += random.int(9, 70);
  }
  return methods;
}

function servicesOf(random: Random, framework: Framework, kind: TestKind): Service[] {
  if (kind === "unit") return [];
  if (kind === "e2e") return random.chance(0.6) ? ["app", "postgres"] : ["app"];
  const services: Service[] = [];
  if (random.chance(0.7)) services.push("postgres");
  if (random.chance(0.3)) services.push("redis");
  if ((framework === "junit5" || framework === "go-test") && random.chance(0.3)) services.push("kafka");
  if (random.chance(0.15)) services.push("payments-api");
  return services.length === 0 ? ["postgres"] : services;
}

/** Mutable while the population is built; frozen into {@link SimulatedTest} at the end. */
type Draft = Omit<SimulatedTest, "flakiness" | "skipReason"> & { skipReason: string | null };

function kindOf(random: Random, framework: Framework): TestKind {
  if (framework === "playwright") return "e2e";
  return random.chance(FRAMEWORKS[framework].integrationShare) ? "integration" : "unit";
}

/** Builds one component's suites and tests, appending them to `drafts`. */
function buildComponent(random: Random, framework: Framework, name: string, count: number, drafts: Draft[]): Component {
  const layout = SOURCE_LAYOUTS[framework];
  const profile = FRAMEWORKS[framework];
  const unitNames = new Set<string>();
  const units: ProductionUnit[] = [];
  const tests: number[] = [];
  const suites = new Set<string>();
  const newUnit = (): { unit: ProductionUnit; phrase: string } => {
    const phrase = fresh(random, unitNames, () =>
      framework === "playwright" ? random.pick(NOUNS) : `${random.pick(NOUNS)} ${random.pick(ROLES)}`,
    );
    const unit = layout.unit(name, phrase, methodsOf(random, framework));
    units.push(unit);
    return { unit, phrase };
  };
  while (tests.length < count) {
    const kind = kindOf(random, framework);
    let unit: ProductionUnit;
    let phrase: string;
    if (framework === "playwright") {
      // A Playwright spec is named after its journey group and drives page objects the area shares.
      phrase = fresh(random, suites, () => random.pick(JOURNEY_GROUPS));
      unit = units.length > 0 && random.chance(0.5) ? random.pick(units) : newUnit().unit;
    } else ({ unit, phrase } = newUnit());
    const location = layout.testLocation(name, phrase, kind === "integration");
    const size = Math.min(count - tests.length, 1 + random.geometric(0.18, 24));
    const worker = random.int(0, profile.workers - 1);
    const names = new Set<string>();
    let line = random.int(8, 30);
    for (let i = 0; i < size; i++) {
      const method = random.pick(unit.methods);
      const parameterized = framework !== "playwright" && random.chance(0.08);
      const parts = {
        unit: phrase,
        method: framework === "playwright" ? phrase : method.name,
        outcome: framework === "playwright" ? random.pick(JOURNEYS) : random.pick(OUTCOMES),
        condition:
          framework === "playwright"
            ? random.chance(0.25)
              ? random.pick(PLAYWRIGHT_CONDITIONS)
              : undefined
            : random.chance(0.55)
              ? random.pick(CONDITIONS)
              : undefined,
        parameters: parameterized ? random.pick(PARAMETER_SETS) : undefined,
        parameterIndex: random.int(1, 4),
      };
      let named = layout.testName(parts, location);
      for (let attempt = 0; names.has(named.name) && attempt < 20; attempt++) {
        named = layout.testName(
          { ...parts, outcome: random.pick(OUTCOMES), condition: random.pick(CONDITIONS) },
          location,
        );
      }
      if (names.has(named.name)) named = { ...named, name: `${named.name} [${i + 1}]` };
      names.add(named.name);
      const index = drafts.length;
      const medianMs =
        (kind === "integration" ? profile.integrationMedianMs : profile.unitMedianMs) * random.logNormal(1, 0.7);
      drafts.push({
        index,
        framework,
        language: profile.language,
        kind,
        component: name,
        suite: location.suite,
        name: named.name,
        file: location.file,
        line,
        testFunction: named.testFunction,
        subject: { unit, method },
        services: servicesOf(random, framework, kind),
        worker,
        duration: { medianMs, sigma: random.between(0.2, 0.75) },
        skipReason: null,
      });
      tests.push(index);
      line += random.int(6, 45);
    }
  }
  return { framework, name, units, tests };
}

/** Efraimidis–Spirakis: `count` indices drawn without replacement, with probability by weight. */
function weightedSample(random: Random, weights: readonly number[], count: number): number[] {
  return weights
    .map((weight, index) => ({ index, key: weight <= 0 ? -1 : Math.pow(random.float(), 1 / weight) }))
    .filter((entry) => entry.key >= 0)
    .sort((a, b) => b.key - a.key || a.index - b.index)
    .slice(0, count)
    .map((entry) => entry.index);
}

/** A per-attempt flake rate: mostly between 1% and 30% (log-uniform), a few very low. */
function flakeRate(random: Random): number {
  if (random.chance(0.15)) return Math.round(random.between(0.001, 0.008) * 10_000) / 10_000;
  return Math.round(Math.exp(random.between(Math.log(0.01), Math.log(0.3))) * 10_000) / 10_000;
}

const TIMEOUT_SHARE: Readonly<Record<Framework, number>> = {
  jest: 0.3,
  vitest: 0.3,
  playwright: 0.45,
  junit5: 0.2,
  pytest: 0.2,
  "go-test": 0.25,
  xunit: 0.2,
};

/**
 * Builds the test population: tests split over the frameworks by their shares, grouped in
 * components, suites (classes, files) and methods under test, with log-normal durations,
 * the services they need, a few always-skipped tests and a share of intermittent ones.
 */
export function buildPopulation(random: Random, options: PopulationOptions): Population {
  const drafts: Draft[] = [];
  const components: Component[] = [];
  for (const [framework, count] of countsByFramework(options.tests)) {
    if (count === 0) continue;
    const stream = random.fork("framework", framework);
    const pool = stream.sample(
      COMPONENTS[framework],
      Math.max(1, Math.min(COMPONENTS[framework].length, Math.ceil(count / 40))),
    );
    pool.forEach((name, i) => {
      const share = Math.floor(count / pool.length) + (i < count % pool.length ? 1 : 0);
      if (share > 0) components.push(buildComponent(stream.fork("component", name), framework, name, share, drafts));
    });
  }
  const skipStream = random.fork("skipped");
  for (const draft of drafts) if (skipStream.chance(0.015)) draft.skipReason = skipStream.pick(SKIP_REASONS);
  const flakyStream = random.fork("flaky");
  const runnable = drafts.filter((draft) => draft.skipReason === null);
  const weights = runnable.map((draft) => (draft.kind === "e2e" ? 4 : draft.kind === "integration" ? 2.5 : 1));
  const chosen = weightedSample(flakyStream, weights, Math.round(options.flakyShare * runnable.length))
    .map((i) => (runnable[i] as Draft).index)
    .sort((a, b) => a - b);
  const flakiness = new Map<number, Flakiness>();
  const sharedGroups = new Map<Framework, number>();
  let groups = 0;
  for (const index of chosen) {
    const draft = drafts[index] as Draft;
    const symptom = flakyStream.chance(TIMEOUT_SHARE[draft.framework]) ? "timeout" : "race";
    let group: number;
    if (symptom === "race" && flakyStream.chance(0.25)) {
      // Tests of one framework that share a fixture share the cause of their flakes.
      group = sharedGroups.get(draft.framework) ?? groups++;
      sharedGroups.set(draft.framework, group);
    } else group = groups++;
    flakiness.set(index, { kind: "intermittent", rate: flakeRate(flakyStream), symptom, group });
  }
  const tests = drafts.map((draft): SimulatedTest => {
    const flaky = flakiness.get(draft.index) ?? { kind: "stable" };
    if (flaky.kind === "intermittent" && flaky.symptom === "timeout") {
      // A test that times out now and then runs at a good fraction of its limit when it passes.
      const limit = FRAMEWORKS[draft.framework].timeoutMs;
      return {
        ...draft,
        flakiness: flaky,
        duration: { medianMs: limit * flakyStream.between(0.25, 0.55), sigma: flakyStream.between(0.15, 0.35) },
      };
    }
    return { ...draft, flakiness: flaky };
  });
  return { tests, components, flakyGroups: groups };
}
