import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { NormalizedTestResult } from "../domain/test-result.js";
import type { ReportOutcome, ResultSink } from "../store/ports.js";
import type { ParseJob } from "./parse-job.js";
import { fromWire, type AckMessage, type WorkerMessage } from "./worker-messages.js";

/**
 * The built worker entry beside this module, or `undefined` when running from TypeScript
 * source (tests, tsx), where Node cannot start a `.ts` worker by itself.
 */
export function defaultWorkerUrl(): URL | undefined {
  const url = new URL("./parse-worker.js", import.meta.url);
  return import.meta.url.endsWith(".js") ? url : undefined;
}

/**
 * Parses a report on a worker thread while this thread stores what it sends: on a large
 * report parsing and storing then take both cores instead of one after the other. Results
 * reach `sink` in report order; a failure of either side stops the other and rejects.
 */
export function parseInWorker(job: ParseJob, sink: ResultSink, workerUrl: URL): Promise<ReportOutcome> {
  return new Promise<ReportOutcome>((resolve, reject) => {
    const worker = new Worker(fileURLToPath(workerUrl), { workerData: job });
    let settled = false;
    const settle = (finish: () => void): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      finish();
    };
    // Messages are handled one after another: a batch is stored before the next is looked at.
    let queue = Promise.resolve();
    const handle = async (message: WorkerMessage): Promise<void> => {
      if (settled) return;
      if (message.kind === "batch") {
        for (const result of JSON.parse(message.json) as NormalizedTestResult[]) await sink.add(result);
        worker.postMessage({ kind: "ack" } satisfies AckMessage);
      } else if (message.kind === "done") {
        settle(() => {
          resolve(message.outcome);
        });
      } else {
        settle(() => {
          reject(fromWire(message.error));
        });
      }
    };
    worker.on("message", (message: WorkerMessage) => {
      queue = queue
        .then(() => handle(message))
        .catch((error: unknown) => {
          settle(() => {
            reject(error instanceof Error ? error : new Error(String(error)));
          });
        });
    });
    worker.on("error", (error) => {
      settle(() => {
        reject(error);
      });
    });
    worker.on("exit", (code) => {
      // After `done` the queue may still be storing earlier batches; only an exit with nothing pending is a crash.
      void queue.then(() => {
        settle(() => {
          reject(new Error(`the parse worker stopped (exit code ${String(code)}) before it finished`));
        });
      });
    });
  });
}
