import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { faker } from "@faker-js/faker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SNIFF_BYTES, sniffBytes, sniffFile } from "../../../src/ingest/sniff.js";
import { kaizenRejection, thrownKaizenError } from "../../support/kaizen-error.js";

const FILE = "reports/input";
const utf8 = (text: string): Uint8Array => Buffer.from(text, "utf8");
const sniff = (text: string, complete = true): ReturnType<typeof sniffBytes> => sniffBytes(FILE, utf8(text), complete);

describe("sniffBytes refuses what is not a text report", () => {
  it("refuses an empty file", () => {
    expect(thrownKaizenError(() => sniff(""))).toMatchObject({
      code: "PARSE_ERROR",
      file: FILE,
      message: "the file is empty",
    });
  });

  it.each([" ", "\n\n\r\n", "\t \f", "\ufeff  \n"])("refuses a whitespace-only file (%j)", (text) => {
    expect(thrownKaizenError(() => sniff(text))).toMatchObject({
      code: "PARSE_ERROR",
      message: "the file holds only whitespace",
    });
  });

  it("refuses binary files: a NUL byte, or many control characters", () => {
    const withNul = Buffer.concat([utf8("<testsuites>"), Uint8Array.from([0]), utf8("</testsuites>")]);
    expect(thrownKaizenError(() => sniffBytes(FILE, withNul, true))).toMatchObject({
      code: "PARSE_ERROR",
      message: "the file is binary, not a test report",
    });
    const controls = Buffer.concat([Buffer.alloc(10, 0x01), Buffer.alloc(100, 0x61)]);
    expect(thrownKaizenError(() => sniffBytes(FILE, controls, true)).message).toMatch(/binary/);
  });

  it("accepts a few control characters (ANSI colours in TAP output, form feeds)", () => {
    const text = `TAP version 13\n\u001b[32mok 1 - green\u001b[0m\n\f\n${"# padding\n".repeat(20)}`;
    expect(sniff(text).syntax).toBe("text");
  });

  it("refuses a head that is not valid UTF-8, with the offset and the line", () => {
    const bytes = Buffer.concat([utf8("<r>\n<a>"), Uint8Array.from([0xc3, 0x28]), utf8("</a></r>")]);
    expect(thrownKaizenError(() => sniffBytes(FILE, bytes, true))).toMatchObject({
      code: "INVALID_ENCODING",
      file: FILE,
      httpStatus: 422,
      message: "invalid UTF-8 byte sequence at byte offset 7",
      position: { line: 2, offset: 7 },
    });
    const withBom = Buffer.concat([Uint8Array.from([0xef, 0xbb, 0xbf]), bytes]);
    expect(thrownKaizenError(() => sniffBytes(FILE, withBom, true)).position).toEqual({ line: 2, offset: 10 });
  });

  it("refuses a complete file that ends inside a multi-byte character, but not a head cut inside one", () => {
    const bytes = Buffer.concat([utf8("<r>\n</r>\n"), Uint8Array.from([0xe2, 0x82])]);
    expect(thrownKaizenError(() => sniffBytes(FILE, bytes, true))).toMatchObject({
      code: "INVALID_ENCODING",
      message: "file ends inside a multi-byte UTF-8 sequence (byte offset 11)",
      position: { line: 3, offset: 11 },
    });
    expect(sniffBytes(FILE, bytes, false)).toMatchObject({ syntax: "xml", head: "<r>\n</r>\n", complete: false });
  });
});

