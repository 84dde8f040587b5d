import { childNamed, type XmlElement } from "../xml-stream.js";

/**
 * Value readers shared by the .NET report parsers (TRX, NUnit, xUnit.net). Their XML puts
 * numbers, times and key/value pairs in the same few shapes, and each must be read the same
 * way: strictly (a clock time is not a duration), and leaving out what the report does not say.
 */

/** The text of the first child named `name`, or `undefined` when it is absent or blank. */
export function childText(element: XmlElement, name: string): string | undefined {
  const text = childNamed(element, name)?.text;
  return text === undefined || text.trim() === "" ? undefined : text;
}

/** `value` unless it is absent or blank. */
export function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

const SECONDS = /^\s*\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?\s*$/;

/** Milliseconds rounded to 0.1 µs, the resolution of a .NET `TimeSpan` tick. */
function roundMs(ms: number): number {
  return Math.round(ms * 10_000) / 10_000;
}

/**
 * A duration in seconds (`"0.0123"`, or `"0,0123"` from a runner under a comma-decimal
 * locale) as milliseconds. Negative values, which some runners emit when a clock goes
 * backwards, and anything that is not a plain number come back `undefined`.
 */
export function secondsToMs(value: string | undefined): number | undefined {
  if (value === undefined || !SECONDS.test(value)) return undefined;
  const seconds = Number(value.trim().replace(",", "."));
  return Number.isFinite(seconds) ? roundMs(seconds * 1000) : undefined;
}

const TIME_SPAN = /^\s*(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)\s*$/;

/** A .NET `TimeSpan` (`"00:00:00.0012345"`, `"1.02:03:04.5"`) as milliseconds. */
export function timeSpanToMs(value: string | undefined): number | undefined {
  const match = value === undefined ? null : TIME_SPAN.exec(value);
  if (match === null) return undefined;
  const [, days = "0", hours = "0", minutes = "0", seconds = "0"] = match;
  const total = ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds);
  return roundMs(total * 1000);
}

/**
 * A timestamp as the report gives it, made ISO-8601 where it is one written with a space
 * (`"2021-06-28 20:23:41Z"`). .NET's `default(DateTime)` (`0001-01-01...`), which some
 * writers emit for "unknown", and text that is no date at all come back `undefined`.
 */
export function isoTimestamp(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  if (trimmed === undefined || trimmed === "" || trimmed.startsWith("0001-01-01")) return undefined;
  const iso = trimmed.replace(/^(\d{4}-\d{2}-\d{2}) (?=\d)/, "$1T");
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

/** A date and a clock time given apart (`run-date="2019-02-01" run-time="14:47:17"`) as one ISO-8601 local time. */
export function joinDateTime(date: string | undefined, time: string | undefined): string | undefined {
  const day = date?.trim();
  const clock = time?.trim();
  if (day === undefined || clock === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !/^\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(clock)) return undefined;
  return isoTimestamp(`${day}T${clock.indexOf(":") === 1 ? "0" : ""}${clock}`);
}

/** Milliseconds between two ISO-8601 timestamps, when both parse and the second is not earlier. */
export function elapsedMs(start: string | undefined, finish: string | undefined): number | undefined {
  if (start === undefined || finish === undefined) return undefined;
  const elapsed = Date.parse(finish) - Date.parse(start);
  return Number.isNaN(elapsed) || elapsed < 0 ? undefined : elapsed;
}

/**
 * Collects key/value pairs where a key may repeat (NUnit categories, xUnit traits): repeated
 * values are joined with `", "` in document order, because a raw record holds one value per key.
 */
export class PropertyBag {
  readonly #values = new Map<string, string[]>();

  /** Adds one value; blank keys and absent values are ignored. */
  add(key: string | undefined, value: string | undefined): void {
    if (key === undefined || key.trim() === "" || value === undefined) return;
    const values = this.#values.get(key);
    if (values === undefined) this.#values.set(key, [value]);
    else values.push(value);
  }

  /** The collected pairs, or `undefined` when there are none. */
  toRecord(): Record<string, string> | undefined {
    if (this.#values.size === 0) return undefined;
    const record: Record<string, string> = {};
    for (const [key, values] of this.#values) record[key] = values.join(", ");
    return record;
  }
}

/** Distinct, non-blank tags in first-seen order, or `undefined` when there are none. */
export function distinctTags(tags: readonly (string | undefined)[]): string[] | undefined {
  const seen = new Set<string>();
  for (const tag of tags) {
    const trimmed = tag?.trim();
    if (trimmed !== undefined && trimmed !== "") seen.add(trimmed);
  }
  return seen.size === 0 ? undefined : [...seen];
}

/**
 * `fields` without its `undefined` members, so records carry only what the report says
 * (`toStrictEqual` and JSON both see the difference between absent and `undefined`).
 */
export function definedFields<T extends object>(fields: T): T {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) result[key] = value;
  return result as T;
}

/** `name` without a leading `"<prefix>."`, the form in which several runners repeat the class in a test's name. */
export function withoutPrefix(name: string, prefix: string | undefined): string {
  if (prefix === undefined || prefix === "" || name.length <= prefix.length + 1) return name;
  return name.startsWith(prefix) && name[prefix.length] === "." ? name.slice(prefix.length + 1) : name;
}

/** A test's properties with the assembly it came from; the report's own keys win a clash. */
export function withAssembly(
  assembly: string | undefined,
  properties: Readonly<Record<string, string>> | undefined,
): Record<string, string> | undefined {
  if (assembly === undefined) return properties === undefined ? undefined : { ...properties };
  return { assembly, ...properties };
}
