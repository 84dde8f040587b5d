import { KaizenError, parseError } from "../domain/errors.js";
import type { ReportSource } from "./parser.js";
import { decodeText } from "./text-decoder.js";

/**
 * Largest whole-document JSON report read. JSON reporters write one document that must be
 * held in memory to parse; past this size the process would run out of memory rather than
 * fail clearly. Line-delimited and XML formats stream and have no such limit.
 */
export const MAX_JSON_DOCUMENT_BYTES = 256 * 1024 * 1024;

/** 1-based line and column of a 0-based character offset in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The text of a JSON document, refusing documents too large to hold in memory. */
export async function readJsonText(source: ReportSource, maxBytes = MAX_JSON_DOCUMENT_BYTES): Promise<string> {
  if (source.size > maxBytes) {
    throw new KaizenError(
      "INPUT_TOO_LARGE",
      `JSON report of ${source.size} bytes exceeds the ${maxBytes}-byte limit for whole-document JSON; split it or use a streaming format (JUnit XML, line-delimited JSON)`,
      { file: source.path, httpStatus: 413 },
    );
  }
  const parts: string[] = [];
  for await (const part of decodeText(source)) parts.push(part);
  return parts.join("");
}

/**
 * Parses a whole JSON document. Syntax errors and truncation become a `PARSE_ERROR` naming
 * the file, line and column.
 */
export function parseJsonText(path: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const at = /position (\d+)/.exec(message);
    if (/Unexpected end of JSON input/i.test(message) || (at !== null && Number(at[1]) >= text.trimEnd().length)) {
      return fail(path, "truncated JSON: the document ends before it is complete", lineAndColumn(text, text.length), cause);
    }
    const position = at === null ? undefined : lineAndColumn(text, Number(at[1]));
    return fail(path, `malformed JSON: ${message.replace(/\s*in JSON at position \d+.*$/, "")}`, position, cause);
  }
}

function fail(path: string, message: string, position: { line: number; column: number } | undefined, cause: unknown): never {
  throw parseError(path, message, position, cause);
}

/** Reads and parses a whole JSON report. */
export async function readJsonDocument(source: ReportSource, maxBytes = MAX_JSON_DOCUMENT_BYTES): Promise<unknown> {
  return parseJsonText(source.path, await readJsonText(source, maxBytes));
}
