import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { faker } from "@faker-js/faker";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type KaizenError } from "../../../src/domain/errors.js";
import type { ReportSource } from "../../../src/ingest/parser.js";
import type { RawRecord, RawReportInfo, RawTestCase } from "../../../src/ingest/raw-records.js";
import { bufferSource, fileSource } from "../../../src/ingest/report-source.js";
import {
  childNamed,
  childrenNamed,
  MAX_XML_TEXT,
  visitXml,
  type XmlElement,
  type XmlVisitor,
} from "../../../src/ingest/xml-stream.js";
import { XmlSyntaxError } from "../../../src/ingest/xml-tokenizer.js";
import {
  expectedElement,
  expectedEvents,
  renderXmlDocument,
  xmlNodeFactory,
  type XmlEvent,
} from "../../factories/xml-document.js";
import { chunkedSource, splitAt, splitEvery } from "../../support/chunked-source.js";
import { kaizenRejection } from "../../support/kaizen-error.js";

const FILE = "reports/junit.xml";

async function visit(source: ReportSource, visitor: XmlVisitor): Promise<RawRecord[]> {
  const records: RawRecord[] = [];
  await visitXml(source, visitor, {
    emit: (record) => {
      records.push(record);
    },
  });
  return records;
}

/** The root element, collected whole. */
async function rootOf(source: ReportSource): Promise<XmlElement | undefined> {
  let root: XmlElement | undefined;
  await visit(source, {
    collect: () => true,
    element: (element) => {
      root = element;
    },
  });
  return root;
}

/** Every element as open/close events, collecting none. */
async function eventsOf(source: ReportSource): Promise<XmlEvent[]> {
  const events: XmlEvent[] = [];
  await visit(source, {
    collect: () => false,
    open: (name, attributes, ancestors) => {
      events.push(["open", name, { ...attributes }, [...ancestors]]);
    },
    close: (name, ancestors) => {
      events.push(["close", name, [...ancestors]]);
    },
  });
  return events;
}

const parseFailure = (text: string, visitor: XmlVisitor = { collect: () => true }): Promise<KaizenError> =>
  kaizenRejection(visit(bufferSource(FILE, text), visitor));

const testCase = (name: string): RawTestCase => ({ kind: "case", suite: [], name, attempts: [{ status: "passed" }] });

