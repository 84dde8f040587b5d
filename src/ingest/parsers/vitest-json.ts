import type { ResultParser } from "../parser.js";
import { jestCompatibleFlavor, parseJestCompatible } from "./jest-compatible.js";

/**
 * Vitest `json` reporter output: Jest's shape, with `meta` and `tags` on each test and
 * the errors of every retried attempt in `failureMessages`.
 */
export const vitestJsonParser: ResultParser = {
  format: "vitest-json",
  description: "Vitest JSON report (vitest run --reporter=json --outputFile=report.json)",
  matches: (sniff) => jestCompatibleFlavor(sniff) === "vitest",
  parse: (source, sink) => parseJestCompatible(source, sink, "vitest"),
};
