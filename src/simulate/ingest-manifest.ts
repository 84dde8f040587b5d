import { z } from "zod";
import { FileSink } from "./file-sink.js";
import type { GroundTruthRun } from "./ground-truth.js";

/** Version of `runs.json`. */
export const MANIFEST_VERSION = 1;

/** The schema of one entry of `runs.json`: the metadata `kaizen ingest` is given for one report. */
const runSchema = z.object({
  file: z.string().min(1),
  project: z.string().min(1),
  ciRunId: z.string().min(1),
  attempt: z.number().int().positive(),
  commit: z.string().min(1),
  branch: z.string().min(1),
  pullRequest: z.number().int().nullable(),
  job: z.string().min(1),
  startedAt: z.iso.datetime(),
  runner: z.string(),
});

/** The schema of `runs.json`, read back by {@link ingestSimulation} (it is a file on disk like any other input). */
export const manifestSchema = z.object({
  version: z.literal(MANIFEST_VERSION),
  project: z.string().min(1),
  runs: z.array(runSchema),
});

/** The content of `runs.json`. */
export type SimulationManifest = z.infer<typeof manifestSchema>;

/** A word for a POSIX shell, quoted: `'it'\''s'`. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The start of `ingest.sh`. */
export const INGEST_SCRIPT_HEAD = `#!/bin/sh
# Ingests this simulated CI history into Kaizen, one run at a time, in the order CI ran them.
#   ./ingest.sh                      # into .kaizen/kaizen.db of the current directory
#   ./ingest.sh --db history.db      # any further flags go to every kaizen ingest
#   KAIZEN="node dist/cli/bin.js" ./ingest.sh   # a Kaizen that is not on the PATH
set -eu
DIR=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
KAIZEN=\${KAIZEN:-kaizen}
`;

/** The line of `ingest.sh` that ingests one run. */
export function ingestCommandLine(run: GroundTruthRun): string {
  const pairs: readonly (readonly [string, string])[] = [
    ["--project", run.project],
    ["--run-id", run.ciRunId],
    ["--attempt", String(run.attempt)],
    ["--commit", run.commit],
    ["--branch", run.branch],
    ["--job", run.job],
    ["--started-at", run.startedAt],
  ];
  const flags = pairs.map(([flag, value]) => `${flag} ${shellQuote(value)}`).join(" ");
  return `$KAIZEN ingest "$DIR"/${shellQuote(run.file)} ${flags} "$@"\n`;
}

/** Writes `runs.json`: the project and every run, one per line, in ingest order. */
export async function writeManifest(path: string, project: string, runs: readonly GroundTruthRun[]): Promise<void> {
  const sink = await FileSink.open(path);
  await sink.write(`{\n  "version": ${MANIFEST_VERSION},\n  "project": ${JSON.stringify(project)},\n  "runs": [`);
  for (let i = 0; i < runs.length; i++) await sink.write(`${i === 0 ? "\n" : ",\n"}    ${JSON.stringify(runs[i])}`);
  await sink.write(runs.length === 0 ? "]\n}\n" : "\n  ]\n}\n");
  await sink.close();
}
