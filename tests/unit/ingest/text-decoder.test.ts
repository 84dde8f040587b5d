import { faker } from "@faker-js/faker";
import { beforeEach, describe, expect, it } from "vitest";
import { type KaizenError } from "../../../src/domain/errors.js";
import type { ReportSource } from "../../../src/ingest/parser.js";
import { bufferSource } from "../../../src/ingest/report-source.js";
import { decodeText, detectEncoding, firstInvalidUtf8Offset } from "../../../src/ingest/text-decoder.js";
import { chunkedSource, splitAt, splitEvery } from "../../support/chunked-source.js";
import { kaizenRejection } from "../../support/kaizen-error.js";

const FILE = "reports/out.xml";
const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const ascii = (text: string): Uint8Array => Buffer.from(text, "latin1");

async function decodeAll(source: ReportSource): Promise<string> {
  let text = "";
  for await (const piece of decodeText(source)) {
    expect(piece).not.toBe("");
    text += piece;
  }
  return text;
}

function decodeFailure(source: ReportSource): Promise<KaizenError> {
  return kaizenRejection(decodeAll(source));
}

describe("detectEncoding", () => {
  it("reads byte-order marks", () => {
    expect(detectEncoding(bytes(0xef, 0xbb, 0xbf, 0x3c))).toEqual({ encoding: "utf-8", bomLength: 3 });
    expect(detectEncoding(bytes(0xff, 0xfe, 0x3c, 0x00))).toEqual({ encoding: "utf-16le", bomLength: 2 });
    expect(detectEncoding(bytes(0xfe, 0xff, 0x00, 0x3c))).toEqual({ encoding: "utf-16be", bomLength: 2 });
  });

  it.each([
    '<?xml version="1.0" encoding="ISO-8859-1"?>',
    "<?xml version='1.0' encoding='iso8859-1'?>",
    '<?xml version="1.0" encoding = "latin1"?>',
    '<?xml version="1.0" encoding="Latin-1" standalone="yes"?>',
    '<?xml version="1.0" encoding="windows-1252"?>',
    '<?xml version="1.0" encoding="CP1252"?>',
    '<?xml version="1.0" encoding="US-ASCII"?>',
    '<?xml version="1.0" encoding="ascii"?>',
  ])("reads %s as Latin-1", (declaration) => {
    expect(detectEncoding(ascii(`${declaration}\n<r/>`))).toEqual({ encoding: "latin1", bomLength: 0 });
  });

  it.each([
    ["no declaration", "<r/>"],
    ["a UTF-8 declaration", '<?xml version="1.0" encoding="UTF-8"?><r/>'],
    ["a declaration without encoding", '<?xml version="1.0"?><r/>'],
    ["an encoding Kaizen does not read", '<?xml version="1.0" encoding="Shift_JIS"?><r/>'],
    ["a declaration after whitespace", ' <?xml version="1.0" encoding="ISO-8859-1"?><r/>'],
    ["JSON", '{"encoding":"latin1"}'],
    ["nothing at all", ""],
  ])("falls back to UTF-8 for %s", (_what, text) => {
    expect(detectEncoding(ascii(text))).toEqual({ encoding: "utf-8", bomLength: 0 });
  });
});

