import { ReportNormalizer } from "../src/ingest/normalize.js";
import { ingestFiles } from "../src/ingest/ingest.js";
import { junitXmlParser } from "../src/ingest/parsers/junit-xml.js";
import { fileSource } from "../src/ingest/report-source.js";
import { openStore, type StoreLocation } from "../src/store/open-store.js";

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

/** Times a whole `ingest` of one file (sniff, hash, artifact, parse, normalize, store) into a fresh store. */
export async function benchIngest(
  path: string,
  location: StoreLocation,
): Promise<{ seconds: number; results: number; resultsPerSecond: number }> {
  const store = await openStore(location);
  try {
    const start = performance.now();
    const outcome = await ingestFiles(store, [{ path, explicit: true }], {
      run: {
        project: "bench",
        provider: "local",
        ciRunId: `bench-${Date.now()}`,
        attempt: 1,
        commitSha: null,
        branch: "main",
        pullRequest: null,
        job: null,
        workflow: null,
        url: null,
        repository: null,
        startedAt: null,
      },
      rootDirs: [],
    });
    const seconds = (performance.now() - start) / 1000;
    const file = outcome.files[0];
    if (file?.status !== "stored") throw new Error(`bench ingest failed: ${JSON.stringify(file)}`);
    return { seconds, results: outcome.totals.attempts, resultsPerSecond: outcome.totals.attempts / seconds };
  } finally {
    await store.close();
  }
}