describe("sniffBytes recognizes XML", () => {
  it.each([
    ["a bare root", "<testsuites><testsuite/></testsuites>", "testsuites"],
    ["an XML declaration", '<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="x">', "testsuite"],
    ["leading whitespace", "\n\n   <assemblies>", "assemblies"],
    ["comments holding tags", "<?xml version='1.0'?><!-- <fake> --><!--\n<other/>\n--><test-run id='2'>", "test-run"],
    ["processing instructions", '<?xml-stylesheet href="x.xsl"?><?pi <fake>?><testsuites>', "testsuites"],
    ["a DOCTYPE", '<!DOCTYPE testsuites SYSTEM "junit.dtd">\n<testsuites>', "testsuites"],
    [
      "a DOCTYPE with an internal subset",
      '<!DOCTYPE r [\n  <!ELEMENT r ANY>\n  <!ENTITY e "<fake>">\n]>\n<real a="1">',
      "real",
    ],
    ["a root that spans lines", "<testsuite\n  name='a'\n  tests='2'\n>", "testsuite"],
    ["a root cut off in the head", "<testsuites name='truncated", "testsuites"],
    ["a self-closing root", "<testsuites/>", "testsuites"],
  ])("finds the root element after %s", (_what, text, root) => {
    const result = sniff(text);
    expect(result.syntax).toBe("xml");
    expect(result.xmlRoot).toBe(root);
    expect(result.xmlNamespace).toBeUndefined();
    expect(result.firstJsonLine).toBeUndefined();
  });

  it("finds the default namespace of the root", () => {
    const trx =
      '<?xml version="1.0"?>\n<TestRun id="1" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">';
    expect(sniff(trx)).toMatchObject({
      xmlRoot: "TestRun",
      xmlNamespace: "http://microsoft.com/schemas/VisualStudio/TeamTest/2010",
    });
    expect(sniff("<TestRun xmlns = 'urn:single' >")).toMatchObject({ xmlNamespace: "urn:single" });
  });

  it("strips the root's prefix and finds the namespace that prefix is bound to", () => {
    expect(sniff('<t:TestRun xmlns="urn:default" xmlns:t="urn:trx">')).toMatchObject({
      xmlRoot: "TestRun",
      xmlNamespace: "urn:trx",
    });
    const unbound = sniff('<t:TestRun xmlns:u="urn:other">');
    expect(unbound.xmlRoot).toBe("TestRun");
    expect(unbound.xmlNamespace).toBeUndefined();
  });

  it("leaves the root out when the head holds no element", () => {
    const result = sniff('<?xml version="1.0"?>\n<!-- only a comment -->\n');
    expect(result.syntax).toBe("xml");
    expect(result.xmlRoot).toBeUndefined();
  });

  it("reads UTF-16 and BOM-prefixed files, whose NUL bytes are not binary", () => {
    const text = '<?xml version="1.0" encoding="utf-16"?>\n<testsuites name="é">';
    const le = Buffer.concat([Uint8Array.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    expect(sniffBytes(FILE, le, true)).toMatchObject({ syntax: "xml", xmlRoot: "testsuites", head: text });
    const be = Buffer.from(le).swap16();
    expect(sniffBytes(FILE, be, true)).toMatchObject({ syntax: "xml", xmlRoot: "testsuites", head: text });
    const bom = Buffer.concat([Uint8Array.from([0xef, 0xbb, 0xbf]), utf8("<testsuites/>")]);
    expect(sniffBytes(FILE, bom, true)).toMatchObject({ head: "<testsuites/>", xmlRoot: "testsuites" });
  });

  it("decodes a declared Latin-1 head", () => {
    const bytes = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><testsuite name="caf\u00e9"/>', "latin1");
    expect(sniffBytes(FILE, bytes, true).head).toContain('name="café"');
  });
});

describe("sniffBytes recognizes JSON, line-delimited JSON and text", () => {
  it("reads a pretty-printed document as JSON, without a first line", () => {
    const result = sniff(JSON.stringify({ numTotalTests: 1, testResults: [] }, null, 2));
    expect(result.syntax).toBe("json");
    expect(result.firstJsonLine).toBeUndefined();
  });

  it("reads a one-line document as JSON and parses it", () => {
    expect(sniff('{"stats":{"tests":1}}\n')).toMatchObject({ syntax: "json", firstJsonLine: { stats: { tests: 1 } } });
    expect(sniff("[1,2]")).toMatchObject({ syntax: "json", firstJsonLine: [1, 2] });
    expect(sniff('  \n{"a":1}\n\n')).toMatchObject({ syntax: "json", firstJsonLine: { a: 1 } });
  });

  it("reads one object per line as line-delimited JSON", () => {
    faker.seed(8);
    const lines = Array.from({ length: 5 }, () =>
      JSON.stringify({ Time: faker.date.recent().toISOString(), Action: "run", Package: faker.system.directoryPath() }),
    );
    const result = sniff(`${lines.join("\n")}\n`);
    expect(result.syntax).toBe("ndjson");
    expect(result.firstJsonLine).toEqual(JSON.parse(lines[0] ?? ""));
    expect(sniff('{"type":"start"}\r\n\r\n{"type":"testStart"}\r\n')).toMatchObject({
      syntax: "ndjson",
      firstJsonLine: { type: "start" },
    });
  });

  it("reads a JSON line followed by something else than an object as JSON", () => {
    expect(sniff('{"a":1}\n[2]\n').syntax).toBe("json");
  });

  it("reads a first line that is not JSON on its own as JSON, without a first line", () => {
    expect(sniff('{"a":\n1}')).toMatchObject({ syntax: "json" });
    expect(sniff('{"a":\n1}').firstJsonLine).toBeUndefined();
  });

  it.each([
    ["TAP", "TAP version 13\n1..2\nok 1 - a\nnot ok 2 - b\n"],
    ["plain words", "hello"],
    ["a number", "42"],
  ])("reads %s as text", (_what, text) => {
    const result = sniff(text);
    expect(result).toMatchObject({ path: FILE, syntax: "text", head: text, complete: true });
    expect(result.xmlRoot).toBeUndefined();
    expect(result.firstJsonLine).toBeUndefined();
  });
});

describe("sniffFile", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "kaizen-sniff-"));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a small file whole", async () => {
    const file = path.join(dir, "small.xml");
    await writeFile(file, "<testsuites/>\n");
    expect(await sniffFile(file)).toEqual({
      path: file,
      syntax: "xml",
      head: "<testsuites/>\n",
      complete: true,
      xmlRoot: "testsuites",
    });
  });

  it("reads only the beginning of a large file, and names it as told", async () => {
    const file = path.join(dir, "large.xml");
    const body = '<testcase name="x"/>\n'.repeat(Math.ceil((2 * SNIFF_BYTES) / 21));
    await writeFile(file, `<testsuite>\n${body}</testsuite>\n`);
    const result = await sniffFile(file, "large.xml");
    expect(result).toMatchObject({ path: "large.xml", syntax: "xml", xmlRoot: "testsuite", complete: false });
    expect(result.head.length).toBe(SNIFF_BYTES);
  });

  it("reads a head cut inside a multi-byte character", async () => {
    const file = path.join(dir, "cut.xml");
    await writeFile(file, `<r>${"é".repeat(SNIFF_BYTES)}</r>`);
    const result = await sniffFile(file);
    expect(result.complete).toBe(false);
    expect(result.head.startsWith("<r>éé")).toBe(true);
  });

  it("fails on an empty file with PARSE_ERROR", async () => {
    const file = path.join(dir, "empty.xml");
    await writeFile(file, "");
    expect(await kaizenRejection(sniffFile(file, "empty.xml"))).toMatchObject({
      code: "PARSE_ERROR",
      file: "empty.xml",
    });
  });

  it("fails on a missing file with INPUT_UNREADABLE naming it", async () => {
    const error = await kaizenRejection(sniffFile(path.join(dir, "missing.xml"), "missing.xml"));
    expect(error).toMatchObject({ code: "INPUT_UNREADABLE", file: "missing.xml", httpStatus: 400 });
    expect(error.message).toMatch(/^cannot open: ENOENT/);
  });

  it("fails on a directory with INPUT_UNREADABLE naming it", async () => {
    const folder = path.join(dir, "folder.xml");
    await mkdir(folder);
    const error = await kaizenRejection(sniffFile(folder));
    expect(error).toMatchObject({
      code: "INPUT_UNREADABLE",
      file: folder,
      httpStatus: 400,
      message: "cannot read: not a regular file",
    });
  });
});
