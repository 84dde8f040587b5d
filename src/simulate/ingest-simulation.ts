import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { KaizenError } from "../domain/errors.js";
import type { RunMetadata } from "../domain/run-metadata.js";
import { ingestFiles, type IngestResult } from "../ingest/ingest.js";
import { addSummary, emptySummary, type ReportSummary } from "../ingest/normalize.js";
import type { RunWriter } from "../store/ports.js";
import { manifestSchema, type SimulationManifest } from "./ingest-manifest.js";

/** The name of the run manifest in a simulation's directory. */
export const MANIFEST_FILE = "runs.json";

/** One run of a simulation and what its ingest did. */
export interface IngestedRun {
  readonly run: SimulationManifest["runs"][number];
  readonly result: IngestResult;
}

/** What ingesting a whole simulation did. */
export interface SimulationIngest {
  /** One entry per run, in ingest order. */
  readonly runs: readonly IngestedRun[];
  /** Totals over every newly stored report. */
  readonly totals: ReportSummary;
  /** Runs whose report could not be read or stored. */
  readonly failed: number;
}

/** Options of {@link ingestSimulation}. */
export interface SimulationIngestOptions {
  /** Called after each run, for progress bars. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Reads and validates a simulation's `runs.json`. */
export async function readManifest(dir: string): Promise<SimulationManifest> {
  const file = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new KaizenError(
      "INPUT_UNREADABLE",
      `cannot read the simulation's run manifest: ${(cause as Error).message}`,
      { file, cause },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new KaizenError("PARSE_ERROR", `not JSON: ${(cause as Error).message}`, { file, cause });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success)
    throw new KaizenError("PARSE_ERROR", `not a simulation run manifest: ${parsed.error.message}`, { file });
  return parsed.data;
}

/**
 * Ingests a simulated history (written by `kaizen simulate`) into a store, one run at a
 * time in the order CI ran them, through the same {@link ingestFiles} as `kaizen ingest`
 * and with the metadata `ingest.sh` passes: the store ends up as if `ingest.sh` had run.
 * A report that fails is counted and reported, and the rest go on.
 *
 * @throws KaizenError `INPUT_UNREADABLE` or `PARSE_ERROR` when `runs.json` is missing or malformed.
 *
 * @example
 * ```ts
 * const store = await openStore({ sqlitePath: "history.db" });
 * const { totals } = await ingestSimulation(store, "sim");
 * ```
 */
export async function ingestSimulation(
  store: RunWriter,
  dir: string,
  options: SimulationIngestOptions = {},
): Promise<SimulationIngest> {
  const manifest = await readManifest(dir);
  const runs: IngestedRun[] = [];
  const totals = emptySummary();
  let failed = 0;
  for (const run of manifest.runs) {
    const metadata: RunMetadata = {
      project: run.project,
      provider: "local",
      ciRunId: run.ciRunId,
      attempt: run.attempt,
      commitSha: run.commit,
      branch: run.branch,
      pullRequest: null,
      job: run.job,
      workflow: null,
      url: null,
      repository: null,
      startedAt: run.startedAt,
    };
    const result = await ingestFiles(store, [{ path: run.file, explicit: true }], {
      run: metadata,
      rootDirs: [],
      cwd: dir,
    });
    addSummary(totals, result.totals);
    if (result.files.some((file) => file.status === "failed")) failed++;
    runs.push({ run, result });
    options.onProgress?.(runs.length, manifest.runs.length);
  }
  return { runs, totals, failed };
}
