import { faker } from "@faker-js/faker";
import { beforeEach, describe, expect, it } from "vitest";
import {
  lineAndColumn,
  MAX_JSON_DOCUMENT_BYTES,
  parseJsonText,
  readJsonDocument,
  readJsonText,
} from "../../../src/ingest/json-document.js";
import { bufferSource } from "../../../src/ingest/report-source.js";
import { jsonValue } from "../../factories/json-value.js";
import { chunkedSource, splitEvery } from "../../support/chunked-source.js";
import { kaizenRejection, thrownKaizenError } from "../../support/kaizen-error.js";

const FILE = "reports/jest.json";

/** Offsets just after the structural characters of `text` that are outside strings: where a token may be inserted. */
function structuralOffsets(text: string): number[] {
  const offsets: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === "[" || char === "{" || char === ":" || char === ",") {
      offsets.push(i + 1);
    }
  }
  return offsets;
}

describe("lineAndColumn", () => {
  const text = "ab\ncd\r\n\nef";
  it.each([
    [0, 1, 1],
    [1, 1, 2],
    [2, 1, 3],
    [3, 2, 1],
    [5, 2, 3],
    [6, 2, 4],
    [7, 3, 1],
    [8, 4, 1],
    [10, 4, 3],
  ])("places offset %i at line %i, column %i", (offset, line, column) => {
    expect(lineAndColumn(text, offset)).toEqual({ line, column });
  });

  it("counts a text without newlines as one line", () => {
    expect(lineAndColumn("abcdef", 4)).toEqual({ line: 1, column: 5 });
    expect(lineAndColumn("", 0)).toEqual({ line: 1, column: 1 });
  });
});

