import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isKaizenError, type KaizenError } from "../../../../src/domain/errors.js";
import { bufferSource } from "../../../../src/ingest/report-source.js";
import { readValidatedJson } from "../../../../src/ingest/parsers/validated-json.js";

const KIND = { label: "Example report", required: ["items"] };

async function rejection(
  text: string,
  schema: z.ZodType = z.looseObject({ items: z.array(z.number()) }),
): Promise<KaizenError> {
  try {
    await readValidatedJson(bufferSource("example.json", text), schema, KIND);
  } catch (error) {
    if (isKaizenError(error)) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("readValidatedJson", () => {
  it("returns the validated document", async () => {
    const data = await readValidatedJson(
      bufferSource("ok.json", '{"items": [1, 2], "extra": true}'),
      z.looseObject({ items: z.array(z.number()) }),
      KIND,
    );
    expect(data).toEqual({ items: [1, 2], extra: true });
  });

  it("names what the document is when it is not an object", async () => {
    expect((await rejection('"text"')).message).toBe("not a Example report: the document is a string, not an object");
  });

  it("names missing members", async () => {
    const error = await rejection("{}");
    expect(error).toMatchObject({
      code: "PARSE_ERROR",
      file: "example.json",
      message: 'not a Example report: missing "items"',
    });
  });

  it("names the failing member with its line and column", async () => {
    const error = await rejection('{\n  "items": [1,\n    "two"]\n}');
    expect(error.message).toMatch(/^not a valid Example report: items\[1\]: /);
    expect(error.position).toEqual({ line: 3, column: 5 });
  });

  it("speaks of the document for an issue at its root", async () => {
    const schema = z.looseObject({ items: z.array(z.number()) }).refine(() => false, { error: "never valid" });
    const error = await rejection('{"items": []}', schema);
    expect(error.message).toBe("not a valid Example report: the document: never valid");
    expect(error.position).toEqual({ line: 1, column: 1 });
  });
});
