import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { KaizenError } from "../domain/errors.js";
import type { ReportSource } from "./parser.js";

/**
 * A {@link ReportSource} over a file on disk. `displayPath` (default: `path`) is the name
 * used in messages, typically the path as the user typed it.
 */
export async function fileSource(path: string, displayPath = path): Promise<ReportSource> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error("not a regular file");
    size = info.size;
  } catch (cause) {
    throw new KaizenError("INPUT_UNREADABLE", `cannot read: ${(cause as Error).message}`, {
      file: displayPath,
      cause,
      httpStatus: 400,
    });
  }
  return { path: displayPath, size, open: () => createReadStream(path, { highWaterMark: 64 * 1024 }) };
}

/** A {@link ReportSource} over bytes in memory (uploads, tests). */
export function bufferSource(path: string, bytes: Uint8Array | string): ReportSource {
  const buffer = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : Buffer.from(bytes);
  return { path, size: buffer.length, open: () => Readable.from([buffer]) };
}
