import { SaxesParser } from "saxes";
import { KaizenError, parseError } from "../domain/errors.js";
import type { ReportSource } from "./parser.js";
import type { RawRecord, RawRecordSink } from "./raw-records.js";
import { decodeText } from "./text-decoder.js";

/** An XML element collected whole: attributes, child elements and its own text. */
export interface XmlElement {
  /** Local name, without any namespace prefix. */
  readonly name: string;
  /** Attributes by local name. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Child elements in document order. */
  readonly children: XmlElement[];
  /** The element's own text and CDATA, concatenated (bounded by {@link MAX_XML_TEXT}). */
  text: string;
}

/** What a record-producing callback may return. */
export type Emitted = RawRecord | readonly RawRecord[] | undefined | void;

/**
 * How a format parser walks an XML document. Elements for which `collect` says yes arrive
 * whole in `element`, bounded in size; everything else streams past as `open`/`close`, so a
 * document of any size is read in bounded memory.
 */
export interface XmlVisitor {
  /** Whether to collect this element (and everything in it) as one {@link XmlElement}. */
  collect(name: string, path: readonly string[]): boolean;
  /** An element outside any collected one opened; `path` holds its ancestors' names. */
  open?(name: string, attributes: Readonly<Record<string, string>>, path: readonly string[]): Emitted;
  /** An element outside any collected one closed. */
  close?(name: string, path: readonly string[]): Emitted;
  /** A collected element is complete. */
  element?(element: XmlElement, path: readonly string[]): Emitted;
  /** The document ended; a last chance to emit. */
  end?(): Emitted;
}

/** Longest text kept per collected element; the middle of anything longer is dropped. */
export const MAX_XML_TEXT = 4 * 1024 * 1024;

function localName(qualified: string): string {
  const colon = qualified.indexOf(":");
  return colon === -1 ? qualified : qualified.slice(colon + 1);
}

function appendBounded(element: XmlElement, text: string): void {
  if (element.text.length + text.length <= MAX_XML_TEXT) {
    element.text += text;
    return;
  }
  const half = MAX_XML_TEXT / 2;
  const joined = element.text + text;
  element.text = `${joined.slice(0, half)}\n…[truncated]…\n${joined.slice(-half)}`;
}

/**
 * Streams an XML report through a {@link XmlVisitor}, sending what it returns to `sink`.
 *
 * Hostile input is refused, not expanded: a DOCTYPE that declares entities (the vehicle of
 * XXE and of "billion laughs" bombs) is an `UNSAFE_INPUT` error, and saxes never resolves
 * external entities. Malformed or truncated XML is a `PARSE_ERROR` with line and column.
 */
export async function visitXml(source: ReportSource, visitor: XmlVisitor, sink: RawRecordSink): Promise<void> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const path: string[] = [];
  const stack: XmlElement[] = [];
  const pending: RawRecord[] = [];
  let failure: KaizenError | undefined;
  let sawRoot = false;

  const queue = (emitted: Emitted): void => {
    if (emitted === undefined) return;
    if (Array.isArray(emitted)) pending.push(...(emitted as readonly RawRecord[]));
    else pending.push(emitted as RawRecord);
  };
  const fail = (error: KaizenError): void => {
    failure ??= error;
  };

  parser.on("doctype", (doctype) => {
    if (/<!ENTITY/i.test(doctype)) {
      fail(
        new KaizenError(
          "UNSAFE_INPUT",
          "the DOCTYPE declares entities; Kaizen refuses XML entity declarations (XXE and entity-expansion protection)",
          { file: source.path, position: { line: parser.line, column: parser.column }, httpStatus: 422 },
        ),
      );
    }
  });
  parser.on("opentag", (tag) => {
    sawRoot = true;
    const name = localName(tag.name);
    const attributes: Record<string, string> = {};
    for (const [key, value] of Object.entries(tag.attributes as Record<string, string>)) {
      attributes[localName(key)] = value;
    }
    const parent = stack[stack.length - 1];
    if (parent !== undefined || visitor.collect(name, path)) {
      const element: XmlElement = { name, attributes, children: [], text: "" };
      parent?.children.push(element);
      stack.push(element);
    } else {
      queue(visitor.open?.(name, attributes, path));
    }
    path.push(name);
  });
  const onText = (text: string): void => {
    const current = stack[stack.length - 1];
    if (current !== undefined) appendBounded(current, text);
  };
  parser.on("text", onText);
  parser.on("cdata", onText);
  parser.on("closetag", () => {
    const name = path.pop() ?? "";
    const element = stack.pop();
    if (element !== undefined) {
      if (stack.length === 0) queue(visitor.element?.(element, path));
    } else {
      queue(visitor.close?.(name, path));
    }
  });
  parser.on("error", (error) => {
    fail(
      parseError(source.path, `malformed XML: ${error.message.replace(/^.*?:\d+:\d+: /, "")}`, {
        line: parser.line,
        column: parser.column,
      }),
    );
  });

  const flush = async (): Promise<void> => {
    for (const record of pending.splice(0)) await sink.emit(record);
  };

  for await (const text of decodeText(source)) {
    parser.write(text);
    if (failure !== undefined) throw failure;
    await flush();
  }
  parser.close();
  if (failure !== undefined) throw failure;
  if (!sawRoot) throw parseError(source.path, "no XML element found");
  queue(visitor.end?.());
  await flush();
}

/** The first child element with this local name. */
export function childNamed(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((child) => child.name === name);
}

/** Every child element with this local name. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}
