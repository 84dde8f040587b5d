import { isKaizenError, KaizenError, type KaizenErrorCode, type SourcePosition } from "../domain/errors.js";
import type { ReportOutcome } from "../store/ports.js";

/** An error as it crosses from the parse worker to the main thread: structured clone drops a class. */
export interface WireError {
  readonly message: string;
  readonly code?: KaizenErrorCode;
  readonly file?: string;
  readonly position?: SourcePosition;
  readonly httpStatus?: number;
}

/**
 * What the parse worker posts. Batches travel as JSON text: `JSON.parse` of a batch costs
 * the main thread about half of what structured clone of the same objects does.
 */
export type WorkerMessage =
  | { readonly kind: "batch"; readonly json: string }
  | { readonly kind: "done"; readonly outcome: ReportOutcome }
  | { readonly kind: "failed"; readonly error: WireError };

/** What the main thread posts back: one `ack` per batch it has stored. */
export interface AckMessage {
  readonly kind: "ack";
}

/** Flattens an error for posting. */
export function toWire(error: unknown): WireError {
  if (isKaizenError(error))
    return {
      message: error.message,
      code: error.code,
      ...(error.file === undefined ? {} : { file: error.file }),
      ...(error.position === undefined ? {} : { position: error.position }),
      httpStatus: error.httpStatus,
    };
  return { message: error instanceof Error ? error.message : String(error) };
}

/** Rebuilds a posted error: a {@link KaizenError} again when it was one. */
export function fromWire(error: WireError): Error {
  if (error.code === undefined) return new Error(error.message);
  return new KaizenError(error.code, error.message, {
    ...(error.file === undefined ? {} : { file: error.file }),
    ...(error.position === undefined ? {} : { position: error.position }),
    ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
  });
}
