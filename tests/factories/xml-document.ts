import { faker } from "@faker-js/faker";
import { Factory } from "fishery";
import type { XmlElement } from "../../src/ingest/xml-stream.js";

/** An attribute to render: optional namespace prefix, local name and its value once decoded. */
export interface XmlAttributeSpec {
  readonly prefix?: string;
  readonly name: string;
  readonly value: string;
}

/** An element to render: optional prefix, local name, attributes, and text and child elements in order. */
export interface XmlNodeSpec {
  readonly prefix?: string;
  readonly name: string;
  readonly attributes: readonly XmlAttributeSpec[];
  readonly content: readonly (string | XmlNodeSpec)[];
}

/** Characters that every escaping path of an XML writer must get right. */
const AWKWARD = [
  "<",
  ">",
  "&",
  '"',
  "'",
  "]]>",
  "]]",
  "]",
  "\n",
  "\t",
  "\r",
  "\r\n",
  "é",
  "日本",
  "😀",
  "  ",
  "&amp;",
  "=",
  "/>",
];
const PREFIXES = ["ns", "t", "x"];

function xmlName(): string {
  const word = faker.word.noun().replace(/[^a-z]/gi, "") || "item";
  const suffix = faker.helpers.arrayElement(["", "", "-case", ".v2", "_1", "9"]);
  return faker.helpers.arrayElement(["", "", "", "_"]) + word + suffix;
}

/** Text with words and the characters XML writers get wrong (markup, quotes, CDATA ends, CR, astral). */
export function awkwardText(): string {
  const parts: string[] = [];
  for (let i = faker.number.int({ min: 0, max: 6 }); i > 0; i--) {
    parts.push(faker.datatype.boolean() ? faker.lorem.word() : faker.helpers.arrayElement(AWKWARD));
  }
  return parts.join(faker.helpers.arrayElement(["", " "]));
}

/** Random element trees, at most `maxDepth` deep; attribute local names are unique per element. */
export const xmlNodeFactory = Factory.define<XmlNodeSpec, { depth: number; maxDepth: number }>(
  ({ transientParams }) => {
    const depth = transientParams.depth ?? 0;
    const maxDepth = transientParams.maxDepth ?? 4;
    const attributes: XmlAttributeSpec[] = [];
    const used = new Set<string>();
    if (depth === 0) {
      for (const prefix of PREFIXES) attributes.push({ prefix: "xmlns", name: prefix, value: `urn:kaizen:${prefix}` });
      PREFIXES.forEach((prefix) => used.add(prefix));
    }
    for (let i = faker.number.int({ min: 0, max: 4 }); i > 0; i--) {
      const name = xmlName();
      if (used.has(name)) continue;
      used.add(name);
      const prefix = faker.helpers.maybe(() => faker.helpers.arrayElement(PREFIXES), { probability: 0.2 });
      attributes.push({ ...(prefix === undefined ? {} : { prefix }), name, value: awkwardText() });
    }
    const content: (string | XmlNodeSpec)[] = [];
    const items = depth >= maxDepth ? faker.number.int({ min: 0, max: 2 }) : faker.number.int({ min: 0, max: 5 });
    for (let i = 0; i < items; i++) {
      if (depth < maxDepth && faker.datatype.boolean()) {
        content.push(xmlNodeFactory.build({}, { transient: { depth: depth + 1, maxDepth } }));
      } else {
        content.push(awkwardText());
      }
    }
    const prefix = faker.helpers.maybe(() => faker.helpers.arrayElement(PREFIXES), { probability: 0.2 });
    return { ...(prefix === undefined ? {} : { prefix }), name: xmlName(), attributes, content };
  },
);

function qualified(spec: { readonly prefix?: string; readonly name: string }): string {
  return spec.prefix === undefined ? spec.name : `${spec.prefix}:${spec.name}`;
}

function charRef(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return faker.datatype.boolean() ? `&#${code};` : `&#x${code.toString(16)};`;
}

function escapeText(text: string): string {
  let out = "";
  for (const char of text) {
    if (char === "&") out += faker.helpers.arrayElement(["&amp;", "&#38;"]);
    else if (char === "<") out += faker.helpers.arrayElement(["&lt;", "&#60;", "&#x3C;"]);
    // A literal ">" is fine except after "]]", where it would end a CDATA section that is not there.
    else if (char === ">") out += out.endsWith("]]") ? "&gt;" : faker.helpers.arrayElement([">", "&gt;"]);
    // A literal CR would be normalized to LF: only a character reference keeps it.
    else if (char === "\r") out += charRef(char);
    else if (char === '"') out += faker.helpers.arrayElement(['"', "&quot;"]);
    else if (char === "'") out += faker.helpers.arrayElement(["'", "&apos;"]);
    else if (char.charCodeAt(0) > 127 && faker.datatype.boolean()) out += charRef(char);
    else out += char;
  }
  return out;
}

