/*
 * The subset of YAML that TAP producers write in their diagnostics blocks (node:test, node-tap,
 * Test2, tape's `---` blocks): block mappings and sequences, plain, quoted and block (`|`, `>`)
 * scalars, empty flow collections. Anchors, tags, multi-document streams and complex keys do not
 * occur there and are not read. Anything this reader does not understand makes the whole block
 * unreadable (`undefined`), never a crash: a diagnostics block is advice, not the test's outcome.
 */

/** A value read from a diagnostics block. */
export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

/** Raised inside the reader when the text leaves the supported subset; never escapes {@link parseYamlSubset}. */
class UnsupportedYaml extends Error {}

/** Nesting deeper than this is not a diagnostics block but an attack on the stack. */
const MAX_DEPTH = 64;

interface Line {
  readonly indent: number;
  readonly text: string;
}

const KEY = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"[\]{},&*!|>%@`-][^#]*?|-[^\s#][^#]*?))\s*:(?:\s+(.*))?$/;

function indentOf(raw: string): number {
  let n = 0;
  while (raw[n] === " ") n++;
  return n;
}

function isBlank(text: string): boolean {
  const trimmed = text.trim();
  return trimmed === "" || trimmed.startsWith("#");
}

function plainScalar(text: string): YamlValue {
  const value = text.replace(/\s+#.*$/, "").trim();
  if (value === "" || value === "~" || value === "null" || value === "Null" || value === "NULL") return null;
  if (/^(?:true|True|TRUE)$/.test(value)) return true;
  if (/^(?:false|False|FALSE)$/.test(value)) return false;
  if (/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/.test(value)) return Number(value);
  if (/^0x[0-9a-fA-F]+$/.test(value)) return Number.parseInt(value.slice(2), 16);
  return value;
}

function unescapeDouble(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, code: string) => {
    switch (code[0]) {
      case "n":
        return "\n";
      case "t":
        return "\t";
      case "r":
        return "\r";
      case "0":
        return "\0";
      case "e":
        return "\x1b";
      case "x":
      case "u":
      case "U":
        return String.fromCodePoint(Number.parseInt(code.slice(1), 16));
      default:
        return code;
    }
  });
}

/** Joins the lines of a multi-line flow scalar as YAML folds them: a line break is a space, a blank line a newline. */
function fold(parts: readonly string[]): string {
  let out = "";
  let pendingBreaks = 0;
  parts.forEach((part, i) => {
    const text = i === 0 ? part : part.trim();
    if (i > 0 && text === "") {
      pendingBreaks++;
      return;
    }
    if (i > 0) out += pendingBreaks > 0 ? "\n".repeat(pendingBreaks) : " ";
    pendingBreaks = 0;
    out += text;
  });
  return out;
}

class YamlReader {
  private pos = 0;

  constructor(private readonly lines: Line[]) {}

  document(): YamlValue {
    this.skipBlank();
    if (this.pos >= this.lines.length) return null;
    const value = this.node(0, 0);
    this.skipBlank();
    if (this.pos < this.lines.length) throw new UnsupportedYaml("content after the document");
    return value;
  }

  private skipBlank(): void {
    while (this.pos < this.lines.length && isBlank(this.lines[this.pos]?.text ?? "")) this.pos++;
  }

  private peek(): Line | undefined {
    this.skipBlank();
    return this.lines[this.pos];
  }

  private node(minIndent: number, depth: number): YamlValue {
    if (depth > MAX_DEPTH) throw new UnsupportedYaml("nested too deep");
    const line = this.peek();
    if (line === undefined || line.indent < minIndent) return null;
    if (line.text === "-" || line.text.startsWith("- ")) return this.sequence(line.indent, depth);
    if (KEY.test(line.text)) return this.mapping(line.indent, depth);
    this.pos++;
    return this.scalar(line.text, line.indent - 1);
  }

  private mapping(indent: number, depth: number): YamlValue {
    const result: { [key: string]: YamlValue } = {};
    for (let line = this.peek(); line !== undefined && line.indent === indent; line = this.peek()) {
      const match = KEY.exec(line.text);
      if (match === null) throw new UnsupportedYaml(`not a key: ${line.text}`);
      const key =
        match[1] !== undefined
          ? unescapeDouble(match[1])
          : match[2] !== undefined
            ? match[2].replace(/''/g, "'")
            : (match[3] ?? "");
      this.pos++;
      result[key] = this.value(match[4], indent, depth);
    }
    const next = this.peek();
    if (next !== undefined && next.indent > indent) throw new UnsupportedYaml("bad indentation");
    return result;
  }

  private sequence(indent: number, depth: number): YamlValue {
    const result: YamlValue[] = [];
    for (let line = this.peek(); line !== undefined && line.indent === indent; line = this.peek()) {
      if (!(line.text === "-" || line.text.startsWith("- "))) break;
      const rest = line.text.slice(1).trimStart();
      if (rest === "") {
        this.pos++;
        result.push(this.node(indent + 1, depth + 1));
        continue;
      }
      // `- key: value` and `- - x` open a collection at the column after the dash.
      const column = indent + line.text.length - rest.length;
      if (rest === "-" || rest.startsWith("- ") || KEY.test(rest)) {
        this.lines[this.pos] = { indent: column, text: rest };
        result.push(this.node(column, depth + 1));
        continue;
      }
      this.pos++;
      result.push(this.scalar(rest, indent));
    }
    return result;
  }

