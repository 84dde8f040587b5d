import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Transferable, Worker } from "node:worker_threads";
import type { NormalizedTestResult } from "../domain/test-result.js";
import type { ReportOutcome } from "../store/ports.js";
import { receiveParse, sendStoredIds, type ParseJob } from "./parse-thread.js";

/**
 * Reports from this size up are parsed in a thread of their own. Below it, starting a thread
 * (about 40 ms) costs more than the overlap of parsing with storing saves.
 */
export const PARSE_THREAD_MIN_BYTES = 8 * 1024 * 1024;

/**
 * The parse thread's old space: it holds a few batches and the parser's state, never a whole
 * report. Its young generation keeps V8's default size: the parser makes garbage fast, and
 * with an 8 MB young generation the thread took half as long again.
 */
const THREAD_HEAP_MB = 64;

const WORKER_SCRIPT = new URL("./parse-worker.js", import.meta.url);

/** A thread started ahead of its job by {@link warmParseThread}, while it waits for one. */
let spare: Worker | undefined;

/** Starts a parse thread: on `job`, or without one, to wait for the first job posted to it. */
function startThread(job: ParseJob | undefined): Worker {
  return new Worker(WORKER_SCRIPT, {
    ...(job === undefined ? {} : { workerData: job }),
    resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB },
  });
}

/**
 * Starts a parse thread ahead of the report it will parse, so that its start (about 200 ms of
 * loading modules, during which the storing thread could only wait) overlaps with what the
 * caller does meanwhile, such as hashing the report. The next {@link runParseInThread} takes
 * it. Does nothing when one waits already, or when threads are not available. The waiting
 * thread keeps no process alive; {@link releaseParseThread} ends it when no report came.
 */
export function warmParseThread(env: NodeJS.ProcessEnv = process.env): void {
  if (spare !== undefined || !parseThreadAvailable(env)) return;
  const worker = startThread(undefined);
  worker.unref();
  // A thread that dies waiting is not handed out: the report then starts a thread of its own.
  const forget = (): void => {
    if (spare === worker) spare = undefined;
  };
  worker.once("exit", forget);
  worker.once("error", forget);
  spare = worker;
}

/** Ends the thread {@link warmParseThread} started, if no report took it. */
export async function releaseParseThread(): Promise<void> {
  const worker = spare;
  spare = undefined;
  await worker?.terminate();
}

/**
 * Whether a report can be parsed in a thread here: the thread runs the compiled script, which
 * exists in the built package and not when Kaizen runs from its TypeScript sources (its tests).
 * `KAIZEN_PARSE_THREAD=off` turns it off.
 */
export function parseThreadAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.KAIZEN_PARSE_THREAD !== "off" && existsSync(fileURLToPath(WORKER_SCRIPT));
}

/**
 * Parses a report in a worker thread while the calling thread stores what it sends: on two
 * cores, parsing and storing overlap instead of taking turns. Results reach `emit` in report
 * order with whether their test is known to be stored already (`undefined`: not looked up);
 * rejects with the parse's own error (a `KaizenError` naming the file and line), or when the
 * thread dies.
 */
export async function runParseInThread(
  job: ParseJob,
  emit: (result: NormalizedTestResult, known: boolean | undefined) => Promise<void> | void,
): Promise<ReportOutcome> {
  const reportBytes = statSync(job.file).size;
  const warm = spare;
  spare = undefined;
  let worker: Worker;
  if (warm === undefined) {
    worker = startThread(job);
    // While the thread starts.
    sendStoredIds(worker, job, reportBytes);
  } else {
    worker = warm;
    worker.ref();
    // Read before the job goes: a thread that parses ahead of the ids holds its batches until
    // they come, and in an ingest of a million known tests its collector then took a fifth of
    // the thread's time to the end of the report (75k results/s instead of 100k).
    const ids: [unknown, readonly Transferable[] | undefined][] = [];
    sendStoredIds({ postMessage: (message, transfer) => ids.push([message, transfer]) }, job, reportBytes);
    worker.postMessage({ job });
    for (const [message, transfer] of ids) worker.postMessage(message, transfer);
  }
  const ended = new AbortController();
  let death: Error | undefined;
  worker.on("error", (error) => {
    death = error;
    ended.abort();
  });
  // Messages posted before the thread ended are still read: `on` yields what it buffered first.
  worker.on("exit", (code) => {
    death ??= new Error(`the parse thread of ${job.displayPath} stopped (exit code ${String(code)})`);
    ended.abort();
  });
  try {
    return await receiveParse(worker, emit, ended.signal);
  } catch (error) {
    throw ended.signal.aborted && death !== undefined ? death : error;
  } finally {
    await worker.terminate();
  }
}
