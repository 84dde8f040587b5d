/** The test runners a simulated repository uses; each writes its own flavour of failure text. */
export type Framework = "jest" | "vitest" | "playwright" | "junit5" | "pytest" | "go-test" | "xunit";

/** The languages of the simulated repository. */
export type Language = "typescript" | "java" | "python" | "go" | "csharp";

/** What a test exercises: the kind decides its durations and whether it needs services. */
export type TestKind = "unit" | "integration" | "e2e";

/** What one runner looks like in the simulated repository. */
export interface FrameworkProfile {
  /** The language its tests are written in. */
  readonly language: Language;
  /** Its share of the test population. */
  readonly share: number;
  /** Share of its tests that are integration tests (the rest are unit tests; Playwright's are all e2e). */
  readonly integrationShare: number;
  /** Median duration of a unit (or e2e) test, in ms. */
  readonly unitMedianMs: number;
  /** Median duration of an integration test, in ms. */
  readonly integrationMedianMs: number;
  /** The per-test time limit a timeout-prone test runs against, in ms (the runner's default or a usual setting). */
  readonly timeoutMs: number;
  /** Worker processes the runner shards its tests over (an OOM-killed worker fails its shard). */
  readonly workers: number;
}

/** Every framework's profile; shares add up to 1. */
export const FRAMEWORKS: Readonly<Record<Framework, FrameworkProfile>> = {
  jest: {
    language: "typescript",
    share: 0.2,
    integrationShare: 0.15,
    unitMedianMs: 14,
    integrationMedianMs: 350,
    timeoutMs: 5000,
    workers: 4,
  },
  vitest: {
    language: "typescript",
    share: 0.14,
    integrationShare: 0.1,
    unitMedianMs: 6,
    integrationMedianMs: 220,
    timeoutMs: 5000,
    workers: 4,
  },
  playwright: {
    language: "typescript",
    share: 0.08,
    integrationShare: 0,
    unitMedianMs: 3800,
    integrationMedianMs: 3800,
    timeoutMs: 30000,
    workers: 2,
  },
  junit5: {
    language: "java",
    share: 0.24,
    integrationShare: 0.3,
    unitMedianMs: 22,
    integrationMedianMs: 900,
    timeoutMs: 10000,
    workers: 2,
  },
  pytest: {
    language: "python",
    share: 0.17,
    integrationShare: 0.25,
    unitMedianMs: 9,
    integrationMedianMs: 420,
    timeoutMs: 30000,
    workers: 4,
  },
  "go-test": {
    language: "go",
    share: 0.11,
    integrationShare: 0.2,
    unitMedianMs: 2,
    integrationMedianMs: 160,
    timeoutMs: 5000,
    workers: 2,
  },
  xunit: {
    language: "csharp",
    share: 0.06,
    integrationShare: 0.2,
    unitMedianMs: 18,
    integrationMedianMs: 650,
    timeoutMs: 10000,
    workers: 2,
  },
};

/** Every framework, in the order the population lists them. */
export const FRAMEWORK_NAMES: readonly Framework[] = [
  "jest",
  "vitest",
  "playwright",
  "junit5",
  "pytest",
  "go-test",
  "xunit",
];
