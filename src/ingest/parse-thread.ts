import { on } from "node:events";
import type { Transferable } from "node:worker_threads";
import { KaizenError, isKaizenError, type KaizenErrorCode, type SourcePosition } from "../domain/errors.js";
import type { NormalizedTestResult } from "../domain/test-result.js";
import { KnownTests, readStoredIds, type KnownTestsSource, type StoredIds } from "../store/known-tests.js";
import type { ReportOutcome } from "../store/ports.js";
import type { ReportFormat } from "./parser.js";
import { PARSERS } from "./parsers/registry.js";
import { fileSource } from "./report-source.js";
import { decodeResults, encodeResults, type EncodedResults } from "./result-codec.js";
import { runParse } from "./run-parse.js";

/** What a parse thread is asked to do: parse one report file and send its normalized results back. */
export interface ParseJob {
  /** The file on disk. */
  readonly file: string;
  /** Its name in messages, as the user gave it. */
  readonly displayPath: string;
  /** Its format, detected beforehand. */
  readonly format: ReportFormat;
  /** The project key (part of test identity). */
  readonly project: string;
  /** Root directories stripped from file paths. */
  readonly rootDirs: readonly string[];
  /** Where to look up which tests are stored already, when the results go to a SQLite store. */
  readonly knownTests?: KnownTestsSource | undefined;
}

/** A `KaizenError` as it crosses a thread: its fields, not its prototype. */
interface PostedError {
  readonly code: KaizenErrorCode | undefined;
  readonly message: string;
  readonly file: string | undefined;
  readonly position: SourcePosition | undefined;
  readonly httpStatus: number | undefined;
}

/** What the parse thread posts to the thread that stores the results. */
export type ParseMessage =
  | {
      readonly kind: "results";
      readonly batch: EncodedResults;
      /** Whether the batch's tests were looked up in the store (see {@link serveParse}); their flags mean nothing if not. */
      readonly lookedUp: boolean;
    }
  | { readonly kind: "done"; readonly outcome: ReportOutcome }
  | { readonly kind: "failed"; readonly error: PostedError };

/** The end of a channel that each side of a parse posts to and listens on: a `MessagePort`, or a `Worker`. */
export interface ParseChannel {
  /** Posts a message to the other side, moving the `transfer` buffers instead of copying them. */
  postMessage(message: unknown, transfer?: readonly Transferable[]): void;
  /** Listens to the other side's messages. */
  on(event: "message", listener: (message: unknown) => void): unknown;
  /** Stops listening. */
  off(event: "message", listener: (message: unknown) => void): unknown;
}

/** Results per message: large enough that posting costs little, small enough to bound what is in flight. */
export const BATCH_RESULTS = 500;
/** Report formats rarely spend fewer bytes on a test than this: a report's size over it estimates its tests from above. */
export const MIN_BYTES_PER_TEST = 64;
/**
 * Batches posted and not yet stored; the parser waits beyond this, so memory stays bounded
 * (about 10 MB of encoded batches). Deep enough that the parser keeps going while the store
 * merges what it held, which holds the storing thread for a few hundred milliseconds: with
 * four, the parser stood idle through every merge.
 */
export const MAX_IN_FLIGHT = 64;

function postedError(error: unknown): PostedError {
  if (isKaizenError(error))
    return {
      code: error.code,
      message: error.message,
      file: error.file,
      position: error.position,
      httpStatus: error.httpStatus,
    };
  return {
    code: undefined,
    message: error instanceof Error ? error.message : String(error),
    file: undefined,
    position: undefined,
    httpStatus: undefined,
  };
}

function revived(error: PostedError): Error {
  if (error.code === undefined) return new Error(error.message);
  return new KaizenError(error.code, error.message, {
    ...(error.file === undefined ? {} : { file: error.file }),
    ...(error.position === undefined ? {} : { position: error.position }),
    ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
  });
}

/** What the storing thread posts to the parse thread: an acknowledged batch, or the stored test ids. */
export type StoreMessage = "ack" | { readonly kind: "stored-ids"; readonly ids: StoredIds | undefined };

/**
 * The parse thread's side: parses the job's file, posts its results in encoded batches, waits
 * while {@link MAX_IN_FLIGHT} batches are unacknowledged, and ends with the report's outcome, or
 * with the error that stopped it. Never throws: every failure is posted.
 *
 * With a store to look tests up in, the storing thread reads the stored ids while this one
 * starts and parses ({@link sendStoredIds}): batches parsed before they arrive are held (as in
 * flight), then looked up and posted. Read here first, the ids held back the first batch while
 * the storing thread had nothing to do.
 */
