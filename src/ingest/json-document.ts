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

const SPACE = /[ \t\n\r]*/y;
// Loose inside strings: V8 names the position of bad characters and escapes itself.
const STRING = /"(?:[^"\\]|\\.)*"/y;
const SCALAR = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null/y;

/**
 * Offset of the token at which `text` stops being JSON. V8 leaves the position out of some
 * messages ("Unexpected token 'x', ... is not valid JSON"), and a user needs the line; this
 * runs only after `JSON.parse` has failed. The grammar is loose (a key is read as any value,
 * `:` like `,`) because V8 itself names the position of every error it would let through.
 * Iterative, so that deep nesting cannot overflow the stack.
 */
function syntaxErrorOffset(text: string): number {
  let i = 0;
  const match = (token: RegExp): boolean => {
    token.lastIndex = i;
    if (!token.test(text)) return false;
    i = token.lastIndex;
    return true;
  };
  const closers: string[] = [];
  for (;;) {
    match(SPACE);
    const open = text[i];
    if (open === "{" || open === "[") {
      i++;
      const close = open === "{" ? "}" : "]";
      closers.push(close);
      match(SPACE);
      if (text[i] !== close) continue;
    } else if (!match(STRING) && !match(SCALAR)) {
      return i;
    }
    // After a value: a separator and the next value, the end of its container, or the end of the text.
    for (;;) {
      match(SPACE);
      const close = closers[closers.length - 1];
      if (close === undefined) return i;
      const next = text[i];
      if (next === close) {
        i++;
        closers.pop();
        continue;
      }
      if (next !== "," && !(next === ":" && close === "}")) return i;
      i++;
      break;
    }
  }
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
    // JSON.parse throws only errors (a SyntaxError, or a RangeError when out of memory).
    const message = (cause as Error).message;
    // Anchored on "JSON at position": a bare "position 12" could be quoted from the document itself.
    const at = /JSON at position (\d+)/.exec(message);
    const offset = at === null ? syntaxErrorOffset(text) : Number(at[1]);
    if (/Unexpected end of JSON input/i.test(message) || offset >= text.trimEnd().length) {
      return fail(
        path,
        "truncated JSON: the document ends before it is complete",
        lineAndColumn(text, text.length),
        cause,
      );
    }
    const position = lineAndColumn(text, offset);
    return fail(path, `malformed JSON: ${message.replace(/\s*in JSON at position \d+.*$/, "")}`, position, cause);
  }
}

function fail(path: string, message: string, position: { line: number; column: number }, cause: unknown): never {
  throw parseError(path, message, position, cause);
}

/** Reads and parses a whole JSON report. */
export async function readJsonDocument(source: ReportSource, maxBytes = MAX_JSON_DOCUMENT_BYTES): Promise<unknown> {
  return parseJsonText(source.path, await readJsonText(source, maxBytes));
}