describe("firstInvalidUtf8Offset", () => {
  it.each([
    ["ASCII", bytes(0x61, 0x0a, 0x7f)],
    ["2-byte é", bytes(0xc3, 0xa9)],
    ["3-byte €", bytes(0xe2, 0x82, 0xac)],
    ["the last code point before the surrogates", bytes(0xed, 0x9f, 0xbf)],
    ["the smallest 3-byte form", bytes(0xe0, 0xa0, 0x80)],
    ["4-byte 😀", bytes(0xf0, 0x9f, 0x98, 0x80)],
    ["the smallest 4-byte form", bytes(0xf0, 0x90, 0x80, 0x80)],
    ["U+10FFFF, the largest code point", bytes(0xf4, 0x8f, 0xbf, 0xbf)],
    ["a sequence cut by the end of the buffer", bytes(0x61, 0xf0, 0x9f, 0x98)],
    ["nothing", bytes()],
  ])("accepts %s", (_what, input) => {
    expect(firstInvalidUtf8Offset(input)).toBe(-1);
  });

  it.each([
    ["an overlong 2-byte form (C0)", bytes(0x61, 0xc0, 0x80), 1],
    ["an overlong 2-byte form (C1)", bytes(0xc1, 0xbf), 0],
    ["an overlong 3-byte form", bytes(0x61, 0x62, 0xe0, 0x80, 0x80), 2],
    ["an overlong 4-byte form", bytes(0xf0, 0x8f, 0xbf, 0xbf), 0],
    ["a UTF-16 surrogate", bytes(0xed, 0xa0, 0x80), 0],
    ["a code point past U+10FFFF", bytes(0xf4, 0x90, 0x80, 0x80), 0],
    ["a 5-byte lead", bytes(0xf8, 0x88, 0x80, 0x80, 0x80), 0],
    ["an F5 lead", bytes(0xf5, 0x80, 0x80, 0x80), 0],
    ["a lone continuation byte", bytes(0x61, 0x80), 1],
    ["FF", bytes(0xff), 0],
    ["a sequence cut by ASCII", bytes(0xc3, 0xa9, 0xe2, 0x82, 0x41), 2],
    ["a 4-byte sequence cut by a new lead", bytes(0xf0, 0x9f, 0x98, 0xc3, 0xa9), 0],
    ["Latin-1 text", ascii("caf\u00e9 au lait"), 3],
  ])("finds %s", (_what, input, offset) => {
    expect(firstInvalidUtf8Offset(input)).toBe(offset);
  });
});

