/**
 * A strict, streaming, non-validating XML tokenizer.
 *
 * Written by hand because report ingest must read JUnit XML at 50 MB/s or more on one core
 * and the libraries fall short: saxes, the strict streaming parser of the field, reads about
 * 45 MB/s here before any report logic runs, and the faster htmlparser2 does not check
 * well-formedness, so truncated or malformed files would pass silently. This one scans with
 * `indexOf` over the decoded text, checks tag nesting, attribute syntax, entity references and
 * the single root, and never resolves entities beyond the five predefined ones and character
 * references (so external entities and entity bombs cannot be expanded).
 */

/** Receives tokens in document order. */
export interface XmlTokenHandler {
  /** A start tag; `selfClosing` for `<a/>`, which is followed by no {@link closeTag}. */
  openTag(name: string, attributes: Record<string, string>, selfClosing: boolean): void;
  /** An end tag, or the end of a self-closing tag. */
  closeTag(name: string): void;
  /** Character data or CDATA (entities decoded); delivered only while {@link XmlTokenizer.wantText} is true. */
  text(text: string): void;
  /** A `<!DOCTYPE ...>` declaration, raw. */
  doctype(declaration: string): void;
}

/** A well-formedness error, at a character offset into the decoded document. */
export class XmlSyntaxError extends Error {
  /** 0-based character offset where the problem was found. */
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(message);
    this.name = "XmlSyntaxError";
    this.offset = offset;
  }
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
/** A reference (`&name;`, `&#10;`), or a CRLF or CR, which XML reads as LF. */
const REFERENCE_OR_CR = /&([^;&\s<]*)(;?)|\r\n?/g;
/** Whether a character may begin an element name (ASCII letters, `_`, `:`, and anything past Latin-1's symbols). */
function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58 || c >= 0xc0;
}
/** Whether an attribute name holds none of the characters that cannot appear in one. */
function validKey(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c === 60 || c === 62 || c === 34 || c === 39 || c === 47 || c === 61 || isSpace(c)) return false;
  }
  return true;
}

function normalizeLineEnds(text: string): string {
  return text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13;
}

/** The XML tokenizer; feed it decoded text with {@link XmlTokenizer.write}, then call {@link XmlTokenizer.end}. */
export class XmlTokenizer {
  /** Whether text is wanted now; text is not even decoded while this is false. */
  wantText = false;

  private buffer = "";
  private pos = 0;
  private consumed = 0;
  private waitFor = 0;
  private readonly open: string[] = [];
  private rootClosed = false;
  private rootSeen = false;
  private inCdata = false;

  constructor(private readonly handler: XmlTokenHandler) {}

  /** Tokenizes as much of the document as the text so far allows. */
  write(chunk: string): void {
    if (this.pos > 0) {
      this.consumed += this.pos;
      this.buffer = this.buffer.slice(this.pos);
      this.pos = 0;
    }
    // join() builds a flat string; `+=` would build a cons string, which V8 reads several times slower char by char.
    this.buffer = this.buffer.length === 0 ? chunk : [this.buffer, chunk].join("");
    if (this.buffer.length < this.waitFor) return;
    this.waitFor = 0;
    this.run(false);
  }

  /** Finishes the document: anything left open or incomplete is an error. */
  end(): void {
    this.run(true);
    if (this.inCdata) throw this.error("unterminated CDATA section: the file ends inside it");
    const open = this.open[this.open.length - 1];
    if (open !== undefined) throw this.error(`unexpected end of file: <${open}> is never closed (truncated file?)`);
    if (!this.rootSeen) throw this.error("no root element");
  }

  private error(message: string, at = this.pos): XmlSyntaxError {
    return new XmlSyntaxError(message, this.consumed + at);
  }

  /** Marks the token starting at `start` incomplete: wait for more text, or fail at the end. */
  private incomplete(final: boolean, start: number, what: string): boolean {
    if (final) throw this.error(`unexpected end of file inside ${what} (truncated file?)`, start);
    this.pos = start;
    // Re-scan only once the pending text has doubled, so a huge token costs linear time.
    this.waitFor = (this.buffer.length - start) * 2;
    return false;
  }

  private run(final: boolean): void {
    const buf = this.buffer;
    while (this.pos < buf.length) {
      if (this.inCdata) {
        if (!this.cdataBody(final)) return;
        continue;
      }
      const lt = buf.indexOf("<", this.pos);
      if (lt === -1) {
        this.textUpTo(buf.length, final);
        return;
      }
      if (lt > this.pos) this.textUpTo(lt, true);
      this.pos = lt;
      if (!this.markup(final)) return;
    }
  }