describe("parseJsonText", () => {
  beforeEach(() => {
    faker.seed(314);
  });

  it("parses any JSON value, however it is indented", () => {
    for (let n = 0; n < 100; n++) {
      const value = jsonValue();
      const text = JSON.stringify(value, null, faker.helpers.arrayElement([undefined, 2, "\t"]));
      expect(parseJsonText(FILE, text)).toEqual(value);
    }
  });

  it.each([
    ["a missing value", '{\n  "a": 1,\n  "b": \n}', 4, 1, /Unexpected token '}'/],
    ["a stray character", '{\n  "a": 1,\n  "b": ?\n}', 3, 8, /Unexpected token '\?'/],
    ["a single-quoted string", "[1, 2, 'x']", 1, 8, /Unexpected token '''/],
    ["a misspelt literal", '{"ok": tru}', 1, 8, /Unexpected token/],
    ["a bare word after a comma", "[1,\n  nope]", 2, 3, /Unexpected token/],
    ["a missing comma", '{"a": 1\n "b": 2}', 2, 2, /Expected ',' or '}' after property value/],
    ["a trailing comma", '{"a": 1,}', 1, 9, /Expected double-quoted property name/],
    ["a missing colon", '{"a" 1}', 1, 6, /Expected ':' after property name/],
    ["an unquoted key", "{a: 1}", 1, 2, /Expected property name or '}'/],
    ["garbage after the document", '{"a": 1}\n}', 2, 1, /Unexpected non-whitespace character after JSON/],
    ["a leading zero", '{"n": 01}', 1, 8, /./],
    ["a control character in a string", '{"s": "a\tb"}', 1, 9, /Bad control character in string literal/],
    ["a bad escape", '{"s": "\\x"}', 1, 9, /Bad escaped character/],
    ["a message quoting 'position 3'", '{"k": "position 3", "v": x}', 1, 26, /Unexpected token 'x'/],
    ["an error deep in nested containers", '[{"a": [1, {"b": [true, {"c": nul}]}]}]', 1, 31, /Unexpected token/],
  ])("reports %s as malformed, at the right line and column", (_what, text, line, column, message) => {
    const error = thrownKaizenError(() => parseJsonText(FILE, text));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.file).toBe(FILE);
    expect(error.httpStatus).toBe(422);
    expect(error.message).toMatch(/^malformed JSON: /);
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/in JSON at position/);
    expect(error.position).toEqual({ line, column });
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(error.describe()).toBe(`${FILE}:${line}:${column}: ${error.message}`);
  });

  it("points at a bad token inserted anywhere in generated documents", () => {
    for (let n = 0; n < 60; n++) {
      const text = JSON.stringify({ tests: [jsonValue(), jsonValue()] }, null, faker.helpers.arrayElement([0, 2]));
      const at = faker.helpers.arrayElement(structuralOffsets(text));
      const corrupted = `${text.slice(0, at)}${faker.helpers.arrayElement(["?", "#", "'x'", "undefined"])}${text.slice(at)}`;
      const error = thrownKaizenError(() => parseJsonText(FILE, corrupted));
      expect(error.position, corrupted).toEqual(lineAndColumn(corrupted, at));
    }
  });

  it("does not overflow the stack on deeply nested input", () => {
    const deep = `${"[".repeat(200_000)}x${"]".repeat(200_000)}`;
    expect(thrownKaizenError(() => parseJsonText(FILE, deep)).position).toEqual({ line: 1, column: 200_001 });
  });

  it("reports every cut of a document as truncated, at its end", () => {
    const text = JSON.stringify({ a: "\u0001x", b: [1.5e3, -2, true, null, false], c: { d: "é" } }, null, 1);
    for (let cut = 0; cut < text.length; cut++) {
      const prefix = text.slice(0, cut);
      const error = thrownKaizenError(() => parseJsonText(FILE, prefix));
      expect(error.message, JSON.stringify(prefix)).toBe("truncated JSON: the document ends before it is complete");
      expect(error.position).toEqual(lineAndColumn(prefix, prefix.length));
    }
  });

  it("reports a document cut before trailing whitespace as truncated", () => {
    const error = thrownKaizenError(() => parseJsonText(FILE, '{"a": [1, 2\n\n  '));
    expect(error.message).toMatch(/^truncated JSON/);
    expect(error.position).toEqual({ line: 3, column: 3 });
  });
});

describe("readJsonDocument", () => {
  it("reads and parses a document from any chunks", async () => {
    const value = { numTotalTests: 2, testResults: [{ name: "é 日本 😀", status: "passed" }] };
    const bytes = Buffer.from(JSON.stringify(value, null, 2));
    expect(await readJsonDocument(bufferSource(FILE, bytes))).toEqual(value);
    expect(await readJsonDocument(chunkedSource(FILE, splitEvery(bytes, 3)))).toEqual(value);
    const bom = Buffer.concat([Uint8Array.from([0xef, 0xbb, 0xbf]), bytes]);
    expect(await readJsonDocument(bufferSource(FILE, bom))).toEqual(value);
  });

  it("reads a document of exactly the size limit, and refuses a larger one with INPUT_TOO_LARGE", async () => {
    const text = JSON.stringify({ padding: "x".repeat(100) });
    const size = Buffer.byteLength(text);
    expect(await readJsonText(bufferSource(FILE, text), size)).toBe(text);
    const error = await kaizenRejection(readJsonDocument(bufferSource(FILE, text), size - 1));
    expect(error).toMatchObject({ code: "INPUT_TOO_LARGE", file: FILE, httpStatus: 413 });
    expect(error.message).toContain(`JSON report of ${size} bytes exceeds the ${size - 1}-byte limit`);
  });

  it("holds documents up to 256 MiB by default", async () => {
    expect(MAX_JSON_DOCUMENT_BYTES).toBe(256 * 1024 * 1024);
    const huge = { path: FILE, size: MAX_JSON_DOCUMENT_BYTES + 1, open: () => bufferSource(FILE, "{}").open() };
    expect((await kaizenRejection(readJsonDocument(huge))).code).toBe("INPUT_TOO_LARGE");
    expect(await readJsonDocument(bufferSource(FILE, "{}"))).toEqual({});
  });

  it("reports malformed and truncated files with the file name and position", async () => {
    const malformed = await kaizenRejection(readJsonDocument(bufferSource(FILE, '{\n  "a": ?\n}')));
    expect(malformed).toMatchObject({ code: "PARSE_ERROR", file: FILE, position: { line: 2, column: 8 } });
    const truncated = await kaizenRejection(readJsonDocument(bufferSource(FILE, '{\n  "a": [1,')));
    expect(truncated).toMatchObject({ code: "PARSE_ERROR", position: { line: 2, column: 11 } });
    expect(truncated.message).toMatch(/^truncated JSON/);
    const empty = await kaizenRejection(readJsonDocument(bufferSource(FILE, "")));
    expect(empty.message).toMatch(/^truncated JSON/);
  });

  it("passes invalid UTF-8 on as INVALID_ENCODING", async () => {
    const bytes = Buffer.concat([Buffer.from('{"a": "'), Uint8Array.from([0xff]), Buffer.from('"}')]);
    expect((await kaizenRejection(readJsonDocument(bufferSource(FILE, bytes)))).code).toBe("INVALID_ENCODING");
  });
});