export async function serveParse(channel: ParseChannel, job: ParseJob): Promise<void> {
  let known: KnownTests | undefined;
  /** The ids the storing thread read, once they arrive; `null` until then. */
  let stored: { ids: StoredIds | undefined } | null = null;
  let idsArrived: (() => void) | undefined;
  const arrival = new Promise<void>((resolve) => (idsArrived = resolve));
  let inFlight = 0;
  let resume: (() => void) | undefined;
  const heard = (message: unknown): void => {
    const posted = message as StoreMessage;
    if (posted === "ack") inFlight--;
    else stored ??= { ids: posted.ids };
    if (posted !== "ack") idsArrived?.();
    resume?.();
    resume = undefined;
  };
  channel.on("message", heard);
  const held: NormalizedTestResult[][] = [];
  /** Posts the held batches, looked up, unless the stored ids are still on their way. */
  const flush = (): void => {
    if (job.knownTests !== undefined) {
      if (stored === null) return;
      known ??= new KnownTests(job.knownTests, stored.ids);
    }
    for (const batch of held.splice(0)) {
      const flags = known?.known(batch.map((result) => result.test));
      const encoded = encodeResults(batch, flags ?? []);
      channel.postMessage({ kind: "results", batch: encoded, lookedUp: flags !== undefined } satisfies ParseMessage, [
        encoded.numbers.buffer,
        encoded.text.buffer,
      ]);
    }
  };
  const room = async (): Promise<void> => {
    while (inFlight >= MAX_IN_FLIGHT) {
      await new Promise<void>((resolve) => (resume = resolve));
      flush();
    }
  };
  let batch: NormalizedTestResult[] = [];
  const post = (): void => {
    held.push(batch);
    batch = [];
    inFlight++;
    flush();
  };
  try {
    const parser = PARSERS.find((candidate) => candidate.format === job.format);
    if (parser === undefined) throw new Error(`no parser for ${job.format}`);
    const source = await fileSource(job.file, job.displayPath);
    const outcome = await runParse(source, parser, { project: job.project, rootDirs: job.rootDirs }, (result) => {
      batch.push(result);
      if (batch.length < BATCH_RESULTS) return undefined;
      post();
      return inFlight < MAX_IN_FLIGHT ? undefined : room();
    });
    if (batch.length > 0) post();
    if (job.knownTests !== undefined) await arrival;
    flush();
    channel.postMessage({ kind: "done", outcome } satisfies ParseMessage);
  } catch (error) {
    channel.postMessage({ kind: "failed", error: postedError(error) } satisfies ParseMessage);
  } finally {
    known?.close();
    channel.off("message", heard);
  }
}

/** How many tests a report of `bytes` may hold, at most: no format spends fewer bytes on a test than {@link MIN_BYTES_PER_TEST}. */
export const reportTestsBound = (bytes: number): number => bytes / MIN_BYTES_PER_TEST;

/**
 * The storing side's first step, while the parse thread starts: reads the stored test ids the
 * parse thread will look its tests up in (where that pays, see {@link readStoredIds}) and hands
 * them over without a copy. The storing thread would otherwise only wait. A read that fails
 * sends none: the parse thread then looks tests up in the index, or fails naming the cause.
 */
export function sendStoredIds(channel: Pick<ParseChannel, "postMessage">, job: ParseJob, reportBytes: number): void {
  if (job.knownTests === undefined) return;
  let ids: StoredIds | undefined;
  try {
    ids = readStoredIds(job.knownTests, reportTestsBound(reportBytes));
  } catch {
    ids = undefined;
  }
  channel.postMessage(
    { kind: "stored-ids", ids } satisfies StoreMessage,
    ids === undefined ? [] : [ids.halves.buffer, ids.starts.buffer],
  );
}

/**
 * The storing side: hands every result the parse thread posts to `emit` (awaited, in order,
 * with whether its test is known to be stored already, or `undefined` when it was not looked
 * up), acknowledges each batch once it is handled, and resolves with the report's outcome.
 * Rejects with the parse thread's error, as it was raised there, or when `signal` aborts (the
 * thread died).
 */
export async function receiveParse(
  channel: ParseChannel,
  emit: (result: NormalizedTestResult, known: boolean | undefined) => Promise<void> | void,
  signal?: AbortSignal,
): Promise<ReportOutcome> {
  for await (const [message] of on(channel as unknown as NodeJS.EventEmitter, "message", { signal })) {
    const posted = message as ParseMessage;
    if (posted.kind === "done") return posted.outcome;
    if (posted.kind === "failed") throw revived(posted.error);
    const { results, known } = decodeResults(posted.batch);
    for (let i = 0; i < results.length; i++)
      await emit(results[i] as NormalizedTestResult, posted.lookedUp ? known[i] === true : undefined);
    channel.postMessage("ack");
  }
  /* c8 ignore next: `on` ends only by an abort, which throws */
  throw new Error("the parse thread ended without an outcome");
}
