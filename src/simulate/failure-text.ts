import type { Random } from "./prng.js";
import type { CodeSite } from "./source-layout.js";
import type { Service, SimulatedTest } from "./test-population.js";

/** How one failed attempt reads in a JUnit report. */
export interface FailureText {
  /** `failure` for a failed assertion, `error` for an exception or crash (Surefire's two elements). */
  readonly element: "failure" | "error";
  /** The `type` attribute, or `undefined` where the runner writes none. */
  readonly type: string | undefined;
  /** The `message` attribute; `""` leaves it out, as Surefire does for an exception without a message. */
  readonly message: string;
  /** The element's body: the stack trace or the runner's full failure text. */
  readonly body: string;
  /** Output the test printed in this attempt, or `undefined`. */
  readonly stdout?: string;
}

/** The CI machine a run executes on. */
export interface RunnerHost {
  /** Its host name (the `hostname` of the report's suites). */
  readonly hostname: string;
  /** The checkout directory, which absolute paths in stack traces start with. */
  readonly workspace: string;
  /** Whether it is a hosted runner (fresh each run) rather than a long-lived self-hosted one. */
  readonly hosted: boolean;
}

/** One failed attempt of one test, with what its text is made of. */
export interface Occurrence {
  readonly test: SimulatedTest;
  /** 1-based attempt of the test within its run. */
  readonly attempt: number;
  /** How long the attempt took, in ms. */
  readonly durationMs: number;
  /** When the attempt started (ms since the epoch). */
  readonly startedAt: number;
  readonly runner: RunnerHost;
  /** The code revision the run built; line numbers drift with it. */
  readonly revision: number;
  /** Values that vary from one occurrence to the next (ports, ids, paths). */
  readonly random: Random;
  /** Values fixed for this root cause and test: the same test fails the same way each time. */
  readonly stable: Random;
}

/** Renders one occurrence of a root cause. */
export type Renderer = (occurrence: Occurrence) => FailureText;

/** The text side of a root cause: what it is, and how each occurrence of it reads. */
export interface CauseText {
  /** One line for people reading the ground truth. */
  readonly summary: string;
  readonly render: Renderer;
}

/** An infrastructure fault that fails every affected test of a run the same way. */
export type InfrastructureFault =
  | {
      readonly kind: "connection-refused";
      readonly service: Service;
      readonly host: string;
      readonly ip: string;
      readonly port: number;
    }
  | { readonly kind: "dns"; readonly service: Service; readonly host: string; readonly port: number }
  | { readonly kind: "oom-killed" }
  | { readonly kind: "disk-full"; readonly mount: string };

/** What is missing from a broken CI environment. */
export type EnvironmentKind = "missing-module" | "missing-binary" | "missing-env-var";

/** The failure texts of one runner and its language, by category. */
export interface FrameworkTexts {
  /** Product code at `site` misbehaves (a wrong value, an exception thrown from it). */
  regression(random: Random, site: CodeSite): CauseText;
  /** An order or timing dependency: fails now and then, passes on retry. */
  flaky(random: Random, site: CodeSite): CauseText;
  /** The test exceeds its time limit of `limitMs`. */
  timeout(random: Random, limitMs: number): CauseText;
  /** The test's own code is wrong (a TypeError in the test file, a missing fixture). */
  testBug(random: Random): CauseText;
  /** The CI environment lacks something the tests need. */
  environment(random: Random, kind: EnvironmentKind): CauseText;
  /** How this runner's tests fail during an infrastructure fault. */
  infrastructure(fault: InfrastructureFault): Renderer;
}

/** Indents every line of `text` by `prefix`. */
export function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => (line === "" ? line : `${prefix}${line}`))
    .join("\n");
}

/** The default port of a service. */
export const SERVICE_PORTS: Readonly<Record<Service, number>> = {
  postgres: 5432,
  redis: 6379,
  kafka: 9092,
  "payments-api": 443,
  app: 3000,
};
