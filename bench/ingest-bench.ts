import type { RunMetadata } from "../dist/domain/run-metadata.js";
import { ReportNormalizer } from "../dist/ingest/normalize.js";
import { ingestFiles } from "../dist/ingest/ingest.js";
import { junitXmlParser } from "../dist/ingest/parsers/junit-xml.js";
import { fileSource } from "../dist/ingest/report-source.js";
import { openStore, type StoreLocation } from "../dist/store/open-store.js";

/** The metadata of a bench's CI run: project `bench`, on `main`. */
export function benchRun(ciRunId: string, commitSha: string | null = null): RunMetadata {
  return {
    project: "bench",
    provider: "local",
    ciRunId,
    attempt: 1,
    commitSha,
    branch: "main",
    pullRequest: null,
    job: null,
    workflow: null,
    url: null,
    repository: null,
    startedAt: null,
  };
}

/** Times the JUnit parser alone, then with normalization, over one file. */
export async function benchParse(
  path: string,
): Promise<{ parseSeconds: number; normalizeSeconds: number; records: number }> {
  const source = await fileSource(path);
  let records = 0;
  let start = performance.now();
  await junitXmlParser.parse(source, {
    emit: (record) => {
      if (record.kind === "case") records++;
    },
  });
  const parseSeconds = (performance.now() - start) / 1000;
  const normalizer = new ReportNormalizer({ project: "bench" });
  start = performance.now();
  await junitXmlParser.parse(source, { emit: (record) => void normalizer.accept(record) });
  normalizer.summary();
  return { parseSeconds, normalizeSeconds: (performance.now() - start) / 1000, records };
}

/** What one timed ingest stored, and how fast. */
export interface IngestFigure {
  readonly seconds: number;
  readonly results: number;
  readonly resultsPerSecond: number;
}

/** The timed ingests of one {@link benchIngest}, and the close of the store after them. */
export interface IngestBench {
  readonly runs: IngestFigure[];
  /**
   * Closing the store after the last ingest: on SQLite it waits for the checkpoint thread to
   * copy the last report's log into the database file, which no ingest's time includes.
   */
  readonly closeSeconds: number;
}

/**
 * Times whole `ingest`s (sniff, hash, artifact, parse, normalize, store) into a fresh store,
 * one per report of `paths`, each in a run of its own: the first ingest meets only new tests,
 * the later ones find them known, as every CI run after the first does. Reports of the same
 * tests with other outcomes and times are new bytes, as every CI run's report is, so each
 * ingest also compresses and stores its raw report. Then times closing the store.
 */
export async function benchIngest(
  paths: readonly string[],
  location: StoreLocation,
  firstRun = 1,
): Promise<IngestBench> {
  const store = await openStore(location);
  const figures: IngestFigure[] = [];
  let closing = false;
  try {
    for (const [i, path] of paths.entries()) {
      const start = performance.now();
      const outcome = await ingestFiles(store, [{ path, explicit: true }], {
        run: benchRun(`bench-${firstRun + i}`),
        rootDirs: [],
      });
      const seconds = (performance.now() - start) / 1000;
      const file = outcome.files[0];
      if (file?.status !== "stored") throw new Error(`bench ingest failed: ${JSON.stringify(file)}`);
      figures.push({ seconds, results: outcome.totals.attempts, resultsPerSecond: outcome.totals.attempts / seconds });
    }
    closing = true;
    const start = performance.now();
    await store.close();
    return { runs: figures, closeSeconds: (performance.now() - start) / 1000 };
  } finally {
    if (!closing) await store.close();
  }
}
