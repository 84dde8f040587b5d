import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { RunMetadata } from "../../../src/domain/run-metadata.js";
import { ingestFiles, type IngestOptions } from "../../../src/ingest/ingest.js";
import { parseInWorker } from "../../../src/ingest/threaded-parse.js";
import { junitCaseFactory, junitSuiteFactory, renderJunitReport } from "../../factories/junit-xml.js";
import { dialectsUnderTest, freshStore } from "../../support/store-dialects.js";

// The worker runs the built code: Node cannot start a TypeScript worker, and `npm test` builds first.
const workerFile = join(import.meta.dirname, "../../../dist/ingest/parse-worker.js");
if (!existsSync(workerFile)) throw new Error(`${workerFile} is missing: run \`npm run build\` first`);
const worker = { url: pathToFileURL(workerFile), minBytes: 0 };

const dir = mkdtempSync(join(tmpdir(), "kaizen-threaded-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const run = (ciRunId: string): RunMetadata => ({
  project: "acme/shop",
  provider: "github-actions",
  ciRunId,
  attempt: 1,
  commitSha: null,
  branch: "main",
  pullRequest: null,
  job: null,
  workflow: null,
  url: null,
  repository: null,
  startedAt: null,
});

/** A report of several thousand tests (more batches than the worker may have in flight), with failures and reruns. */
function bigReport(): string {
  const path = join(dir, `report-${Math.random().toString(36).slice(2)}.xml`);
  const suites = junitSuiteFactory.buildList(6, {
    cases: [
      ...junitCaseFactory.buildList(1200),
      junitCaseFactory.build({ outcome: "failed" }),
      junitCaseFactory.build({ outcome: "passed", flaky: 1 }),
      junitCaseFactory.build({ outcome: "error", reruns: 2 }),
    ],
  });
  writeFileSync(path, renderJunitReport(suites));
  return path;
}

const options = (ciRunId: string, parseWorker: IngestOptions["parseWorker"]): IngestOptions => ({
  run: run(ciRunId),
  rootDirs: [],
  parseWorker,
});

describe.each(dialectsUnderTest())("ingest with parsing on a worker thread ($name)", (dialect) => {
  afterAll(() => dialect.cleanup());

  it("stores exactly what in-thread ingest stores", async () => {
    const report = bigReport();
    const store = await freshStore(dialect);
    try {
      const inThread = await ingestFiles(store, [{ path: report, explicit: true }], options("a", false));
      const threaded = await ingestFiles(store, [{ path: report, explicit: true }], options("b", worker));
      expect(threaded.files[0]?.status).toBe("stored");
      expect(threaded.totals).toEqual(inThread.totals);
      expect(threaded.totals.tests).toBe(6 * 1203);
      expect(threaded.totals.attempts).toBe(6 * (1203 + 3));
      const byRun = async (result: typeof inThread) => {
        const tests = await store.listTests({
          runId: result.files[0]?.status === "stored" ? result.files[0].runId : -1,
        });
        // The two ingests went to two runs; everything else must match.
        return tests.map((test) => ({ ...test, lastRunId: 0 }));
      };
      expect(await byRun(threaded)).toEqual(await byRun(inThread));
    } finally {
      await store.close();
    }
  });

  it("reports a broken file with its line and stores nothing of it", async () => {
    const report = bigReport();
    const broken = join(dir, "broken.xml");
    // Cut in the middle: the worker has posted and stored batches before it meets the end.
    const text = readFileSync(report, "utf8");
    writeFileSync(broken, text.slice(0, Math.floor(text.length * 0.8)));
    const store = await freshStore(dialect);
    try {
      const result = await ingestFiles(store, [{ path: broken, explicit: true }], options("c", worker));
      const outcome = result.files[0];
      expect(outcome?.status).toBe("failed");
      if (outcome?.status !== "failed") throw new Error("unreachable");
      expect(outcome.error.code).toBe("PARSE_ERROR");
      expect(outcome.error.file).toBe(broken);
      expect(outcome.error.position?.line).toBeGreaterThan(1);
      expect(await store.listTests({})).toEqual([]);
      expect(await store.listRuns({})).toHaveLength(0);
    } finally {
      await store.close();
    }
  });
});

describe("parseInWorker", () => {
  it("stops the worker and rejects with the sink's error when storing fails", async () => {
    const report = bigReport();
    let added = 0;
    const failing = {
      add: () => {
        if (++added === 1500) return Promise.reject(new Error("disk full"));
        return Promise.resolve();
      },
    };
    await expect(
      parseInWorker(
        { file: report, displayPath: report, format: "junit-xml", project: "p", rootDirs: [] },
        failing,
        worker.url,
      ),
    ).rejects.toThrow("disk full");
    expect(added).toBe(1500);
  });

  it("rejects when the worker cannot start", async () => {
    const report = bigReport();
    await expect(
      parseInWorker(
        { file: report, displayPath: report, format: "junit-xml", project: "p", rootDirs: [] },
        { add: () => Promise.resolve() },
        pathToFileURL(join(dir, "no-such-worker.js")),
      ),
    ).rejects.toThrow();
  });

  it("passes on an unreadable file as the worker saw it", async () => {
    const missing = join(dir, "gone.xml");
    await expect(
      parseInWorker(
        { file: missing, displayPath: "gone.xml", format: "junit-xml", project: "p", rootDirs: [] },
        { add: () => Promise.resolve() },
        worker.url,
      ),
    ).rejects.toMatchObject({ code: "INPUT_UNREADABLE", file: "gone.xml" });
  });
});
