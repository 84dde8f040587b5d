/**
 * Stable error codes. A code never changes meaning once released: scripts and the HTTP API
 * rely on it. The CLI maps codes to exit codes in `cli/main.ts` alone.
 */
export type KaizenErrorCode =
  | "PARSE_ERROR"
  | "UNKNOWN_FORMAT"
  | "INPUT_UNREADABLE"
  | "INPUT_TOO_LARGE"
  | "INVALID_ENCODING"
  | "UNSAFE_INPUT"
  | "USAGE"
  | "CONFIG"
  | "STORE_UNAVAILABLE"
  | "STORE_ERROR"
  | "NOT_FOUND";

/** Where in a file a problem was found; every field is optional because formats differ. */
export interface SourcePosition {
  /** 1-based line number. */
  readonly line?: number;
  /** 1-based column number. */
  readonly column?: number;
  /** 0-based byte offset into the file. */
  readonly offset?: number;
}

/** Options shared by every {@link KaizenError}. */
export interface KaizenErrorOptions {
  /** The file the error is about, when there is one. */
  readonly file?: string;
  /** Where in the file, when known. */
  readonly position?: SourcePosition;
  /** The underlying error. */
  readonly cause?: unknown;
  /** The HTTP status the server answers with, for errors that reach the API. */
  readonly httpStatus?: number;
}

/**
 * The one base class of every error Kaizen raises on purpose. It carries a stable
 * {@link KaizenErrorCode}, and names the file and position when the error is about input.
 */
export class KaizenError extends Error {
  /** Stable machine-readable code. */
  readonly code: KaizenErrorCode;
  /** The file the error is about, if any. */
  readonly file: string | undefined;
  /** Where in {@link KaizenError.file} the problem is, if known. */
  readonly position: SourcePosition | undefined;
  /** The HTTP status this error maps to. */
  readonly httpStatus: number;

  constructor(code: KaizenErrorCode, message: string, options: KaizenErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "KaizenError";
    this.code = code;
    this.file = options.file;
    this.position = options.position;
    this.httpStatus = options.httpStatus ?? 500;
  }

  /** The message prefixed with `file:line:column` where known, as compilers print it. */
  describe(): string {
    const where = [this.file, this.position?.line, this.position?.line === undefined ? undefined : this.position.column]
      .filter((part) => part !== undefined)
      .join(":");
    return where === "" ? this.message : `${where}: ${this.message}`;
  }
}

/** Whether `error` is a {@link KaizenError}, across module copies too (checks the shape, not the prototype). */
export function isKaizenError(error: unknown): error is KaizenError {
  if (error instanceof KaizenError) return true;
  // Another installed copy of Kaizen has its own KaizenError class, so `instanceof` alone would miss its errors.
  if (!(error instanceof Error) || error.name !== "KaizenError") return false;
  const shape = error as { code?: unknown; describe?: unknown };
  return typeof shape.code === "string" && typeof shape.describe === "function";
}

/** Builds a `PARSE_ERROR` for a report whose content does not follow its format. */
export function parseError(file: string, message: string, position?: SourcePosition, cause?: unknown): KaizenError {
  return new KaizenError("PARSE_ERROR", message, { file, position, cause, httpStatus: 422 });
}