  private textUpTo(end: number, complete: boolean): void {
    const buf = this.buffer;
    let stop = end;
    if (!complete) {
      // Hold back a trailing, possibly split, entity reference, and a CR that may begin a CRLF.
      const amp = buf.lastIndexOf("&", end - 1);
      if (amp >= this.pos && buf.indexOf(";", amp) === -1) stop = amp;
      if (stop > this.pos && buf.charCodeAt(stop - 1) === 13) stop--;
    }
    if (stop <= this.pos) return;
    if (this.open.length === 0) {
      for (let i = this.pos; i < stop; i++) {
        if (!isSpace(buf.charCodeAt(i))) {
          throw this.error(this.rootClosed ? "content after the root element" : "content before the root element", i);
        }
      }
    } else if (this.wantText) {
      const raw = buf.slice(this.pos, stop);
      this.handler.text(raw.includes("&") || raw.includes("\r") ? this.decode(raw, this.pos) : raw);
    }
    this.pos = stop;
  }

  private cdataBody(final: boolean): boolean {
    const buf = this.buffer;
    const end = buf.indexOf("]]>", this.pos);
    if (end === -1) {
      // Deliver what we have, keeping two characters that may begin "]]>" and a CR that may begin a CRLF.
      let keep = Math.max(this.pos, buf.length - 2);
      if (keep > this.pos && buf.charCodeAt(keep - 1) === 13) keep--;
      if (this.wantText && keep > this.pos) this.handler.text(normalizeLineEnds(buf.slice(this.pos, keep)));
      this.pos = keep;
      if (final) throw this.error("unterminated CDATA section: the file ends inside it", buf.length);
      return false;
    }
    if (this.wantText && end > this.pos) this.handler.text(normalizeLineEnds(buf.slice(this.pos, end)));
    this.pos = end + 3;
    this.inCdata = false;
    return true;
  }

  /** Handles the markup at `this.pos` (a `<`); false when it is incomplete. */
  private markup(final: boolean): boolean {
    const buf = this.buffer;
    const start = this.pos;
    const next = buf.charCodeAt(start + 1);
    if (Number.isNaN(next)) return this.incomplete(final, start, "a tag");
    if (next === 47 /* / */) return this.endTag(final, start);
    if (next === 63 /* ? */) {
      const end = buf.indexOf("?>", start + 2);
      if (end === -1) return this.incomplete(final, start, "a processing instruction");
      this.pos = end + 2;
      return true;
    }
    if (next === 33 /* ! */) return this.declaration(final, start);
    return this.startTag(final, start);
  }

  private declaration(final: boolean, start: number): boolean {
    const buf = this.buffer;
    if (buf.length - start < 9 && !final) return this.incomplete(final, start, "a declaration");
    if (buf.startsWith("<!--", start)) {
      const end = buf.indexOf("-->", start + 4);
      if (end === -1) return this.incomplete(final, start, "a comment");
      this.pos = end + 3;
      return true;
    }
    if (buf.startsWith("<![CDATA[", start)) {
      if (this.open.length === 0) throw this.error("CDATA section outside the root element", start);
      this.pos = start + 9;
      this.inCdata = true;
      return true;
    }
    if (buf.startsWith("<!DOCTYPE", start)) {
      if (this.rootSeen) throw this.error("DOCTYPE after the root element", start);
      const bracket = buf.indexOf("[", start);
      const gt = buf.indexOf(">", start);
      let end: number;
      if (bracket !== -1 && (gt === -1 || bracket < gt)) {
        const close = buf.indexOf("]", bracket);
        end = close === -1 ? -1 : buf.indexOf(">", close);
      } else {
        end = gt;
      }
      if (end === -1) return this.incomplete(final, start, "the DOCTYPE declaration");
      this.handler.doctype(buf.slice(start, end + 1));
      this.pos = end + 1;
      return true;
    }
    throw this.error(`invalid markup "${buf.slice(start, start + 12)}"`, start);
  }

  private endTag(final: boolean, start: number): boolean {
    const buf = this.buffer;
    const gt = buf.indexOf(">", start + 2);
    if (gt === -1) return this.incomplete(final, start, "an end tag");
    const name = buf.slice(start + 2, gt).trimEnd();
    const expected = this.open.pop();
    if (expected === undefined) throw this.error(`unexpected end tag </${name}>`, start);
    if (name !== expected) throw this.error(`mismatched end tag: expected </${expected}>, found </${name}>`, start);
    this.pos = gt + 1;
    if (this.open.length === 0) this.rootClosed = true;
    this.handler.closeTag(name);
    return true;
  }

