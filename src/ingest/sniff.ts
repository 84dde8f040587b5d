import { open } from "node:fs/promises";
import { TextDecoder } from "node:util";
import { KaizenError, parseError } from "../domain/errors.js";
import type { ReportSniff, SyntaxKind } from "./parser.js";
import { detectEncoding, firstInvalidUtf8Offset } from "./text-decoder.js";

/** How much of a file format detection looks at. */
export const SNIFF_BYTES = 64 * 1024;

function looksBinary(bytes: Uint8Array): boolean {
  let control = 0;
  for (const b of bytes) {
    if (b === 0) return true;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) control++;
  }
  return bytes.length > 0 && control / bytes.length > 0.05;
}

function xmlRootOf(head: string): { name?: string; namespace?: string } {
  const body = head
    .replace(/<\?[\s\S]*?\?>/g, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<!DOCTYPE[^[>]*(\[[\s\S]*?\])?\s*>/i, "");
  const tag = /<([A-Za-z_][\w.:-]*)([^>]*)>?/.exec(body);
  if (tag === null) return {};
  const qualified = tag[1] ?? "";
  const colon = qualified.indexOf(":");
  const prefix = colon === -1 ? "" : qualified.slice(0, colon);
  const attr = prefix === "" ? "xmlns" : `xmlns:${prefix}`;
  const ns = new RegExp(`\\s${attr.replace(":", "\\:")}\\s*=\\s*["']([^"']*)["']`).exec(tag[2] ?? "")?.[1];
  return {
    name: colon === -1 ? qualified : qualified.slice(colon + 1),
    ...(ns === undefined ? {} : { namespace: ns }),
  };
}

function syntaxOf(head: string): { syntax: SyntaxKind; firstJsonLine?: unknown } {
  const trimmed = head.trimStart();
  if (trimmed.startsWith("<")) return { syntax: "xml" };
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    const lines = trimmed.split(/\r?\n/);
    const first = lines[0] ?? "";
    const next = lines.slice(1).find((line) => line.trim() !== "");
    try {
      const parsed = JSON.parse(first) as unknown;
      if (next !== undefined && next.trimStart().startsWith("{")) return { syntax: "ndjson", firstJsonLine: parsed };
      return { syntax: "json", firstJsonLine: parsed };
    } catch {
      return { syntax: "json" };
    }
  }
  return { syntax: "text" };
}

/**
 * Reads a file's beginning and classifies it for format detection. Empty, binary and
 * wrongly-encoded files are errors here, before any parser sees them. `displayPath` names
 * the file in messages.
 */
export async function sniffFile(path: string, displayPath = path): Promise<ReportSniff> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (cause) {
    throw new KaizenError("INPUT_UNREADABLE", `cannot open: ${(cause as Error).message}`, {
      file: displayPath,
      cause,
      httpStatus: 400,
    });
  }
  try {
    const info = await handle.stat();
    // A directory opens fine on Linux and fails only on read, with a bare EISDIR.
    if (!info.isFile()) {
      throw new KaizenError("INPUT_UNREADABLE", "cannot read: not a regular file", {
        file: displayPath,
        httpStatus: 400,
      });
    }
    const { size } = info;
    const buffer = Buffer.alloc(Math.min(SNIFF_BYTES, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const bytes = buffer.subarray(0, bytesRead);
    return sniffBytes(displayPath, bytes, bytesRead >= size);
  } finally {
    await handle.close();
  }
}

/** Classifies the first bytes of a report (see {@link sniffFile}). */
export function sniffBytes(path: string, bytes: Uint8Array, complete: boolean): ReportSniff {
  if (bytes.length === 0) throw parseError(path, "the file is empty");
  const { encoding, bomLength } = detectEncoding(bytes);
  const body = bytes.subarray(bomLength);
  if (encoding === "utf-8" && looksBinary(body)) {
    throw parseError(path, "the file is binary, not a test report");
  }
  let head: string;
  try {
    head = new TextDecoder(encoding, { fatal: true }).decode(body, { stream: !complete });
  } catch (cause) {
    // No invalid byte in a complete file means that it ends inside a multi-byte sequence.
    const bad = firstInvalidUtf8Offset(body);
    const end = bad < 0 ? body.length : bad;
    const line = body.subarray(0, end).filter((b) => b === 10).length + 1;
    const message =
      bad < 0
        ? `file ends inside a multi-byte UTF-8 sequence (byte offset ${end + bomLength})`
        : `invalid UTF-8 byte sequence at byte offset ${end + bomLength}`;
    throw new KaizenError("INVALID_ENCODING", message, {
      file: path,
      position: { line, offset: end + bomLength },
      cause,
      httpStatus: 422,
    });
  }
  if (head.trim() === "") throw parseError(path, "the file holds only whitespace");
  const { syntax, firstJsonLine } = syntaxOf(head);
  const root = syntax === "xml" ? xmlRootOf(head) : {};
  return {
    path,
    syntax,
    head,
    complete,
    ...(root.name === undefined ? {} : { xmlRoot: root.name }),
    ...(root.namespace === undefined ? {} : { xmlNamespace: root.namespace }),
    ...(firstJsonLine === undefined ? {} : { firstJsonLine }),
  };
}
