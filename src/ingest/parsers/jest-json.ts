import type { ResultParser } from "../parser.js";
import { jestCompatibleFlavor, parseJestCompatible } from "./jest-compatible.js";

/**
 * `jest --json` reports (and Jest's `AggregatedResult` saved as is): one test per
 * `assertionResults` entry, retries from jest-circus `invocations`/`retryReasons`, and a
 * suite failure for each test file that could not run.
 */
export const jestJsonParser: ResultParser = {
  format: "jest-json",
  description: "Jest JSON report (jest --json --outputFile=report.json)",
  matches: (sniff) => jestCompatibleFlavor(sniff) === "jest",
  parse: (source, sink) => parseJestCompatible(source, sink, "jest"),
};