  /** The value after `key:` or `- `: inline, a block scalar, or a nested block on the next lines. */
  private value(inline: string | undefined, indent: number, depth: number): YamlValue {
    if (inline === undefined || isBlank(inline)) {
      const next = this.peek();
      if (next === undefined) return null;
      if (next.indent > indent) return this.node(indent + 1, depth + 1);
      // YAML lets a mapping's sequence value sit at the key's own indentation.
      if (next.indent === indent && (next.text === "-" || next.text.startsWith("- ")))
        return this.sequence(indent, depth + 1);
      return null;
    }
    return this.scalar(inline, indent);
  }

  /** A scalar starting with `text`, continuing on lines indented deeper than `indent`. */
  private scalar(text: string, indent: number): YamlValue {
    const head = text.trim();
    if (/^[|>][-+]?\d*\s*(?:#.*)?$/.test(head)) return this.blockScalar(head, indent);
    if (head.startsWith('"')) return this.quoted(head, indent, '"');
    if (head.startsWith("'")) return this.quoted(head, indent, "'");
    if (head.startsWith("[") || head.startsWith("{")) {
      try {
        return JSON.parse(head) as YamlValue;
      } catch {
        return head;
      }
    }
    if (/^[&*!]/.test(head)) throw new UnsupportedYaml("anchors, aliases and tags are not read");
    const parts = [head];
    let end = this.pos;
    for (let at = this.pos; at < this.lines.length; at++) {
      const line = this.lines[at];
      if (line === undefined || (line.text !== "" && (line.indent <= indent || KEY.test(line.text)))) break;
      parts.push(line.text);
      if (line.text !== "") end = at + 1;
    }
    // Blank lines after the last continuation line belong to whatever follows.
    parts.length = 1 + (end - this.pos);
    this.pos = end;
    return parts.length === 1 ? plainScalar(head) : fold(parts);
  }

  private quoted(head: string, indent: number, quote: '"' | "'"): string {
    const closing = quote === '"' ? /^"((?:[^"\\]|\\.)*)"\s*(?:#.*)?$/ : /^'((?:[^']|'')*)'\s*(?:#.*)?$/;
    const parts = [head];
    for (;;) {
      const joined = fold(parts);
      const match = closing.exec(joined);
      if (match !== null) return quote === '"' ? unescapeDouble(match[1] ?? "") : (match[1] ?? "").replace(/''/g, "'");
      const line = this.lines[this.pos];
      if (line === undefined || (line.indent <= indent && line.text !== ""))
        throw new UnsupportedYaml("unterminated quoted scalar");
      parts.push(line.text);
      this.pos++;
    }
  }

  private blockScalar(header: string, indent: number): string {
    const literal = header.startsWith("|");
    const chomp = header.includes("-") ? "strip" : header.includes("+") ? "keep" : "clip";
    const explicit = /\d/.exec(header)?.[0];
    const body: string[] = [];
    let contentIndent = explicit === undefined ? undefined : indent + Number(explicit);
    for (let line = this.lines[this.pos]; line !== undefined; line = this.lines[this.pos]) {
      if (line.text === "") {
        body.push("");
        this.pos++;
        continue;
      }
      if (line.indent <= indent) break;
      contentIndent ??= line.indent;
      if (line.indent < contentIndent) break;
      body.push(" ".repeat(line.indent - contentIndent) + line.text);
      this.pos++;
    }
    let trailing = 0;
    while (body.length > 0 && body[body.length - 1] === "") {
      body.pop();
      trailing++;
    }
    const text = literal ? body.join("\n") : foldBlock(body);
    if (chomp === "strip" || body.length === 0) return text;
    return chomp === "keep" ? text + "\n".repeat(trailing + 1) : `${text}\n`;
  }
}

/** Folds a `>` block: lines join with spaces; a blank line is a line break; more-indented lines keep theirs. */
function foldBlock(body: readonly string[]): string {
  const [first = "", ...rest] = body;
  let out = first;
  let previous = first;
  for (const line of rest) {
    if (line === "") out += "\n";
    else if (previous === "") out += line;
    else out += (line.startsWith(" ") || previous.startsWith(" ") ? "\n" : " ") + line;
    previous = line;
  }
  return out;
}

/**
 * Reads a diagnostics block (the lines between `---` and `...`, already stripped of the block's
 * indentation). Returns `undefined` when the text is not in the supported subset of YAML.
 */
export function parseYamlSubset(text: string): YamlValue | undefined {
  const lines = text.split(/\r?\n/).map((raw) => {
    // YAML forbids tabs as indentation, yet hand-written blocks use them: read them as four spaces.
    const expanded = raw.replace(/^[ \t]+/, (lead) => lead.replace(/\t/g, "    "));
    return {
      indent: indentOf(expanded),
      text: expanded.trim() === "" ? "" : expanded.slice(indentOf(expanded)).trimEnd(),
    };
  });
  try {
    return new YamlReader(lines).document();
  } catch {
    // UnsupportedYaml, or a RangeError from a pathological block: either way the block is unreadable.
    return undefined;
  }
}
