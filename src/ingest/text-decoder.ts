import { TextDecoder } from "node:util";
import { KaizenError } from "../domain/errors.js";
import type { ReportSource } from "./parser.js";

/** Text encodings Kaizen reads reports in. */
export type TextEncodingName = "utf-8" | "utf-16le" | "utf-16be" | "latin1";

/** The encoding a file's first bytes announce, and how many BOM bytes to skip. */
export interface DetectedEncoding {
  readonly encoding: TextEncodingName;
  readonly bomLength: number;
}

/**
 * Finds a file's encoding from its byte-order mark, then from an XML declaration's
 * `encoding`; UTF-8 otherwise.
 */
export function detectEncoding(head: Uint8Array): DetectedEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: "utf-8", bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", bomLength: 2 };
  const prolog = Buffer.from(head.subarray(0, 200)).toString("latin1");
  const declared = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(prolog)?.[1]?.toLowerCase();
  if (declared !== undefined && /^(iso-8859-1|iso8859-1|latin-?1|windows-1252|cp1252|us-ascii|ascii)$/.test(declared)) {
    return { encoding: "latin1", bomLength: 0 };
  }
  return { encoding: "utf-8", bomLength: 0 };
}

/**
 * Byte offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1.
 * Written by hand because `TextDecoder` says only *that* input is invalid, and a user needs
 * to know *where*; it runs only after decoding has already failed.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    let need: number;
    let min = 0x80;
    let max = 0xbf;
    if (b < 0x80) need = 0;
    else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) min = 0xa0;
      if (b === 0xed) max = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) min = 0x90;
      if (b === 0xf4) max = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      // A sequence cut by the end of the buffer is not invalid: the next chunk may complete it.
      if (c === undefined) return -1;
      const lo = k === 1 ? min : 0x80;
      const hi = k === 1 ? max : 0xbf;
      if (c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** The last bytes of `bytes` when they begin a UTF-8 sequence that is not complete yet (at most 3). */
function incompleteTail(bytes: Uint8Array): Uint8Array {
  for (const [k, b] of Array.from(bytes.subarray(-3)).reverse().entries()) {
    if (b >= 0x80 && b < 0xc0) continue;
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > k + 1 ? bytes.subarray(bytes.length - k - 1) : bytes.subarray(bytes.length);
  }
  return bytes.subarray(bytes.length);
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/**
 * Decodes a report as a stream of strings, strictly: invalid UTF-8 is an
 * `INVALID_ENCODING` error naming the file, the line and the byte offset.
 */
export async function* decodeText(source: ReportSource): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let offset = 0;
  let lines = 1;
  let skip = 0;
  // The start of a character that the previous chunks began and the next one must complete.
  let pending: Uint8Array = new Uint8Array(0);
  for await (const chunk of source.open() as AsyncIterable<Buffer>) {
    let bytes: Uint8Array = chunk;
    if (decoder === undefined) {
      const detected = detectEncoding(bytes);
      decoder = new TextDecoder(detected.encoding, { fatal: true });
      skip = detected.bomLength;
    }
    if (skip > 0) {
      const cut = Math.min(skip, bytes.length);
      bytes = bytes.subarray(cut);
      offset += cut;
      skip -= cut;
    }
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch (cause) {
      // Scan from the character the previous chunk left unfinished, or its continuation bytes would look invalid.
      // UTF-16 fails only on an unpaired surrogate somewhere in the chunk: the UTF-8 scan cannot tell where.
      const scanned = Buffer.concat([pending, bytes]);
      const bad = decoder.encoding === "utf-8" ? firstInvalidUtf8Offset(scanned) : -1;
      const at = bad < 0 ? offset : offset - pending.length + bad;
      const prefix = bad < 0 ? "" : scanned.subarray(0, bad).toString("utf8");
      const message =
        bad < 0
          ? `invalid ${decoder.encoding.toUpperCase()} text in the bytes from offset ${at}`
          : `invalid UTF-8 byte sequence at byte offset ${at}`;
      throw new KaizenError("INVALID_ENCODING", message, {
        file: source.path,
        position: { line: lines + countLines(prefix), offset: at },
        cause,
        httpStatus: 422,
      });
    }
    offset += bytes.length;
    pending = incompleteTail(Buffer.concat([pending, bytes.subarray(-3)]));
    lines += countLines(text);
    if (text.length > 0) yield text;
  }
  if (decoder !== undefined) {
    try {
      // A fatal decoder holds back only an unfinished character, so flushing yields no text: it fails or gives "".
      decoder.decode();
    } catch (cause) {
      throw new KaizenError(
        "INVALID_ENCODING",
        `file ends inside a multi-byte ${decoder.encoding.toUpperCase()} sequence (byte offset ${offset})`,
        {
          file: source.path,
          position: { line: lines, offset },
          cause,
          httpStatus: 422,
        },
      );
    }
  }
}
