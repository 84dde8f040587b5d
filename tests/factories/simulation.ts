import { faker } from "@faker-js/faker";
import { Factory } from "fishery";
import { SIMULATION_EPOCH } from "../../src/simulate/ci-history.js";
import type { Occurrence, RunnerHost } from "../../src/simulate/failure-text.js";
import { Random } from "../../src/simulate/prng.js";
import { buildPopulation, type Population, type SimulatedTest } from "../../src/simulate/test-population.js";

/** CI runners: hosted VMs with a fresh name, or one of the self-hosted machines. */
export const runnerFactory = Factory.define<RunnerHost>(({ sequence }) =>
  sequence % 3 === 0
    ? {
        hostname: `ci-builder-0${(sequence % 4) + 1}`,
        workspace: "/opt/actions-runner/_work/platform/platform",
        hosted: false,
      }
    : {
        hostname: `fv-az${faker.number.int({ min: 100, max: 999 })}-${faker.number.int({ min: 100, max: 999 })}`,
        workspace: "/home/runner/work/platform/platform",
        hosted: true,
      },
);

/** The plain parts of an occurrence; {@link occurrenceOf} adds the test and the random streams. */
export interface OccurrenceSpec {
  readonly attempt: number;
  readonly durationMs: number;
  readonly startedAt: number;
  readonly runner: RunnerHost;
  readonly revision: number;
  /** Seed of the occurrence's own stream: two specs with different seeds vary their values. */
  readonly seed: number;
}

/** Failed attempts at varied times, revisions and runners. */
export const occurrenceSpecFactory = Factory.define<OccurrenceSpec>(({ sequence }) => ({
  attempt: faker.number.int({ min: 1, max: 3 }),
  durationMs: faker.number.float({ min: 1, max: 9000, fractionDigits: 3 }),
  startedAt: SIMULATION_EPOCH + sequence * 3_600_000 + faker.number.int({ min: 0, max: 3_000_000 }),
  runner: runnerFactory.build(),
  revision: faker.number.int({ min: 0, max: 400 }),
  seed: sequence,
}));

/** An occurrence of a cause in `test`; `stableKey` fixes the values that stay put between occurrences. */
export function occurrenceOf(
  test: SimulatedTest,
  spec: OccurrenceSpec = occurrenceSpecFactory.build(),
  stableKey = "cause",
): Occurrence {
  return {
    test,
    attempt: spec.attempt,
    durationMs: spec.durationMs,
    startedAt: spec.startedAt,
    runner: spec.runner,
    revision: spec.revision,
    random: Random.fromSeed(spec.seed).fork("occurrence"),
    stable: Random.fromSeed(0).fork(stableKey, test.index),
  };
}

/** A population for tests: seeded, so that a failing test can be replayed. */
export function populationOf(seed: number, tests = 400, flakyShare = 0.1): Population {
  return buildPopulation(Random.fromSeed(seed).fork("population"), { tests, flakyShare });
}