  private startTag(final: boolean, start: number): boolean {
    const buf = this.buffer;
    let i = start + 1;
    while (i < buf.length) {
      const c = buf.charCodeAt(i);
      if (isSpace(c) || c === 62 /* > */ || c === 47 /* / */) break;
      i++;
    }
    if (i >= buf.length) return this.incomplete(final, start, "a start tag");
    const name = buf.slice(start + 1, i);
    if (!isNameStart(name.charCodeAt(0))) throw this.error(`invalid element name "${name.slice(0, 40)}"`, start);
    if (this.rootClosed) throw this.error(`a second root element <${name}>`, start);
    const attributes: Record<string, string> = {};
    for (;;) {
      while (i < buf.length && isSpace(buf.charCodeAt(i))) i++;
      if (i >= buf.length) return this.incomplete(final, start, `the start tag <${name}>`);
      const c = buf.charCodeAt(i);
      if (c === 62 /* > */) {
        this.pos = i + 1;
        this.opened(name, attributes, false);
        return true;
      }
      if (c === 47 /* / */) {
        if (i + 1 >= buf.length) return this.incomplete(final, start, `the start tag <${name}>`);
        if (buf.charCodeAt(i + 1) !== 62) throw this.error(`expected "/>" in <${name}>`, i);
        this.pos = i + 2;
        this.opened(name, attributes, true);
        return true;
      }
      const eq = buf.indexOf("=", i);
      if (eq === -1) {
        this.checkAttributeSyntax(name, i);
        return this.incomplete(final, start, `the start tag <${name}>`);
      }
      let keyEnd = eq;
      while (keyEnd > i && isSpace(buf.charCodeAt(keyEnd - 1))) keyEnd--;
      const key = buf.slice(i, keyEnd);
      let q = eq + 1;
      while (q < buf.length && isSpace(buf.charCodeAt(q))) q++;
      const quote = buf.charCodeAt(q);
      if (Number.isNaN(quote)) return this.incomplete(final, start, `the start tag <${name}>`);
      if ((quote !== 34 && quote !== 39) || key === "" || !validKey(key)) {
        this.checkAttributeSyntax(name, i);
        throw this.error(`malformed attribute in <${name}>`, i);
      }
      const close = buf.indexOf(quote === 34 ? '"' : "'", q + 1);
      if (close === -1) return this.incomplete(final, start, `the start tag <${name}>`);
      let value = buf.slice(q + 1, close);
      if (value.includes("<")) throw this.error(`"<" in the value of attribute ${key} of <${name}>`, i);
      if (value.includes("\n") || value.includes("\t") || value.includes("\r"))
        value = value.replace(/\r\n|[\t\n\r]/g, " ");
      if (value.includes("&")) value = this.decode(value, q + 1);
      if (key in attributes) throw this.error(`duplicate attribute ${key} in <${name}>`, i);
      attributes[key] = value;
      i = close + 1;
      const after = buf.charCodeAt(i);
      if (i < buf.length && !isSpace(after) && after !== 62 && after !== 47) {
        throw this.error(`expected whitespace after attribute ${key} in <${name}>`, i);
      }
    }
  }

  /** Throws when the text at `at` cannot become a valid attribute however the document goes on. */
  private checkAttributeSyntax(name: string, at: number): void {
    const buf = this.buffer;
    const eq = buf.indexOf("=", at);
    const gt = buf.indexOf(">", at);
    if (eq === -1 || (gt !== -1 && gt < eq)) {
      if (gt !== -1) throw this.error(`malformed attribute in <${name}>`, at);
      return;
    }
    if (/[\s<>"'/]/.test(buf.slice(at, eq).trimEnd())) throw this.error(`malformed attribute in <${name}>`, at);
    let q = eq + 1;
    while (q < buf.length && isSpace(buf.charCodeAt(q))) q++;
    if (q >= buf.length) return;
    const quote = buf[q];
    if (quote !== '"' && quote !== "'") throw this.error(`attribute value in <${name}> is not quoted`, q);
  }

  private opened(name: string, attributes: Record<string, string>, selfClosing: boolean): void {
    this.rootSeen = true;
    this.handler.openTag(name, attributes, selfClosing);
    if (selfClosing) {
      if (this.open.length === 0) this.rootClosed = true;
      this.handler.closeTag(name);
    } else {
      this.open.push(name);
    }
  }

  /**
   * Decodes predefined entities and character references, and reads CRLF and CR as LF (a CR
   * written as `&#13;` stays); any other reference is an error.
   */
  private decode(raw: string, at: number): string {
    return raw.replace(REFERENCE_OR_CR, (whole, ref: string | undefined, semicolon: string, index: number) => {
      if (ref === undefined) return "\n";
      if (semicolon === "") throw this.error(`malformed entity reference "${whole.slice(0, 20)}"`, at + index);
      const predefined = PREDEFINED[ref];
      if (predefined !== undefined) return predefined;
      if (ref.startsWith("#")) {
        // Digits only: `Number` and `parseInt` would also read "0x41", "1e2", "+65" or the "4" of "4G".
        const code = /^#x[0-9a-f]+$/i.test(ref)
          ? Number.parseInt(ref.slice(2), 16)
          : /^#[0-9]+$/.test(ref)
            ? Number(ref.slice(1))
            : Number.NaN;
        if (Number.isInteger(code) && code > 0 && code <= 0x10ffff) return String.fromCodePoint(code);
        throw this.error(`invalid character reference &${ref};`, at + index);
      }
      throw this.error(`undefined entity &${ref}; (only the five predefined XML entities are allowed)`, at + index);
    });
  }
}