function renderText(text: string): string {
  if (text === "") return "";
  if (!text.includes("\r") && faker.datatype.boolean()) {
    // "]]>" cannot appear inside CDATA: end the section between "]]" and ">" and open another.
    return `<![CDATA[${text.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
  }
  return escapeText(text);
}

function escapeAttribute(value: string, quote: '"' | "'"): string {
  let out = "";
  for (const char of value) {
    if (char === "&") out += faker.helpers.arrayElement(["&amp;", "&#38;"]);
    else if (char === "<") out += faker.helpers.arrayElement(["&lt;", "&#60;"]);
    else if (char === quote) out += quote === '"' ? faker.helpers.arrayElement(["&quot;", "&#34;"]) : "&apos;";
    // Literal newlines, tabs and CRs in attribute values are normalized to spaces: keep them as references.
    else if (char === "\n" || char === "\t" || char === "\r") out += charRef(char);
    else if (char === ">") out += faker.helpers.arrayElement([">", "&gt;"]);
    else out += char;
  }
  return out;
}

function misc(): string {
  return faker.helpers.arrayElement([
    "",
    "",
    "",
    `<!-- ${faker.lorem.words(2)} <not-a-tag> - -->`,
    `<?kaizen-pi ${faker.lorem.word()} <b>?>`,
    "<!---->",
  ]);
}

const SPACE = [" ", "  ", "\n", "\t", "\r\n", "\n  "];

function renderNode(node: XmlNodeSpec): string {
  let out = `<${qualified(node)}`;
  for (const attribute of node.attributes) {
    const quote = faker.helpers.arrayElement(['"', "'"] as const);
    const around = (): string => faker.helpers.arrayElement(["", "", " ", "\n", "\t "]);
    out += `${faker.helpers.arrayElement(SPACE)}${qualified(attribute)}${around()}=${around()}${quote}${escapeAttribute(attribute.value, quote)}${quote}`;
  }
  out += faker.helpers.arrayElement(["", "", " ", "\n"]);
  if (node.content.length === 0 && faker.datatype.boolean()) return `${out}/>`;
  out += ">";
  for (const item of node.content) {
    out += misc();
    out += typeof item === "string" ? renderText(item) : renderNode(item);
  }
  return `${out}${misc()}</${qualified(node)}${faker.helpers.arrayElement(["", "", " ", "\n"])}>`;
}

/**
 * Renders `root` as a well-formed document, choosing at random among the equivalent ways to
 * write it: quote styles, whitespace around `=`, entities, character references or CDATA,
 * comments and processing instructions between nodes, an XML declaration and a DOCTYPE.
 */
export function renderXmlDocument(root: XmlNodeSpec): string {
  const declaration = faker.helpers.arrayElement([
    "",
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    "<?xml version='1.0'?>",
  ]);
  const doctype = faker.helpers.arrayElement([
    "",
    `<!DOCTYPE ${qualified(root)}>\n`,
    `<!DOCTYPE ${qualified(root)} SYSTEM "report.dtd">`,
    `<!DOCTYPE ${qualified(root)} PUBLIC "-//Kaizen//Report//EN" "report.dtd">\n`,
  ]);
  const before = `${misc()}${faker.helpers.arrayElement(["", "\n", " \r\n"])}`;
  const after = `${faker.helpers.arrayElement(["", "\n"])}${misc()}${faker.helpers.arrayElement(["", "\n"])}`;
  return `${declaration}${before}${doctype}${renderNode(root)}${after}`;
}

/** The {@link XmlElement} that `visitXml` must produce for `node` when it collects it. */
export function expectedElement(node: XmlNodeSpec): XmlElement {
  const attributes: Record<string, string> = {};
  for (const attribute of node.attributes) attributes[attribute.name] = attribute.value;
  return {
    name: node.name,
    attributes,
    children: node.content.filter((item): item is XmlNodeSpec => typeof item !== "string").map(expectedElement),
    text: node.content.filter((item): item is string => typeof item === "string").join(""),
  };
}

/** One streaming event, as `visitXml` reports elements it does not collect. */
export type XmlEvent =
  | readonly ["open", string, Readonly<Record<string, string>>, readonly string[]]
  | readonly ["close", string, readonly string[]];

/** The `open`/`close` events that `visitXml` must report for `node` when it collects nothing. */
export function expectedEvents(node: XmlNodeSpec, path: readonly string[] = []): XmlEvent[] {
  const element = expectedElement(node);
  const inner = [...path, node.name];
  return [
    ["open", node.name, element.attributes, path],
    ...node.content.flatMap((item) => (typeof item === "string" ? [] : expectedEvents(item, inner))),
    ["close", node.name, path],
  ];
}
