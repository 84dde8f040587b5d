import { describe, expect, it } from "vitest";
import {
  errorTypeOf,
  failureFromParts,
  failureFromText,
  stripAnsi,
  withoutTypePrefix,
} from "../../../../src/ingest/parsers/failure-text.js";

describe("stripAnsi", () => {
  it("removes colour and hyperlink escapes and keeps other text", () => {
    expect(stripAnsi("\u001b[31mred\u001b[39m and \u001b]8;;https://x.test\u0007link\u001b]8;;\u0007")).toBe(
      "red and link",
    );
    expect(stripAnsi("plain")).toBe("plain");
    expect(stripAnsi("lone \u001b escape")).toBe("lone \u001b escape");
  });
});

describe("errorTypeOf", () => {
  it.each([
    ["TypeError: x", "TypeError"],
    ["AssertionError [ERR_ASSERTION]: Expected", "AssertionError"],
    ["  errors.NotFoundException: gone", "errors.NotFoundException"],
    ["\u001b[31mError: red\u001b[39m", "Error"],
    ["expected: 3", undefined],
    ["Timeout of 20ms exceeded", undefined],
    ["https://example.com: down", undefined],
  ])("%j -> %s", (text, type) => {
    expect(errorTypeOf(text)).toBe(type);
  });

  it("has no type for no text", () => {
    expect(errorTypeOf(undefined)).toBeUndefined();
  });
});

describe("withoutTypePrefix", () => {
  it("removes only the prefix of the given type", () => {
    expect(withoutTypePrefix("TypeError: bad", "TypeError")).toBe("bad");
    expect(withoutTypePrefix("TypeError: bad", "RangeError")).toBe("TypeError: bad");
    expect(withoutTypePrefix("TypeError: bad", undefined)).toBe("TypeError: bad");
  });
});

describe("failureFromText", () => {
  it("takes the message up to the first frame or source excerpt", () => {
    expect(failureFromText("Error: boom\n\ndetails\n    at f (a.js:1:1)")).toEqual({
      type: "Error",
      message: "boom\n\ndetails",
      stack: "Error: boom\n\ndetails\n    at f (a.js:1:1)",
    });
    expect(failureFromText("Error: boom\n\n  3 |   expect(x)\n    at f (a.js:3:1)")).toMatchObject({ message: "boom" });
  });

  it("keeps frameless text as a message only", () => {
    expect(failureFromText("\n\n  just words  \n")).toEqual({ message: "just words" });
    expect(failureFromText("")).toEqual({});
  });
});

describe("failureFromParts", () => {
  it("prefers the given type, strips the prefix from the message and drops a stack that repeats it", () => {
    expect(
      failureFromParts({
        type: "TimeoutError",
        message: "Timeout of 2ms exceeded.",
        stack: "Timeout of 2ms exceeded.",
      }),
    ).toEqual({
      type: "TimeoutError",
      message: "Timeout of 2ms exceeded.",
    });
    expect(failureFromParts({ message: "Error: x", stack: "Error: x\n    at a (b.js:1:1)" })).toEqual({
      type: "Error",
      message: "x",
      stack: "Error: x\n    at a (b.js:1:1)",
    });
  });

  it("finds the message in the stack when there is no message", () => {
    expect(failureFromParts({ stack: "RangeError: far\n    at a (b.js:1:1)" })).toEqual({
      type: "RangeError",
      message: "far",
      stack: "RangeError: far\n    at a (b.js:1:1)",
    });
    expect(failureFromParts({ type: "Custom", stack: "far away" })).toEqual({
      type: "Custom",
      message: "far away",
      stack: "far away",
    });
    expect(failureFromParts({ stack: "just a line" })).toEqual({ message: "just a line", stack: "just a line" });
  });

  it("returns nothing for nothing", () => {
    expect(failureFromParts({})).toEqual({});
    expect(failureFromParts({ message: "", stack: "" })).toEqual({});
  });
});
