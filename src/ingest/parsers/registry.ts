import { KaizenError } from "../../domain/errors.js";
import type { ReportSniff, ResultParser } from "../parser.js";
import { cucumberJsonParser } from "./cucumber-json.js";
import { dartJsonParser } from "./dart-json.js";
import { dotnetTrxParser } from "./dotnet-trx.js";
import { goTestJsonParser } from "./go-test-json.js";
import { jestJsonParser } from "./jest-json.js";
import { junitXmlParser } from "./junit-xml.js";
import { mochaJsonParser } from "./mocha-json.js";
import { nunitXmlParser } from "./nunit-xml.js";
import { playwrightJsonParser } from "./playwright-json.js";
import { rspecJsonParser } from "./rspec-json.js";
import { tapParser } from "./tap.js";
import { vitestJsonParser } from "./vitest-json.js";
import { xunitXmlParser } from "./xunit-xml.js";

/**
 * Every parser, in the order detection asks them: the first whose `matches` says yes reads
 * the file. More specific formats come before the ones they resemble (Vitest JSON before
 * Jest JSON, whose shape it borrows).
 */
export const PARSERS: readonly ResultParser[] = [
  junitXmlParser,
  dotnetTrxParser,
  nunitXmlParser,
  xunitXmlParser,
  vitestJsonParser,
  jestJsonParser,
  playwrightJsonParser,
  mochaJsonParser,
  cucumberJsonParser,
  rspecJsonParser,
  goTestJsonParser,
  dartJsonParser,
  tapParser,
];

/** The parser for a file, judged from its content; an `UNKNOWN_FORMAT` error naming the file when none fits. */
export function detectParser(sniff: ReportSniff, parsers: readonly ResultParser[] = PARSERS): ResultParser {
  const parser = parsers.find((candidate) => candidate.matches(sniff));
  if (parser !== undefined) return parser;
  const what =
    sniff.syntax === "xml"
      ? `XML with root element <${sniff.xmlRoot ?? "?"}>`
      : sniff.syntax === "json" || sniff.syntax === "ndjson"
        ? "JSON"
        : "text";
  throw new KaizenError(
    "UNKNOWN_FORMAT",
    `unknown report format (${what}); supported: ${parsers.map((p) => p.format).join(", ")}`,
    {
      file: sniff.path,
      httpStatus: 415,
    },
  );
}
