/**
 * Worker-thread entry of threaded ingest: parses and normalizes one report (the job in
 * `workerData`) and posts its results in batches, holding back while the main thread has
 * {@link MAX_IN_FLIGHT} batches still to store, so memory stays bounded on any file size.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { NormalizedTestResult } from "../domain/test-result.js";
import { runParseJob, type ParseJob } from "./parse-job.js";
import { toWire, type WorkerMessage } from "./worker-messages.js";

/** Results per posted batch. */
const BATCH_RESULTS = 1000;
/** Batches posted and not yet stored; two keep both threads busy, more only use memory. */
const MAX_IN_FLIGHT = 4;

const port = parentPort;
if (port === null) throw new Error("parse-worker.js runs only as a worker thread");

let inFlight = 0;
let resume: (() => void) | undefined;
port.on("message", () => {
  inFlight--;
  resume?.();
  resume = undefined;
});

let batch: NormalizedTestResult[] = [];
const post = (message: WorkerMessage): void => {
  port.postMessage(message);
};
const send = async (): Promise<void> => {
  post({ kind: "batch", json: JSON.stringify(batch) });
  batch = [];
  inFlight++;
  while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (resume = resolve));
};

try {
  const outcome = await runParseJob(workerData as ParseJob, async (result) => {
    batch.push(result);
    if (batch.length >= BATCH_RESULTS) await send();
  });
  if (batch.length > 0) post({ kind: "batch", json: JSON.stringify(batch) });
  post({ kind: "done", outcome });
} catch (error) {
  post({ kind: "failed", error: toWire(error) });
}
port.close();
