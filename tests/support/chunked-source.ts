import { Readable } from "node:stream";
import type { ReportSource } from "../../src/ingest/parser.js";

/**
 * A {@link ReportSource} whose stream hands out exactly these chunks, in order, to test what
 * happens when a token, a character or a line is split between two reads.
 */
export function chunkedSource(path: string, chunks: readonly (string | Uint8Array)[]): ReportSource {
  const buffers = chunks
    .map((chunk) => (typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk)))
    .filter((buffer) => buffer.length > 0);
  const size = buffers.reduce((total, buffer) => total + buffer.length, 0);
  return { path, size, open: () => Readable.from(buffers) };
}

/** Splits `bytes` into chunks of `size` bytes (the last one shorter). */
export function splitEvery(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += size) chunks.push(bytes.subarray(start, start + size));
  return chunks;
}

/** Splits `bytes` at the given offsets (any order, duplicates allowed). */
export function splitAt(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const cuts = [...new Set(offsets)].filter((at) => at > 0 && at < bytes.length).sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const cut of cuts) {
    chunks.push(bytes.subarray(start, cut));
    start = cut;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}
