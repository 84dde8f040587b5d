import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import { sha256Of } from "../../../src/ingest/content-hash.js";
import { fileSource } from "../../../src/ingest/report-source.js";
import { splitAt } from "../../support/chunked-source.js";

describe("sha256Of", () => {
  it("hashes a stream to the SHA-256 test vectors", async () => {
    expect(await sha256Of(Readable.from([Buffer.from("abc")]))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    expect(await sha256Of(Readable.from([]))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("gives the same hash however the bytes are cut into chunks", async () => {
    faker.seed(11);
    const bytes = Buffer.from(faker.lorem.paragraphs(20));
    const expected = createHash("sha256").update(bytes).digest("hex");
    for (let n = 0; n < 10; n++) {
      const cuts = Array.from({ length: 8 }, () => faker.number.int({ max: bytes.length }));
      expect(await sha256Of(Readable.from(splitAt(bytes, cuts).map((chunk) => Buffer.from(chunk))))).toBe(expected);
    }
  });

  it("hashes a file larger than one read", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "kaizen-hash-"));
    try {
      const file = path.join(dir, "big.xml");
      const content = Buffer.alloc(2 * 1024 * 1024 + 3, 0x62);
      await writeFile(file, content);
      const source = await fileSource(file);
      expect(await sha256Of(source.open())).toBe(createHash("sha256").update(content).digest("hex"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("rejects when the stream fails", async () => {
    const broken = new Readable({
      read() {
        this.destroy(new Error("disk gone"));
      },
    });
    await expect(sha256Of(broken)).rejects.toThrow("disk gone");
  });
});
