import { faker } from "@faker-js/faker";
import { beforeEach, describe, expect, it } from "vitest";
import { isKaizenError, type KaizenError } from "../../../src/domain/errors.js";
import { MAX_LINE_LENGTH, parseJsonLine, readLines, type NumberedLine } from "../../../src/ingest/line-stream.js";
import type { ReportSource } from "../../../src/ingest/parser.js";
import { bufferSource } from "../../../src/ingest/report-source.js";
import { chunkedSource, splitAt, splitEvery } from "../../support/chunked-source.js";
import { kaizenRejection } from "../../support/kaizen-error.js";

const FILE = "reports/go-test.json";

async function linesOf(source: ReportSource): Promise<NumberedLine[]> {
  const lines: NumberedLine[] = [];
  for await (const line of readLines(source)) lines.push(line);
  return lines;
}

const numbered = (...texts: string[]): NumberedLine[] => texts.map((text, i) => ({ number: i + 1, text }));

describe("readLines", () => {
  beforeEach(() => {
    faker.seed(2718);
  });

  it.each([
    ["LF", "a\nb\nc\n", ["a", "b", "c"]],
    ["CRLF", "a\r\nb\r\nc\r\n", ["a", "b", "c"]],
    ["mixed LF and CRLF", "a\r\nb\nc\r\n", ["a", "b", "c"]],
    ["a last line without a newline", "a\nb", ["a", "b"]],
    ["a last line ending in a lone CR", "a\nb\r", ["a", "b"]],
    ["empty lines", "\n\na\n\n", ["", "", "a", ""]],
    ["a single newline", "\n", [""]],
    ["a CR inside a line", "a\rb\n", ["a\rb"]],
    ["blank CRLF lines", "\r\n\r\n", ["", ""]],
    ["multi-byte characters", "é\n日本\r\n😀", ["é", "日本", "😀"]],
  ])("splits %s", async (_what, text, expected) => {
    expect(await linesOf(bufferSource(FILE, text))).toEqual(numbered(...expected));
  });

  it("yields nothing for an empty file", async () => {
    expect(await linesOf(bufferSource(FILE, ""))).toEqual([]);
  });

  it("gives the same lines whatever chunks the file is cut into", async () => {
    const texts = Array.from({ length: 12 }, () =>
      faker.helpers.arrayElement([
        "",
        JSON.stringify({ Action: "output", Output: faker.lorem.sentence(), Test: `Test${faker.word.noun()}` }),
        `ok ${faker.number.int(100)} - ${faker.lorem.words(3)} é 日本 😀`,
      ]),
    );
    const text = texts.map((line) => `${line}${faker.helpers.arrayElement(["\n", "\r\n"])}`).join("");
    const expected = numbered(...texts);
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await linesOf(chunkedSource(FILE, splitAt(bytes, [cut]))), `cut at ${cut}`).toEqual(expected);
    }
    expect(await linesOf(chunkedSource(FILE, splitEvery(bytes, 1)))).toEqual(expected);
    const cuts = Array.from({ length: 10 }, () => faker.number.int({ max: bytes.length }));
    expect(await linesOf(chunkedSource(FILE, splitAt(bytes, cuts)))).toEqual(expected);
  });

  it("keeps a CRLF cut between CR and LF one line end", async () => {
    expect(await linesOf(chunkedSource(FILE, ["a\r", "\nb\r", "\n", "c\r"]))).toEqual(numbered("a", "b", "c"));
  });

  // Two 64 MiB buffers under coverage on two cores: seconds, not the unit default's five.
  it(
    "accepts a line of the longest length and refuses a longer one, naming its line",
    { timeout: 30_000 },
    async () => {
      const bytes = Buffer.alloc(MAX_LINE_LENGTH + 1, 0x61);
      const longest = await linesOf(bufferSource(FILE, bytes.subarray(0, MAX_LINE_LENGTH)));
      expect(longest.map((line) => line.text.length)).toEqual([MAX_LINE_LENGTH]);
      const error = await kaizenRejection(
        linesOf(bufferSource(FILE, Buffer.concat([Buffer.from("one\ntwo\n"), bytes]))),
      );
      expect(error).toMatchObject({
        code: "PARSE_ERROR",
        file: FILE,
        message: `line longer than ${MAX_LINE_LENGTH} characters`,
        position: { line: 3 },
        httpStatus: 422,
      });
    },
  );

  it("passes invalid UTF-8 on as INVALID_ENCODING with its line", async () => {
    const bytes = Buffer.concat([Buffer.from("ok\nok\n"), Uint8Array.from([0xc0, 0xaf]), Buffer.from("\n")]);
    const error = await kaizenRejection(linesOf(bufferSource(FILE, bytes)));
    expect(error).toMatchObject({ code: "INVALID_ENCODING", position: { line: 3, offset: 6 } });
  });
});

describe("parseJsonLine", () => {
  it("parses a line of JSON", () => {
    expect(parseJsonLine(FILE, { number: 4, text: '{"Action":"pass","Elapsed":0.01}' })).toEqual({
      Action: "pass",
      Elapsed: 0.01,
    });
  });

  it.each(['{"Action":"pass"', "not json", "", '{"a":1} {"b":2}'])(
    "fails on %j with PARSE_ERROR naming the file and line",
    (text) => {
      let error: unknown;
      try {
        parseJsonLine(FILE, { number: 7, text });
      } catch (caught) {
        error = caught;
      }
      expect(isKaizenError(error)).toBe(true);
      const kaizen = error as KaizenError;
      expect(kaizen).toMatchObject({ code: "PARSE_ERROR", file: FILE, position: { line: 7 }, httpStatus: 422 });
      expect(kaizen.message).toMatch(/^malformed JSON line: /);
      expect(kaizen.cause).toBeInstanceOf(SyntaxError);
      expect(kaizen.describe()).toBe(`${FILE}:7: ${kaizen.message}`);
    },
  );
});