describe("visitXml on well-formed documents", () => {
  beforeEach(() => {
    faker.seed(777);
  });

  it("collects generated documents exactly, in one chunk and in random byte chunks", async () => {
    for (let n = 0; n < 60; n++) {
      const spec = xmlNodeFactory.build();
      const document = renderXmlDocument(spec);
      const expected = expectedElement(spec);
      expect(await rootOf(bufferSource(FILE, document)), document).toEqual(expected);

      const bytes = Buffer.from(document, "utf8");
      const cuts = Array.from({ length: faker.number.int({ min: 1, max: 20 }) }, () =>
        faker.number.int({ max: bytes.length }),
      );
      expect(await rootOf(chunkedSource(FILE, splitAt(bytes, cuts))), JSON.stringify({ document, cuts })).toEqual(
        expected,
      );
    }
  });

  it("collects a document fed one byte at a time, multi-byte characters cut included", async () => {
    const spec = xmlNodeFactory.build({ content: ["é 日本 😀 ]]> \r\n &", ...xmlNodeFactory.buildList(3)] });
    const document = renderXmlDocument(spec);
    const bytes = Buffer.from(document, "utf8");
    expect(await rootOf(chunkedSource(FILE, splitEvery(bytes, 1)))).toEqual(expectedElement(spec));
  });

  it("streams every element as open and close events with its ancestors when it collects none", async () => {
    for (let n = 0; n < 30; n++) {
      const spec = xmlNodeFactory.build();
      const document = renderXmlDocument(spec);
      expect(await eventsOf(bufferSource(FILE, document)), document).toEqual(expectedEvents(spec));
      expect(await eventsOf(chunkedSource(FILE, splitEvery(Buffer.from(document), 7)))).toEqual(expectedEvents(spec));
    }
  });

  it("strips namespace prefixes from element and attribute names", async () => {
    const root = await rootOf(
      bufferSource(
        FILE,
        '<j:testsuites xmlns="urn:default" xmlns:j="urn:junit" j:name="all"><j:testsuite plain="1" x:attr="2"/></j:testsuites>',
      ),
    );
    expect(root).toEqual({
      name: "testsuites",
      attributes: { xmlns: "urn:default", j: "urn:junit", name: "all" },
      children: [{ name: "testsuite", attributes: { plain: "1", attr: "2" }, children: [], text: "" }],
      text: "",
    });
    const events = await eventsOf(bufferSource(FILE, '<a:r a:x="1"><a:c/></a:r>'));
    expect(events).toEqual([
      ["open", "r", { x: "1" }, []],
      ["open", "c", {}, ["r"]],
      ["close", "c", ["r"]],
      ["close", "r", []],
    ]);
  });

  it("calls collect, open, element, close and end in document order and emits what they return in that order", async () => {
    const calls: string[] = [];
    const report: RawReportInfo = { kind: "report", tool: "factory" };
    const records = await visit(
      bufferSource(
        FILE,
        `<testsuites><testsuite name="s"><properties><property name="k" value="v"/></properties>
           <testcase name="one"><failure>boom</failure></testcase>
           <testcase name="two"/>
         </testsuite></testsuites>`,
      ),
      {
        collect(name, ancestors) {
          calls.push(`collect ${name} [${ancestors.join("/")}]`);
          return name === "testcase" || name === "properties";
        },
        open(name, attributes, ancestors) {
          calls.push(`open ${name} [${ancestors.join("/")}]`);
          return name === "testsuite" ? report : undefined;
        },
        element(element, ancestors) {
          calls.push(`element ${element.name} [${ancestors.join("/")}]`);
          if (element.name !== "testcase") return undefined;
          const name = element.attributes.name ?? "";
          return childNamed(element, "failure") === undefined
            ? testCase(name)
            : [testCase(`${name} a`), testCase(`${name} b`)];
        },
        close(name, ancestors) {
          calls.push(`close ${name} [${ancestors.join("/")}]`);
        },
        end() {
          calls.push("end");
          return testCase("last");
        },
      },
    );
    expect(calls).toEqual([
      "collect testsuites []",
      "open testsuites []",
      "collect testsuite [testsuites]",
      "open testsuite [testsuites]",
      "collect properties [testsuites/testsuite]",
      "element properties [testsuites/testsuite]",
      "collect testcase [testsuites/testsuite]",
      "element testcase [testsuites/testsuite]",
      "collect testcase [testsuites/testsuite]",
      "element testcase [testsuites/testsuite]",
      "close testsuite [testsuites]",
      "close testsuites []",
      "end",
    ]);
    expect(records).toEqual([report, testCase("one a"), testCase("one b"), testCase("two"), testCase("last")]);
  });

  it("does not ask about elements inside a collected one, and gives each its own text", async () => {
    const asked: string[] = [];
    let collected: XmlElement | undefined;
    await visit(bufferSource(FILE, "<r><case>own <out>inner</out> text<out>second</out><err/></case></r>"), {
      collect(name) {
        asked.push(name);
        return name === "case";
      },
      element(element) {
        collected = element;
      },
    });
    expect(asked).toEqual(["r", "case"]);
    expect(collected?.text).toBe("own  text");
    expect(collected === undefined ? [] : childrenNamed(collected, "out").map((child) => child.text)).toEqual([
      "inner",
      "second",
    ]);
    expect(collected === undefined ? undefined : childNamed(collected, "err")).toEqual({
      name: "err",
      attributes: {},
      children: [],
      text: "",
    });
    expect(collected === undefined ? undefined : childNamed(collected, "missing")).toBeUndefined();
  });

  it("reads documents with a BOM, in UTF-16 and in declared Latin-1", async () => {
    const document = '<r a="é">ü 日本</r>';
    const expected = { name: "r", attributes: { a: "é" }, children: [], text: "ü 日本" };
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(await rootOf(bufferSource(FILE, Buffer.concat([bom, Buffer.from(document)])))).toEqual(expected);
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(document, "utf16le")]);
    expect(await rootOf(chunkedSource(FILE, splitAt(utf16le, [5, 9, 16])))).toEqual(expected);
    const utf16be = Buffer.from(utf16le);
    utf16be.swap16();
    expect(await rootOf(bufferSource(FILE, utf16be))).toEqual(expected);
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><r a="\u00e9">\u00fc</r>', "latin1");
    expect(await rootOf(bufferSource(FILE, latin1))).toEqual({
      name: "r",
      attributes: { a: "é" },
      children: [],
      text: "ü",
    });
  });

  it("bounds the text of a collected element, keeping its head and tail", async () => {
    const half = MAX_XML_TEXT / 2;
    const body = "a".repeat(MAX_XML_TEXT) + "b".repeat(MAX_XML_TEXT);
    const document = Buffer.from(`<r><out>${body}</out></r>`);
    const expected = `${"a".repeat(half)}\n…[truncated]…\n${"b".repeat(half)}`;
    for (const source of [bufferSource(FILE, document), chunkedSource(FILE, splitEvery(document, 1024 * 1024))]) {
      const root = await rootOf(source);
      const text = root === undefined ? undefined : childNamed(root, "out")?.text;
      expect(text?.length).toBe(expected.length);
      expect(text === expected).toBe(true);
    }
    const exact = "c".repeat(MAX_XML_TEXT);
    const root = await rootOf(chunkedSource(FILE, splitEvery(Buffer.from(`<r>${exact}</r>`), 1024 * 1024)));
    expect(root?.text === exact).toBe(true);
  });

  it("emits nothing for a document without a visitor callback but collect", async () => {
    expect(await visit(bufferSource(FILE, "<r><a/></r>"), { collect: (name) => name === "a" })).toEqual([]);
  });
});

