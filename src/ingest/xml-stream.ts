import { KaizenError, parseError } from "../domain/errors.js";
import type { ReportSource } from "./parser.js";
import type { RawRecord, RawRecordSink } from "./raw-records.js";
import { decodeText } from "./text-decoder.js";
import { XmlSyntaxError, XmlTokenizer } from "./xml-tokenizer.js";

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

function hasPrefixedKey(attributes: Record<string, string>): boolean {
  for (const key in attributes) if (key.includes(":")) return true;
  return false;
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

async function positionOf(source: ReportSource, charOffset: number): Promise<{ line: number; column: number }> {
  let line = 1;
  let column = 1;
  let seen = 0;
  try {
    for await (const text of decodeText(source)) {
      const stop = Math.min(text.length, charOffset - seen);
      for (let i = 0; i < stop; i++) {
        if (text.charCodeAt(i) === 10) {
          line++;
          column = 1;
        } else column++;
      }
      seen += text.length;
      if (seen >= charOffset) break;
    }
  } catch {
    // The position is a courtesy; the error being reported matters more.
  }
  return { line, column };
}

/**
 * Streams an XML report through a {@link XmlVisitor}, sending what it returns to `sink`.
 *
 * Hostile input is refused, not expanded: a DOCTYPE that declares entities (the vehicle of
 * XXE and of "billion laughs" bombs) is an `UNSAFE_INPUT` error, and no entity but the five
 * predefined ones is ever resolved. Malformed or truncated XML is a `PARSE_ERROR` with line
 * and column.
 */
export async function visitXml(source: ReportSource, visitor: XmlVisitor, sink: RawRecordSink): Promise<void> {
  const path: string[] = [];
  const stack: XmlElement[] = [];
  const pending: RawRecord[] = [];
  const queue = (emitted: Emitted): void => {
    if (emitted === undefined) return;
    if (Array.isArray(emitted)) pending.push(...(emitted as readonly RawRecord[]));
    else pending.push(emitted as RawRecord);
  };
  const tokenizer: XmlTokenizer = new XmlTokenizer({
    doctype(declaration) {
      if (/<!ENTITY/i.test(declaration)) {
        throw new KaizenError(
          "UNSAFE_INPUT",
          "the DOCTYPE declares entities; Kaizen refuses XML entity declarations (XXE and entity-expansion protection)",
          { file: source.path, httpStatus: 422 },
        );
      }
    },
    openTag(qualified, raw) {
      const name = localName(qualified);
      let attributes = raw;
      if (qualified !== name || hasPrefixedKey(raw)) {
        attributes = {};
        for (const key in raw) attributes[localName(key)] = raw[key] ?? "";
      }
      const parent = stack[stack.length - 1];
      if (parent !== undefined || visitor.collect(name, path)) {
        const element: XmlElement = { name, attributes, children: [], text: "" };
        parent?.children.push(element);
        stack.push(element);
        tokenizer.wantText = true;
      } else {
        queue(visitor.open?.(name, attributes, path));
      }
      path.push(name);
    },
    text(text) {
      const current = stack[stack.length - 1];
      if (current !== undefined) appendBounded(current, text);
    },
    closeTag() {
      const name = path.pop() ?? "";
      const element = stack.pop();
      if (element !== undefined) {
        if (stack.length === 0) {
          tokenizer.wantText = false;
          queue(visitor.element?.(element, path));
        }
      } else {
        queue(visitor.close?.(name, path));
      }
    },
  });

  const flush = async (): Promise<void> => {
    for (const record of pending.splice(0)) {
      // Await only sinks that are asynchronous: a microtask per record is measurable at millions of records.
      const done = sink.emit(record);
      if (done !== undefined) await done;
    }
  };
  try {
    for await (const text of decodeText(source)) {
      tokenizer.write(text);
      await flush();
    }
    tokenizer.end();
  } catch (error) {
    if (error instanceof XmlSyntaxError) {
      throw parseError(source.path, `malformed XML: ${error.message}`, await positionOf(source, error.offset), error);
    }
    throw error;
  }
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
