import type { NormalizedTestResult } from "../domain/test-result.js";
import type { ReportOutcome } from "../store/ports.js";
import { ReportNormalizer } from "./normalize.js";
import type { ResultParser, ReportSource } from "./parser.js";

/**
 * Parses a report and normalizes its records, handing each result to `emit` (awaited, so a
 * slow consumer holds the parser back). The one pipeline behind `ingest` and `parse`.
 */
export async function runParse(
  source: ReportSource,
  parser: ResultParser,
  options: { project: string; rootDirs: readonly string[] },
  emit: (result: NormalizedTestResult) => Promise<void> | void,
): Promise<ReportOutcome> {
  const normalizer = new ReportNormalizer({ project: options.project, rootDirs: options.rootDirs });
  await parser.parse(source, {
    emit: (record) => {
      const result = normalizer.accept(record);
      return result === undefined ? undefined : emit(result);
    },
  });
  return { summary: normalizer.summary(), info: normalizer.reportInfo() };
}