describe("visitXml on malformed documents", () => {
  /** [what, document, message, line, column]. */
  const cases: readonly (readonly [string, string, RegExp, number, number])[] = [
    [
      "mismatched end tag",
      '<?xml version="1.0"?>\n<testsuites>\n  <testsuite>\n    <testcase name="a"></testcase>\n  </testsuites>\n',
      /mismatched end tag: expected <\/testsuite>, found <\/testsuites>/,
      5,
      3,
    ],
    ["unexpected end tag", "<r/>\n</r>", /unexpected end tag/, 2, 1],
    ["unclosed element at EOF (truncated)", "<r>\n  <a>\n    text", /<a> is never closed \(truncated file\?\)/, 3, 9],
    ["truncated in a tag", "<r>\n  <testcase name=", /end of file inside the start tag <testcase>/, 2, 3],
    ["truncated in an attribute", '<r>\n\n <a b="x', /end of file inside the start tag <a>/, 3, 2],
    ["truncated in a comment", "<r>\n<!-- half", /end of file inside a comment/, 2, 1],
    ["truncated in CDATA", "<r><![CDATA[\nline\n", /unterminated CDATA section/, 3, 1],
    ["undefined entity", "<r>\n  x &nbsp;</r>", /undefined entity &nbsp;/, 2, 5],
    ["undefined entity in an attribute", '<r>\n <a x="a&foo;"/></r>', /undefined entity &foo;/, 2, 9],
    ["malformed entity", "<r>\n &amp </r>", /malformed entity reference "&amp"/, 2, 2],
    ["content before the root", "\n\nx<r/>", /content before the root element/, 3, 1],
    ["content after the root", "<r/>\n\n  tail", /content after the root element/, 3, 3],
    ["a second root", "<r/>\n<r/>", /a second root element <r>/, 2, 1],
    ["unquoted attribute", "<r>\n  <a x=1/>\n</r>", /attribute value in <a> is not quoted/, 2, 8],
    ["duplicate attribute", "<r>\n  <a x='1' x='2'/>\n</r>", /duplicate attribute x in <a>/, 2, 12],
    ["'<' in an attribute value", '<r a="<"/>', /"<" in the value of attribute a of <r>/, 1, 4],
    ["invalid element name", "<r>\n<9/></r>", /invalid element name "9"/, 2, 1],
    ["no root at all", "<?xml version='1.0'?>\n<!-- empty -->\n", /no root element/, 3, 1],
    ["characters before the error counted as one column each", "<r>é ü\n日本 <x></r>", /mismatched end tag/, 2, 7],
  ];

  it.each(cases)(
    "fails on %s with PARSE_ERROR naming the file, line and column",
    async (_what, text, message, line, column) => {
      const error = await parseFailure(text);
      expect(error.code).toBe("PARSE_ERROR");
      expect(error.file).toBe(FILE);
      expect(error.message).toMatch(/^malformed XML: /);
      expect(error.message).toMatch(message);
      expect(error.position).toEqual({ line, column });
      expect(error.httpStatus).toBe(422);
      expect(error.cause).toBeInstanceOf(XmlSyntaxError);
      expect(error.describe()).toBe(`${FILE}:${line}:${column}: ${error.message}`);
    },
  );

  it.each(cases)(
    "fails on %s at the same line and column when read byte by byte",
    async (_what, text, _message, line, column) => {
      const error = await kaizenRejection(
        visit(chunkedSource(FILE, splitEvery(Buffer.from(text), 1)), { collect: () => true }),
      );
      expect(error.position).toEqual({ line, column });
    },
  );

  it("counts lines across chunks of a long document", async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `  <testcase name="case ${i}"/>`);
    lines[1500] = "  <testcase name='broken'></testsuite>";
    const text = `<testsuite>\n${lines.join("\n")}\n</testsuite>\n`;
    const error = await kaizenRejection(
      visit(chunkedSource(FILE, splitEvery(Buffer.from(text), 97)), { collect: (name) => name === "testcase" }),
    );
    expect(error.position).toEqual({ line: 1502, column: 27 });
  });

  it("names the file of a file source and reads it again for the position", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "kaizen-xml-"));
    try {
      const file = path.join(dir, "broken.xml");
      await writeFile(file, "<r>\n  <a>\n</r>\n");
      const error = await kaizenRejection(visit(await fileSource(file), { collect: () => false }));
      expect(error).toMatchObject({ code: "PARSE_ERROR", file, position: { line: 3, column: 1 } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("still reports the syntax error when the source cannot be read a second time for the position", async () => {
    let opened = 0;
    const source: ReportSource = {
      path: FILE,
      size: 8,
      open: () => {
        opened++;
        if (opened === 1) return Readable.from([Buffer.from("<r></x>")]);
        return new Readable({
          read() {
            this.destroy(new Error("gone"));
          },
        });
      },
    };
    const error = await kaizenRejection(visit(source, { collect: () => false }));
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.message).toMatch(/mismatched end tag/);
    expect(opened).toBe(2);
  });

  it("passes invalid UTF-8 on as INVALID_ENCODING", async () => {
    const bytes = Buffer.concat([Buffer.from("<r>\n<a>"), Buffer.from([0xc3, 0x28]), Buffer.from("</a></r>")]);
    const error = await kaizenRejection(visit(bufferSource(FILE, bytes), { collect: () => true }));
    expect(error).toMatchObject({ code: "INVALID_ENCODING", file: FILE, position: { line: 2, offset: 7 } });
  });

  it("propagates an error thrown by any visitor callback or by the sink, unchanged", async () => {
    const document = "<r><a/><b/></r>";
    const boom = new Error("visitor bug");
    const thrower = (): never => {
      throw boom;
    };
    const visitors: XmlVisitor[] = [
      { collect: thrower },
      { collect: () => false, open: thrower },
      { collect: () => false, close: thrower },
      { collect: (name) => name === "a", element: thrower },
      { collect: () => false, end: thrower },
    ];
    for (const visitor of visitors) {
      await expect(visit(bufferSource(FILE, document), visitor)).rejects.toBe(boom);
    }
    const sinkError = new Error("store down");
    await expect(
      visitXml(
        bufferSource(FILE, document),
        { collect: () => false, open: () => testCase("x") },
        {
          emit: () => Promise.reject(sinkError),
        },
      ),
    ).rejects.toBe(sinkError);
  });
});

