import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import { KaizenError } from "../../../src/domain/errors.js";
import { parserFor } from "../../../src/ingest/parse-job.js";
import type { ReportFormat } from "../../../src/ingest/parser.js";
import { fromWire, toWire } from "../../../src/ingest/worker-messages.js";

describe("errors crossing from the parse worker", () => {
  it("keep a KaizenError's code, file, position and status", () => {
    const file = faker.system.filePath();
    const line = faker.number.int({ min: 1, max: 10_000 });
    const original = new KaizenError("PARSE_ERROR", faker.lorem.sentence(), {
      file,
      position: { line, column: 3 },
      httpStatus: 422,
    });
    const back = fromWire(structuredClone(toWire(original)));
    expect(back).toBeInstanceOf(KaizenError);
    expect(back).toMatchObject({
      code: "PARSE_ERROR",
      message: original.message,
      file,
      position: { line, column: 3 },
      httpStatus: 422,
    });
  });

  it("keep a KaizenError without file or position as it was", () => {
    const back = fromWire(toWire(new KaizenError("INPUT_TOO_LARGE", "too large")));
    expect(back).toMatchObject({ code: "INPUT_TOO_LARGE", file: undefined, position: undefined, httpStatus: 500 });
  });

  it("turn any other error into a plain Error with its message", () => {
    const message = faker.lorem.sentence();
    const back = fromWire(toWire(new TypeError(message)));
    expect(back).not.toBeInstanceOf(KaizenError);
    expect(back.message).toBe(message);
    expect(fromWire(toWire("thrown text")).message).toBe("thrown text");
  });
});

describe("parserFor", () => {
  it("finds a registered format's parser", () => {
    expect(parserFor("tap").format).toBe("tap");
  });

  it("refuses a format nobody parses", () => {
    expect(() => parserFor("cobol-report" as ReportFormat)).toThrow(/no parser for the format cobol-report/);
  });
});