describe("decodeText", () => {
  beforeEach(() => {
    faker.seed(99);
  });

  it("decodes UTF-8 whatever chunks multi-byte characters are cut into", async () => {
    const text = `<r>${faker.lorem.sentence()} é 日本語 😀 ${faker.string.sample(40)}</r>\n`.repeat(3);
    const encoded = Buffer.from(text, "utf8");
    expect(await decodeAll(bufferSource(FILE, encoded))).toBe(text);
    expect(await decodeAll(chunkedSource(FILE, splitEvery(encoded, 1)))).toBe(text);
    for (let cut = 1; cut < encoded.length; cut++) {
      expect(await decodeAll(chunkedSource(FILE, splitAt(encoded, [cut])))).toBe(text);
    }
  });

  it("strips a UTF-8 BOM, also when it is cut between chunks", async () => {
    const encoded = Buffer.concat([bytes(0xef, 0xbb, 0xbf), Buffer.from("<r>é</r>")]);
    expect(await decodeAll(bufferSource(FILE, encoded))).toBe("<r>é</r>");
    expect(await decodeAll(chunkedSource(FILE, splitEvery(encoded, 1)))).toBe("<r>é</r>");
    expect(await decodeAll(chunkedSource(FILE, splitAt(encoded, [2])))).toBe("<r>é</r>");
  });

  it("decodes UTF-16 LE and BE files, characters cut between chunks included", async () => {
    const text = "<r>é 日本 😀</r>\n";
    const le = Buffer.concat([bytes(0xff, 0xfe), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(le).swap16();
    for (const encoded of [le, be]) {
      expect(await decodeAll(bufferSource(FILE, encoded))).toBe(text);
      expect(await decodeAll(chunkedSource(FILE, splitAt(encoded, [2, 3, 7, 18, 19])))).toBe(text);
    }
  });

  it("decodes declared Latin-1 and windows-1252 files", async () => {
    const latin1 = Buffer.concat([
      ascii('<?xml version="1.0" encoding="ISO-8859-1"?><r>caf'),
      bytes(0xe9),
      ascii("</r>"),
    ]);
    expect(await decodeAll(bufferSource(FILE, latin1))).toBe('<?xml version="1.0" encoding="ISO-8859-1"?><r>café</r>');
    const cp1252 = Buffer.concat([
      ascii("<?xml version='1.0' encoding='windows-1252'?><r>"),
      bytes(0x80),
      ascii("</r>"),
    ]);
    expect(await decodeAll(bufferSource(FILE, cp1252))).toBe("<?xml version='1.0' encoding='windows-1252'?><r>€</r>");
  });

  it("yields nothing for an empty file, or a stream without a chunk", async () => {
    expect(await decodeAll(bufferSource(FILE, ""))).toBe("");
    expect(await decodeAll(chunkedSource(FILE, []))).toBe("");
  });

  it("fails on invalid UTF-8 with INVALID_ENCODING, the byte offset and the line", async () => {
    const encoded = Buffer.concat([Buffer.from("<r>\n  é\n  "), bytes(0xc3, 0x28), Buffer.from("\n</r>")]);
    const error = await decodeFailure(bufferSource(FILE, encoded));
    expect(error).toMatchObject({
      code: "INVALID_ENCODING",
      file: FILE,
      httpStatus: 422,
      message: "invalid UTF-8 byte sequence at byte offset 11",
      position: { line: 3, offset: 11 },
    });
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(error.describe()).toBe(`${FILE}:3: invalid UTF-8 byte sequence at byte offset 11`);
  });

  it("counts the offset and lines of invalid UTF-8 across chunks", async () => {
    const head = "line 1\nline 2 é\nline 3 ";
    const encoded = Buffer.concat([Buffer.from(head), bytes(0xff), Buffer.from(" rest\n")]);
    const at = Buffer.byteLength(head);
    for (const size of [1, 2, 3, 5, 8]) {
      const error = await decodeFailure(chunkedSource(FILE, splitEvery(encoded, size)));
      expect(error.position, `chunks of ${size}`).toEqual({ line: 3, offset: at });
    }
  });

  it("finds invalid UTF-8 right after a character completed across chunks", async () => {
    // "€" is E2 82 AC: the second chunk starts with the AC that completes it, then comes the bad byte.
    const encoded = Buffer.concat([Buffer.from("a\n"), bytes(0xe2, 0x82), bytes(0xac, 0x62, 0x0a, 0x63, 0xff)]);
    const error = await decodeFailure(chunkedSource(FILE, splitAt(encoded, [4])));
    expect(error.position).toEqual({ line: 3, offset: 8 });
    const split = await decodeFailure(chunkedSource(FILE, splitAt(encoded, [3, 4, 5])));
    expect(split.position).toEqual({ line: 3, offset: 8 });
  });

  it("points at the start of a sequence that the next chunk breaks off", async () => {
    const encoded = Buffer.concat([Buffer.from("ok\n"), bytes(0xf0, 0x9f), bytes(0x98, 0x41)]);
    for (const cuts of [[4], [5], [6], [4, 5, 6]]) {
      const error = await decodeFailure(chunkedSource(FILE, splitAt(encoded, cuts)));
      expect(error.position, JSON.stringify(cuts)).toEqual({ line: 2, offset: 3 });
    }
  });

  it("fails on a file that ends inside a multi-byte sequence", async () => {
    const encoded = Buffer.concat([Buffer.from("<r>\n</r>\n"), bytes(0xe2, 0x82)]);
    for (const source of [bufferSource(FILE, encoded), chunkedSource(FILE, splitEvery(encoded, 1))]) {
      const error = await decodeFailure(source);
      expect(error).toMatchObject({
        code: "INVALID_ENCODING",
        file: FILE,
        message: "file ends inside a multi-byte UTF-8 sequence (byte offset 11)",
        position: { line: 3, offset: 11 },
      });
    }
  });

  it("fails on UTF-16 with an unpaired surrogate, naming the encoding and the chunk", async () => {
    const le = (text: string): Buffer => Buffer.from(text, "utf16le");
    // A lone high surrogate before "©": bytes 00 D8 A9 00, which would pass for UTF-8.
    const encoded = Buffer.concat([bytes(0xff, 0xfe), le("<r>\n"), bytes(0x00, 0xd8), le("©</r>")]);
    const error = await decodeFailure(chunkedSource(FILE, splitAt(encoded, [10])));
    expect(error).toMatchObject({
      code: "INVALID_ENCODING",
      file: FILE,
      message: "invalid UTF-16LE text in the bytes from offset 10",
      position: { line: 2, offset: 10 },
    });
    const be = Buffer.concat([bytes(0xfe, 0xff), Buffer.from(le("<r>")).swap16(), bytes(0xdc, 0x00)]);
    expect((await decodeFailure(bufferSource(FILE, be))).message).toBe(
      "invalid UTF-16BE text in the bytes from offset 2",
    );
  });

  it("fails on a UTF-16 file cut inside a character", async () => {
    const encoded = Buffer.concat([bytes(0xff, 0xfe), Buffer.from("<r/>", "utf16le"), bytes(0x0a)]);
    expect(await decodeFailure(bufferSource(FILE, encoded))).toMatchObject({
      message: "file ends inside a multi-byte UTF-16LE sequence (byte offset 11)",
      position: { line: 1, offset: 11 },
    });
  });
});
