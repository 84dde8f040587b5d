import { describe, expect, it } from "vitest";
import { sniffBytes } from "../../../../src/ingest/sniff.js";
import {
  jsonHeadShape,
  locateJsonPath,
  sniffShape,
  walkJson,
  type JsonPathSegment,
} from "../../../../src/ingest/parsers/json-scan.js";

function visits(text: string): [string, number, string][] {
  const out: [string, number, string][] = [];
  walkJson(text, (path, offset, kind) => void out.push([JSON.stringify(path), offset, kind]));
  return out;
}

describe("walkJson", () => {
  it("reports where every value starts, by path", () => {
    const text = '{"a": [1, {"b": "x"}], "c": null, "d": {"e\\"q": true}}';
    expect(visits(text)).toEqual([
      ["[]", 0, "object"],
      ['["a"]', 6, "array"],
      ['["a",0]', 7, "primitive"],
      ['["a",1]', 10, "object"],
      ['["a",1,"b"]', 16, "string"],
      ['["c"]', 28, "primitive"],
      ['["d"]', 39, "object"],
      ['["d","e\\"q"]', 48, "primitive"],
    ]);
  });

  it("stops quietly in an unterminated string or a key with a bad escape", () => {
    expect(visits('{"a": "never ends')).toEqual([["[]", 0, "object"]]);
    expect(visits('{"a\\x": 1, "b": 2}')).toEqual([["[]", 0, "object"]]);
  });

  it("reads a sequence of top-level values", () => {
    expect(visits("1, 2")).toEqual([
      ["[]", 0, "primitive"],
      ["[]", 3, "primitive"],
    ]);
  });

  it("stops when the visitor says so", () => {
    const seen: JsonPathSegment[][] = [];
    walkJson("[1, 2, 3]", (path) => {
      seen.push([...path]);
      return path[0] === 1 ? "stop" : undefined;
    });
    expect(seen).toEqual([[], [0], [1]]);
    walkJson('{"a": {"b": 1}}', (path) => (path.length === 1 ? "stop" : undefined));
    walkJson('{"a": "s", "b": 1}', (path) => (path[0] === "a" ? "stop" : undefined));
  });
});

describe("jsonHeadShape", () => {
  it("lists member paths with [] for array elements, even in a cut document", () => {
    const shape = jsonHeadShape(
      '{"testResults": [{"assertionResults": [{"meta": {}, "title": "x"}]}], "x": {"y": [[{"z": 1',
    );
    expect(shape.root).toBe("object");
    expect([...shape.paths]).toEqual([
      "testResults",
      "testResults[]",
      "testResults[].assertionResults",
      "testResults[].assertionResults[]",
      "testResults[].assertionResults[].meta",
      "testResults[].assertionResults[].title",
      "x",
      "x.y",
      "x.y[]",
      "x.y[][]",
      "x.y[][].z",
    ]);
  });

  it("records nothing deeper than eight levels and knows array and empty roots", () => {
    const deep = '{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":1}}}}}}}}}';
    expect(jsonHeadShape(deep).paths.has("a.b.c.d.e.f.g.h")).toBe(true);
    expect(jsonHeadShape(deep).paths.has("a.b.c.d.e.f.g.h.i")).toBe(false);
    expect(jsonHeadShape("[1]").root).toBe("array");
    expect(jsonHeadShape("   ").root).toBeUndefined();
  });
});

describe("sniffShape", () => {
  it("computes the shape of a sniff once", () => {
    const sniff = sniffBytes("a.json", Buffer.from('{"a": {"b": 1}}'), true);
    const shape = sniffShape(sniff);
    expect([...shape.paths]).toEqual(["a", "a.b"]);
    expect(sniffShape(sniff)).toBe(shape);
  });
});

describe("locateJsonPath", () => {
  const text = '{\n  "list": [\n    {"name": "a"},\n    {"name": 7}\n  ]\n}';

  it("finds the value at a path", () => {
    expect(locateJsonPath(text, ["list", 1, "name"])).toBe(text.indexOf("7"));
    expect(locateJsonPath(text, [])).toBe(0);
  });

  it("falls back to the deepest ancestor that exists", () => {
    expect(locateJsonPath(text, ["list", 1, "missing"])).toBe(text.indexOf('{"name": 7}'));
    expect(locateJsonPath(text, ["other"])).toBe(0);
    expect(locateJsonPath("", ["x"])).toBe(0);
  });
});
