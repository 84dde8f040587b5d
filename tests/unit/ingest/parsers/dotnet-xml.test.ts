import { describe, expect, it } from "vitest";
import {
  definedFields,
  distinctTags,
  elapsedMs,
  isoTimestamp,
  joinDateTime,
  PropertyBag,
  secondsToMs,
  timeSpanToMs,
  withAssembly,
  withoutPrefix,
} from "../../../../src/ingest/parsers/dotnet-xml.js";

describe("the .NET report value readers", () => {
  it.each([
    ["0.0123", 12.3],
    ["2", 2000],
    ["0,4321", 432.1],
    [" 1e-3 ", 1],
    ["1e400", undefined],
    ["-0.027", undefined],
    ["12:25:14", undefined],
    ["", undefined],
    [undefined, undefined],
  ])("reads seconds %j as %j ms", (value, expected) => {
    expect(secondsToMs(value)).toBe(expected);
  });

  it.each([
    ["00:00:00.0012345", 1.2345],
    ["00:01:02", 62_000],
    ["1.02:03:04.5", 93_784_500],
    ["00:00:00", 0],
    ["1:2", undefined],
    [undefined, undefined],
  ])("reads the TimeSpan %j as %j ms", (value, expected) => {
    expect(timeSpanToMs(value)).toBe(expected);
  });

  it.each([
    ["2021-06-28 20:23:41Z", "2021-06-28T20:23:41Z"],
    ["2021-04-20T08:31:32.9669698+02:00", "2021-04-20T08:31:32.9669698+02:00"],
    ["0001-01-01T00:00:00", undefined],
    ["yesterday", undefined],
    ["  ", undefined],
    [undefined, undefined],
  ])("reads the timestamp %j as %j", (value, expected) => {
    expect(isoTimestamp(value)).toBe(expected);
  });

  it("joins a date and a clock time, padding a one-digit hour, refusing what is neither", () => {
    expect(joinDateTime("2015-04-15", "12:25:14")).toBe("2015-04-15T12:25:14");
    expect(joinDateTime("2023-09-14", "8:05:09")).toBe("2023-09-14T08:05:09");
    expect(joinDateTime("04/15/2015", "12:25:14")).toBeUndefined();
    expect(joinDateTime("2015-04-15", "noon")).toBeUndefined();
    expect(joinDateTime(undefined, "12:25:14")).toBeUndefined();
  });

  it("measures elapsed time only forwards and between real timestamps", () => {
    expect(elapsedMs("2024-01-01T00:00:00Z", "2024-01-01T00:00:01.5Z")).toBe(1500);
    expect(elapsedMs("2024-01-01T00:00:01Z", "2024-01-01T00:00:00Z")).toBeUndefined();
    expect(elapsedMs("2024-01-01T00:00:00Z", "later")).toBeUndefined();
    expect(elapsedMs(undefined, "2024-01-01T00:00:00Z")).toBeUndefined();
  });

  it("joins repeated property values and skips blank keys and absent values", () => {
    const bag = new PropertyBag();
    expect(bag.toRecord()).toBeUndefined();
    bag.add("Category", "Unit");
    bag.add("Category", "Fast");
    bag.add(" ", "blank key");
    bag.add(undefined, "no key");
    bag.add("Owner", undefined);
    bag.add("Flag", "");
    expect(bag.toRecord()).toEqual({ Category: "Unit, Fast", Flag: "" });
  });

  it("keeps distinct non-blank tags in order", () => {
    expect(distinctTags(["Unit", " Fast ", "Unit", "", undefined])).toEqual(["Unit", "Fast"]);
    expect(distinctTags([undefined, " "])).toBeUndefined();
  });

  it("drops undefined fields only", () => {
    expect(definedFields({ a: 1, b: undefined, c: "", d: 0 })).toEqual({ a: 1, c: "", d: 0 });
    expect(Object.keys(definedFields({ a: undefined }))).toEqual([]);
  });

  it("strips a repeated class prefix only where a dot follows it and something is left", () => {
    expect(withoutPrefix("Ns.Class.Method", "Ns.Class")).toBe("Method");
    expect(withoutPrefix("Ns.ClassTests.Method", "Ns.Class")).toBe("Ns.ClassTests.Method");
    expect(withoutPrefix("Ns.Class.", "Ns.Class")).toBe("Ns.Class.");
    expect(withoutPrefix("Custom Name", "Ns.Class")).toBe("Custom Name");
    expect(withoutPrefix("Method", undefined)).toBe("Method");
    expect(withoutPrefix("Method", "")).toBe("Method");
  });

  it("adds the assembly to a test's properties without overriding the report's own keys", () => {
    expect(withAssembly("a.dll", { Owner: "alice" })).toEqual({ assembly: "a.dll", Owner: "alice" });
    expect(withAssembly("a.dll", { assembly: "from a trait" })).toEqual({ assembly: "from a trait" });
    expect(withAssembly(undefined, { Owner: "alice" })).toEqual({ Owner: "alice" });
    expect(withAssembly(undefined, undefined)).toBeUndefined();
  });
});
