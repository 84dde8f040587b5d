import type { XmlElement } from "../xml-stream.js";

/**
 * Reading the loosely typed values of JUnit XML (times, timestamps, text bodies, properties).
 * Every writer formats them its own way; these functions accept the variants seen in real
 * reports and give `undefined` for anything they cannot read, so the caller leaves the field out.
 */

const PLAIN_NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const THOUSANDS_ONLY = /^\d{1,3}(?:,\d{3}){2,}$/;
const SIMPLE_DECIMAL = /^\d{1,15}(?:\.\d{1,15})?$/;

/**
 * A `time` attribute (seconds) in milliseconds, or `undefined` when it is missing, empty,
 * negative or not a number. Accepts thousands separators (`1,234.5`, Surefire's
 * `SUREFIRE_TIME`), a decimal comma (`0,5`, `1.234,5`, written under European locales) and
 * exponents (`1e-05`). A lone comma is read as a decimal comma: `1,234` is 1.234 s, because
 * tests that take 20 minutes are rarer than reports written under a comma locale.
 */
export function secondsToMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // Fast path for the plain decimals nearly every writer uses; millions of testcases pass here.
  if (SIMPLE_DECIMAL.test(value)) return Math.round(Number(value) * 1e6) / 1e3;
  let text = value.replace(/[\s\u00a0\u202f']/g, "");
  if (text === "") return undefined;
  const lastComma = text.lastIndexOf(",");
  const lastDot = text.lastIndexOf(".");
  if (lastComma !== -1 && lastDot !== -1) {
    text = lastDot > lastComma ? text.replace(/,/g, "") : text.replace(/\./g, "").replace(",", ".");
  } else if (lastComma !== -1) {
    if (THOUSANDS_ONLY.test(text)) text = text.replace(/,/g, "");
    else if (text.indexOf(",") === lastComma) text = text.replace(",", ".");
    else return undefined;
  }
  if (!PLAIN_NUMBER.test(text)) return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds)) return undefined;
  // Rounded to the microsecond: binary floating point turns 0.001441 s into 1.4409999… ms.
  return Math.round(seconds * 1e6) / 1e3;
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * A `timestamp` attribute as ISO-8601, or `undefined` when it is not a date-time. Accepts the
 * variants writers use (`2021-03-07T10:36:56 UTC` from TestNG, a space instead of `T`,
 * `+0200` offsets). A timestamp without a zone stays without one: the report does not say
 * which zone it meant. The Unix epoch is dropped: jest-junit writes it for suites that never ran.
 */
export function isoTimestamp(value: string | undefined): string | undefined {
  const match = TIMESTAMP.exec(value?.trim() ?? "");
  if (match === null) return undefined;
  const [, date = "", time = "", zone] = match;
  let offset = "";
  if (zone !== undefined) {
    if (/^(?:z|utc|gmt)$/i.test(zone)) offset = "Z";
    else if (zone.length === 3) offset = `${zone}:00`;
    else offset = zone.includes(":") ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  }
  const iso = `${date}T${time.replace(",", ".")}${offset}`;
  if (Number.isNaN(Date.parse(iso))) return undefined;
  if (/^1970-01-01T00:00(?::00(?:\.0+)?)?(?:Z|[+-]00:00)?$/.test(iso)) return undefined;
  return iso;
}

/**
 * An element body without the indentation a pretty-printing writer wraps around it
 * (leading blank lines, trailing whitespace), or `undefined` when nothing is left.
 * Indentation of the first line is kept: some tools indent their messages on purpose.
 */
export function tidyText(text: string): string | undefined {
  const tidy = text.replace(/^(?:[ \t]*\r?\n)+/, "").trimEnd();
  return tidy === "" ? undefined : tidy;
}

/** Text bodies of properties are indented with the XML around them; strip the common indentation. */
function dedent(text: string): string | undefined {
  const lines = tidyText(text)?.split(/\r?\n/);
  if (lines === undefined) return undefined;
  const indent = Math.min(...lines.filter((line) => line.trim() !== "").map((line) => line.search(/\S/)));
  return lines.map((line) => line.slice(indent)).join("\n");
}

/** An attribute value, or `undefined` when it is missing or only whitespace. */
export function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

/** The first line of `text` that is not blank, trimmed. */
export function firstLine(text: string | undefined): string | undefined {
  return text
    ?.split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => line !== "");
}

/** A 1-based line number from a `line` attribute; `zeroBased` for writers that count from 0 (pytest). */
export function lineNumber(value: string | undefined, zeroBased: boolean): number | undefined {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  const line = Number(value) + (zeroBased ? 1 : 0);
  return line >= 1 ? line : undefined;
}

/**
 * Adds the `<property>` children of `element` to `into`. A property's value is its `value`
 * attribute, or its text when the attribute is missing or empty (both forms exist). A name
 * given twice in one element (Testmo's repeated `attachment`) keeps every value, one per line.
 */
export function addProperties(element: XmlElement, into: Record<string, string>): void {
  const seen = new Set<string>();
  for (const property of element.children) {
    if (property.name !== "property") continue;
    const name = property.attributes.name;
    if (name === undefined || name === "") continue;
    const attribute = property.attributes.value;
    const value = attribute === undefined || attribute === "" ? (dedent(property.text) ?? attribute ?? "") : attribute;
    const previous = into[name];
    into[name] = previous !== undefined && seen.has(name) ? `${previous}\n${value}` : value;
    seen.add(name);
  }
}