describe("visitXml on hostile documents", () => {
  let dir: string;
  let secretFile: string;
  let secretDtd: string;
  const SECRET = `TOP-SECRET-${faker.string.alphanumeric(16)}`;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "kaizen-xxe-"));
    secretFile = path.join(dir, "secret.txt");
    secretDtd = path.join(dir, "secret.dtd");
    await writeFile(secretFile, SECRET);
    await writeFile(secretDtd, `<!ENTITY leak "${SECRET}">`);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const leaked = (error: KaizenError, records: readonly RawRecord[]): boolean =>
    [error.message, error.describe(), JSON.stringify(error), JSON.stringify(records)].some((text) =>
      text.includes(SECRET),
    );

  async function hostile(text: string): Promise<{ error: KaizenError; records: RawRecord[] }> {
    const records: RawRecord[] = [];
    const visitor: XmlVisitor = {
      collect: () => true,
      element: (element) => testCase(JSON.stringify(element)),
    };
    const error = await kaizenRejection(
      visitXml(bufferSource(FILE, text), visitor, {
        emit: (record) => {
          records.push(record);
        },
      }),
    );
    return { error, records };
  }

  it.each([
    ["an internal entity", () => '<!DOCTYPE r [<!ENTITY x "expanded">]><r>&x;</r>'],
    [
      "an external SYSTEM entity",
      () => `<!DOCTYPE r [\n  <!ENTITY xxe SYSTEM "file://${secretFile}">\n]>\n<r>&xxe;</r>`,
    ],
    ["an external parameter entity", () => `<!DOCTYPE r [<!ENTITY % p SYSTEM "file://${secretFile}"> %p;]><r/>`],
    [
      "an entity-expansion bomb",
      () =>
        `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "${"&lol;".repeat(10)}"><!ENTITY lol3 "${"&lol2;".repeat(10)}">]><lolz>&lol3;</lolz>`,
    ],
    ["a lower-case entity declaration", () => '<!DOCTYPE r [<!entity x "y">]><r/>'],
  ])("refuses a DOCTYPE declaring %s with UNSAFE_INPUT, expanding nothing", async (_what, text) => {
    const { error, records } = await hostile(text());
    expect(error).toMatchObject({ code: "UNSAFE_INPUT", file: FILE, httpStatus: 422 });
    expect(error.message).toMatch(/refuses XML entity declarations/);
    expect(records).toEqual([]);
    expect(leaked(error, records)).toBe(false);
  });

  it("accepts a DOCTYPE without entity declarations but never loads the external DTD it names", async () => {
    const root = await rootOf(bufferSource(FILE, `<!DOCTYPE r SYSTEM "file://${secretDtd}">\n<r>fine</r>`));
    expect(root?.text).toBe("fine");
    const { error, records } = await hostile(`<!DOCTYPE r SYSTEM "file://${secretDtd}">\n<r>&leak;</r>`);
    expect(error).toMatchObject({ code: "PARSE_ERROR", position: { line: 2, column: 4 } });
    expect(error.message).toMatch(/undefined entity &leak;/);
    expect(leaked(error, records)).toBe(false);
  });

  it("accepts a DOCTYPE whose internal subset declares elements and attributes only", async () => {
    const root = await rootOf(
      bufferSource(FILE, '<!DOCTYPE r [\n<!ELEMENT r (#PCDATA)>\n<!ATTLIST r a CDATA #IMPLIED>\n]>\n<r a="1">x</r>'),
    );
    expect(root).toEqual({ name: "r", attributes: { a: "1" }, children: [], text: "x" });
  });
});
