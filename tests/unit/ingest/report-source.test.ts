import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bufferSource, fileSource, RAW_CHUNK_BYTES } from "../../../src/ingest/report-source.js";
import { kaizenRejection } from "../../support/kaizen-error.js";

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kaizen-source-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("fileSource", () => {
  it("reads a file as often as asked, with its size", async () => {
    const file = path.join(dir, "report.xml");
    await writeFile(file, "<testsuites>é</testsuites>");
    const source = await fileSource(file);
    expect(source.path).toBe(file);
    expect(source.size).toBe(27);
    expect((await readAll(source.open())).toString()).toBe("<testsuites>é</testsuites>");
    expect((await readAll(source.open())).toString()).toBe("<testsuites>é</testsuites>");
  });

  it("names the file as told, while reading the real path", async () => {
    const file = path.join(dir, "named.xml");
    await writeFile(file, "<r/>");
    const source = await fileSource(file, "reports/named.xml");
    expect(source.path).toBe("reports/named.xml");
    expect((await readAll(source.open())).toString()).toBe("<r/>");
  });

  it("reads a file larger than one chunk whole", async () => {
    const file = path.join(dir, "large.xml");
    const content = Buffer.alloc(3 * 1024 * 1024 + 17, 0x61);
    await writeFile(file, content);
    const source = await fileSource(file);
    expect(source.size).toBe(content.length);
    expect((await readAll(source.open())).equals(await readFile(file))).toBe(true);
  });

  it("reads in pieces parsers keep young, or in the larger pieces asked for to hash or copy", async () => {
    const file = path.join(dir, "pieces.xml");
    await writeFile(file, Buffer.alloc(3 * 1024 * 1024 + 17, 0x62));
    const source = await fileSource(file);
    const sizes = async (stream: Readable): Promise<number[]> => {
      const lengths: number[] = [];
      for await (const chunk of stream as AsyncIterable<Buffer>) lengths.push(chunk.length);
      return lengths;
    };
    expect(Math.max(...(await sizes(source.open())))).toBe(64 * 1024);
    expect(await sizes(source.open(RAW_CHUNK_BYTES))).toEqual([RAW_CHUNK_BYTES, RAW_CHUNK_BYTES, RAW_CHUNK_BYTES, 17]);
  });

  it("fails on a missing file with INPUT_UNREADABLE naming it as told", async () => {
    const error = await kaizenRejection(fileSource(path.join(dir, "missing.xml"), "missing.xml"));
    expect(error).toMatchObject({ code: "INPUT_UNREADABLE", file: "missing.xml", httpStatus: 400 });
    expect(error.message).toMatch(/^cannot read: ENOENT/);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("fails on a directory with INPUT_UNREADABLE", async () => {
    const error = await kaizenRejection(fileSource(dir));
    expect(error).toMatchObject({
      code: "INPUT_UNREADABLE",
      file: dir,
      message: "cannot read: not a regular file",
      httpStatus: 400,
    });
  });
});

describe("bufferSource", () => {
  it("serves a string as UTF-8, with its size in bytes, as often as asked", async () => {
    const source = bufferSource("upload.xml", "<r>é 😀</r>");
    expect(source).toMatchObject({ path: "upload.xml", size: 14 });
    expect((await readAll(source.open())).toString("utf8")).toBe("<r>é 😀</r>");
    expect((await readAll(source.open())).toString("utf8")).toBe("<r>é 😀</r>");
  });

  it("serves a copy of the bytes it was given", async () => {
    const bytes = Uint8Array.from([0x3c, 0x72, 0x2f, 0x3e]);
    const source = bufferSource("upload.xml", bytes);
    bytes[1] = 0x78;
    expect(source.size).toBe(4);
    expect((await readAll(source.open())).toString()).toBe("<r/>");
  });

  it("serves an empty file", async () => {
    const source = bufferSource("empty.xml", "");
    expect(source.size).toBe(0);
    expect((await readAll(source.open())).length).toBe(0);
  });
});
