import type { ReportSniff } from "../parser.js";

/**
 * A tolerant scan over JSON text that reports where each value starts, by path. Format
 * detection needs it because a sniff holds only the first 64 KiB of a report, which is
 * usually not a complete document, so `JSON.parse` cannot look at it; and error messages
 * need it because `JSON.parse` forgets where a value was, while a user needs the line.
 */

/** One step of a path into a JSON document: an object key or an array index. */
export type JsonPathSegment = string | number;

/** The broad kind of a JSON value. */
export type JsonValueKind = "object" | "array" | "string" | "primitive";

/** Called where each value starts; return `"stop"` to end the scan early. */
export type JsonValueVisitor = (path: readonly JsonPathSegment[], offset: number, kind: JsonValueKind) => "stop" | void;

interface Frame {
  readonly object: boolean;
  /** The key of the member being read (objects) or the index of the element (arrays). */
  current: JsonPathSegment;
  /** Objects only: whether the next string is a key. */
  expectKey: boolean;
}

const DELIMITERS = new Set([",", "}", "]", ":", " ", "\t", "\r", "\n"]);

/** Index just past the string that opens at `start`, or -1 when the text ends inside it. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i + 1;
  }
  return -1;
}

function decodeKey(literal: string): string | undefined {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return undefined;
  }
}

/**
 * Walks JSON text and calls `visit` where every value starts. It never throws: on
 * malformed or truncated text it stops where the text stops making sense, so it can run
 * over the beginning of a document.
 */
export function walkJson(text: string, visit: JsonValueVisitor): void {
  const frames: Frame[] = [];
  const path = (): JsonPathSegment[] => frames.map((frame) => frame.current);
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    const top = frames[frames.length - 1];
    if (c === " " || c === "\t" || c === "\r" || c === "\n" || c === ":") {
      i++;
    } else if (c === ",") {
      if (top !== undefined) {
        if (top.object) top.expectKey = true;
        else top.current = (top.current as number) + 1;
      }
      i++;
    } else if (c === "}" || c === "]") {
      frames.pop();
      i++;
    } else if (c === '"') {
      const end = endOfString(text, i);
      if (end === -1) return;
      if (top?.object === true && top.expectKey) {
        const key = decodeKey(text.slice(i, end));
        if (key === undefined) return;
        top.current = key;
        top.expectKey = false;
      } else if (visit(path(), i, "string") === "stop") {
        return;
      }
      i = end;
    } else if (c === "{" || c === "[") {
      if (visit(path(), i, c === "{" ? "object" : "array") === "stop") return;
      frames.push({ object: c === "{", current: c === "{" ? "" : 0, expectKey: c === "{" });
      i++;
    } else {
      if (visit(path(), i, "primitive") === "stop") return;
      while (i < text.length && !DELIMITERS.has(text.charAt(i))) i++;
    }
  }
}

/** What the beginning of a JSON document reveals about its structure. */
export interface JsonHeadShape {
  /** The kind of the root value, if the text holds one. */
  readonly root: JsonValueKind | undefined;
  /**
   * The paths of the members seen, as dotted keys with `[]` for any array element:
   * `testResults`, `testResults[].assertionResults[].meta`.
   */
  readonly paths: ReadonlySet<string>;
}

/** Deepest member path recorded by {@link jsonHeadShape}; deeper members are scanned past. */
const HEAD_DEPTH = 8;

const shapes = new WeakMap<ReportSniff, JsonHeadShape>();

/**
 * The {@link JsonHeadShape} of a sniffed file, computed once per sniff: detection asks every
 * JSON parser in turn, and each looks at the same head.
 */
export function sniffShape(sniff: ReportSniff): JsonHeadShape {
  let shape = shapes.get(sniff);
  if (shape === undefined) {
    shape = jsonHeadShape(sniff.head);
    shapes.set(sniff, shape);
  }
  return shape;
}

/** The member paths present in the beginning of a JSON document (see {@link JsonHeadShape}). */
export function jsonHeadShape(head: string): JsonHeadShape {
  let root: JsonValueKind | undefined;
  const paths = new Set<string>();
  walkJson(head, (path, _offset, kind) => {
    if (path.length === 0) {
      root ??= kind;
      return;
    }
    if (path.length > HEAD_DEPTH) return;
    let key = "";
    for (const segment of path) key += typeof segment === "number" ? "[]" : key === "" ? segment : `.${segment}`;
    paths.add(key);
  });
  return { root, paths };
}

/**
 * Offset of the value at `target` in `text`, or of its deepest ancestor that exists (a
 * missing member is reported where the object that lacks it starts); 0 when the text holds
 * no value at all.
 */
export function locateJsonPath(text: string, target: readonly JsonPathSegment[]): number {
  let best = 0;
  walkJson(text, (path, offset) => {
    if (path.length > target.length) return;
    for (let k = 0; k < path.length; k++) if (path[k] !== target[k]) return;
    best = offset;
    return path.length === target.length ? "stop" : undefined;
  });
  return best;
}
