import { parseError } from "../domain/errors.js";
import type { ReportSource } from "./parser.js";
import { decodeText } from "./text-decoder.js";

/** One line of a text report, without its line terminator. */
export interface NumberedLine {
  /** 1-based line number. */
  readonly number: number;
  /** The line's text. */
  readonly text: string;
}

/**
 * Longest line accepted. Line-delimited formats stream, so a file of any size is fine, but a
 * single line of gigabytes (a binary file, a minified blob) would have to be held whole.
 */
export const MAX_LINE_LENGTH = 64 * 1024 * 1024;

/** Streams a text report line by line (LF or CRLF), strictly decoded, in bounded memory. */
export async function* readLines(source: ReportSource): AsyncGenerator<NumberedLine> {
  let carry = "";
  let number = 0;
  for await (const text of decodeText(source)) {
    let buffer = carry + text;
    let start = 0;
    for (let nl = buffer.indexOf("\n"); nl !== -1; nl = buffer.indexOf("\n", start)) {
      number++;
      const end = nl > start && buffer.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      yield { number, text: buffer.slice(start, end) };
      start = nl + 1;
    }
    buffer = buffer.slice(start);
    if (buffer.length > MAX_LINE_LENGTH) {
      throw parseError(source.path, `line longer than ${MAX_LINE_LENGTH} characters`, { line: number + 1 });
    }
    carry = buffer;
  }
  if (carry.length > 0) {
    number++;
    yield { number, text: carry.endsWith("\r") ? carry.slice(0, -1) : carry };
  }
}

/**
 * Parses one line of line-delimited JSON, as a `PARSE_ERROR` naming the file and line when it
 * is not JSON.
 */
export function parseJsonLine(path: string, line: NumberedLine): unknown {
  try {
    return JSON.parse(line.text) as unknown;
  } catch (cause) {
    // JSON.parse throws only errors (a SyntaxError, or a RangeError when out of memory).
    const message = (cause as Error).message;
    throw parseError(path, `malformed JSON line: ${message}`, { line: line.number }, cause);
  }
}
