import { describe, expect, it } from "vitest";
import { isKaizenError, KaizenError, parseError } from "../../../src/domain/errors.js";

describe("KaizenError", () => {
  it("carries a stable code, the file, the position and an HTTP status", () => {
    const cause = new Error("low level");
    const error = new KaizenError("INPUT_TOO_LARGE", "too big", {
      file: "a.json",
      position: { line: 2, column: 3, offset: 40 },
      cause,
      httpStatus: 413,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: "KaizenError",
      code: "INPUT_TOO_LARGE",
      message: "too big",
      file: "a.json",
      position: { line: 2, column: 3, offset: 40 },
      httpStatus: 413,
    });
    expect(error.cause).toBe(cause);
    expect(error.stack).toContain("too big");
  });

  it("defaults to no file, no position, no cause and status 500", () => {
    const error = new KaizenError("STORE_ERROR", "disk full");
    expect(error.file).toBeUndefined();
    expect(error.position).toBeUndefined();
    expect(error.httpStatus).toBe(500);
    expect("cause" in error).toBe(false);
  });

  it.each([
    [{}, "boom"],
    [{ file: "r.xml" }, "r.xml: boom"],
    [{ file: "r.xml", position: { line: 3 } }, "r.xml:3: boom"],
    [{ file: "r.xml", position: { line: 3, column: 7 } }, "r.xml:3:7: boom"],
    [{ file: "r.xml", position: { line: 3, column: 7, offset: 99 } }, "r.xml:3:7: boom"],
    [{ file: "r.xml", position: { column: 7 } }, "r.xml: boom"],
    [{ file: "r.xml", position: { offset: 99 } }, "r.xml: boom"],
    [{ position: { line: 3, column: 7 } }, "3:7: boom"],
    [{ file: "C:\\reports\\r.xml", position: { line: 1, column: 1 } }, "C:\\reports\\r.xml:1:1: boom"],
  ])("describes %j as %j, the way compilers print file:line:column", (options, described) => {
    expect(new KaizenError("PARSE_ERROR", "boom", options).describe()).toBe(described);
  });
});

describe("parseError", () => {
  it("builds a PARSE_ERROR with status 422 naming the file and position", () => {
    const cause = new SyntaxError("bad");
    const error = parseError("r.json", "malformed", { line: 4, column: 2 }, cause);
    expect(error).toMatchObject({
      code: "PARSE_ERROR",
      message: "malformed",
      file: "r.json",
      position: { line: 4, column: 2 },
      httpStatus: 422,
    });
    expect(error.cause).toBe(cause);
    expect(parseError("r.json", "no position").position).toBeUndefined();
  });
});

describe("isKaizenError", () => {
  it("recognises KaizenErrors", () => {
    expect(isKaizenError(new KaizenError("USAGE", "bad flag"))).toBe(true);
    expect(isKaizenError(parseError("f", "m"))).toBe(true);
  });

  it("recognises a KaizenError of another copy of the module by its shape", () => {
    class KaizenError extends Error {
      readonly code = "NOT_FOUND";
      constructor(message: string) {
        super(message);
        this.name = "KaizenError";
      }
      describe(): string {
        return this.message;
      }
    }
    expect(isKaizenError(new KaizenError("from elsewhere"))).toBe(true);
  });

  it.each([
    ["a plain Error", new Error("x")],
    ["a TypeError", new TypeError("x")],
    ["an Error with a code", Object.assign(new Error("x"), { code: "ENOENT" })],
    ["an Error named KaizenError without a code", Object.assign(new Error("x"), { name: "KaizenError" })],
    [
      "an Error named KaizenError without describe()",
      Object.assign(new Error("x"), { name: "KaizenError", code: "USAGE" }),
    ],
    ["a plain object of the same shape", { name: "KaizenError", code: "USAGE", message: "x", describe: () => "x" }],
    ["a string", "PARSE_ERROR"],
    ["null", null],
    ["undefined", undefined],
  ])("rejects %s", (_what, value) => {
    expect(isKaizenError(value)).toBe(false);
  });
});
