import type { z } from "zod";
import { parseError } from "../../domain/errors.js";
import { lineAndColumn, readJsonDocument, readJsonText } from "../json-document.js";
import type { ReportSource } from "../parser.js";
import { locateJsonPath, type JsonPathSegment } from "./json-scan.js";

/** How {@link readValidatedJson} names and recognises a format. */
export interface JsonReportKind {
  /** The format as users call it, for messages: `Jest JSON report`. */
  readonly label: string;
  /** Top-level members without which the document is not this format at all. */
  readonly required: readonly string[];
}

/** What a value that is not an object is, for "the document is …, not an object". */
function describeValue(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out === "" ? "the document" : out;
}

/**
 * Reads a whole JSON report and validates it with `schema`. A document that is not an
 * object or lacks a required member is "not a <label>"; one that fails the schema is a
 * `PARSE_ERROR` naming the member, with the line and column where it is in the file.
 */
export async function readValidatedJson<S extends z.ZodType>(
  source: ReportSource,
  schema: S,
  kind: JsonReportKind,
): Promise<z.output<S>> {
  const document = await readJsonDocument(source);
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    throw parseError(source.path, `not a ${kind.label}: the document is ${describeValue(document)}, not an object`);
  }
  const missing = kind.required.filter((key) => !Object.hasOwn(document, key));
  if (missing.length > 0) {
    throw parseError(source.path, `not a ${kind.label}: missing ${missing.map((key) => `"${key}"`).join(", ")}`);
  }
  const result = schema.safeParse(document);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  const target = path.filter((segment): segment is JsonPathSegment => typeof segment !== "symbol");
  const text = await readJsonText(source);
  throw parseError(
    source.path,
    `not a valid ${kind.label}: ${formatPath(path)}: ${issue?.message ?? "invalid"}`,
    lineAndColumn(text, locateJsonPath(text, target)),
    result.error,
  );
}
