import { KaizenError } from "../domain/errors.js";
import type { SimulationParameters } from "./ground-truth.js";
import { MAX_RERUNS } from "./run-execution.js";

/** What a simulation may be asked for; anything left out takes its default. */
export interface SimulationOptions {
  /** The PRNG seed: the same options and seed give byte-identical output. */
  readonly seed?: number;
  /** CI runs (pushes); re-run attempts come on top. */
  readonly runs?: number;
  /** Tests in the population. */
  readonly tests?: number;
  /** Share of the tests that fail intermittently. */
  readonly flakyShare?: number;
  /** Regressions introduced (and most of them later fixed). */
  readonly regressions?: number;
  /** Test bugs introduced. */
  readonly testBugs?: number;
  /** Infrastructure outages. */
  readonly outages?: number;
  /** Broken self-hosted runners. */
  readonly environmentProblems?: number;
  /** Share of the runs on pull-request branches. */
  readonly prShare?: number;
  /** The Kaizen project key `ingest.sh` stores the history under. */
  readonly project?: string;
}

/** The defaults: a history that simulates in a few seconds. */
export const SIMULATION_DEFAULTS = {
  seed: 1,
  runs: 200,
  tests: 300,
  flakyShare: 0.06,
  prShare: 0.4,
  project: "acme-platform",
} as const;

/** The largest sizes accepted: enough for a benchmark, not enough to fill a disk by a typo. */
const LIMITS = { runs: 100_000, tests: 100_000, incidents: 10_000 } as const;

/** A validated simulation: its seed and every parameter resolved. */
export interface ResolvedSimulation {
  readonly seed: number;
  readonly parameters: SimulationParameters;
}

/** Names an option in an error message; the CLI passes one that names its flags. */
export type OptionNamer = (option: keyof SimulationOptions) => string;

function integer(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new KaizenError("USAGE", `${name} must be an integer from ${min} to ${max}, got ${value}`);
  return value;
}

function share(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 1)
    throw new KaizenError("USAGE", `${name} must be a number from 0 to 1, got ${value}`);
  return value;
}

/**
 * Fills in defaults and checks ranges. Incident counts scale with the history when not
 * given: a regression per 50 runs, an outage and a test bug per 100, a broken runner per 150,
 * at least one of each.
 *
 * @throws KaizenError `USAGE` naming the option when a value is out of range.
 */
export function resolveSimulation(
  options: SimulationOptions,
  nameOf: OptionNamer = (option) => option,
): ResolvedSimulation {
  const runs = integer(nameOf("runs"), options.runs ?? SIMULATION_DEFAULTS.runs, 1, LIMITS.runs);
  const scaled = (key: "regressions" | "testBugs" | "outages" | "environmentProblems", per: number) =>
    integer(nameOf(key), options[key] ?? Math.max(1, Math.round(runs / per)), 0, LIMITS.incidents);
  const project = options.project ?? SIMULATION_DEFAULTS.project;
  if (project.trim() === "") throw new KaizenError("USAGE", `${nameOf("project")} must not be empty`);
  return {
    seed: integer(nameOf("seed"), options.seed ?? SIMULATION_DEFAULTS.seed, 0, Number.MAX_SAFE_INTEGER),
    parameters: {
      runs,
      tests: integer(nameOf("tests"), options.tests ?? SIMULATION_DEFAULTS.tests, 1, LIMITS.tests),
      flakyShare: share(nameOf("flakyShare"), options.flakyShare ?? SIMULATION_DEFAULTS.flakyShare),
      regressions: scaled("regressions", 50),
      testBugs: scaled("testBugs", 100),
      outages: scaled("outages", 100),
      environmentProblems: scaled("environmentProblems", 150),
      prShare: share(nameOf("prShare"), options.prShare ?? SIMULATION_DEFAULTS.prShare),
      project,
      maxReruns: MAX_RERUNS,
    },
  };
}
