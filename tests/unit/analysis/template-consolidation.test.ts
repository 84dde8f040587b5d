import { describe, expect, it } from "vitest";
import { WILDCARD as W } from "../../../src/analysis/log-tokens.js";
import { collapseWildcards, consolidateTemplates, isInstanceOf } from "../../../src/analysis/template-consolidation.js";
import type { MinedTemplate } from "../../../src/analysis/template-miner.js";

const mined = (id: number, text: string, size = 1): MinedTemplate => ({ id, tokens: text.split(" "), size });

describe("collapseWildcards", () => {
  it("collapses runs of wildcards into one", () => {
    expect(collapseWildcards(["a", W, W, "b", W])).toEqual(["a", W, "b", W]);
  });
});

describe("isInstanceOf", () => {
  it("lets a wildcard stand for several values and at most one word", () => {
    expect(isInstanceOf(["rm", W, W, "ok"], ["rm", W, "ok"])).toBe(true);
    expect(isInstanceOf(["rm", "a", W, "ok"], ["rm", W, "ok"])).toBe(true);
    expect(isInstanceOf(["rm", "a", "b", "ok"], ["rm", W, "ok"])).toBe(false);
    expect(isInstanceOf(["rm", "ok"], ["rm", W, "ok"])).toBe(false);
    expect(isInstanceOf(["rm", W, "done"], ["rm", W, "ok"])).toBe(false);
  });
});

describe("consolidateTemplates", () => {
  it("merges templates equal once runs of wildcards are collapsed", () => {
    const result = consolidateTemplates([mined(1, `got ${W} from ${W}`, 5), mined(2, `got ${W} ${W} from ${W}`, 2)]);
    expect(result.representative.get(2)).toBe(1);
    expect(result.tokens.get(1)).toEqual(["got", W, "from", W]);
  });

  it("merges a small template into a larger one it is an instance of", () => {
    const result = consolidateTemplates([
      mined(1, `${W} status installed ${W} ${W}`, 40),
      mined(2, `${W} status installed ${W} hold`, 1),
    ]);
    expect(result.representative.get(2)).toBe(1);
    expect([...result.tokens.keys()]).toEqual([1]);
  });

  it("keeps templates apart when the general one has fewer than two words or none in common", () => {
    const result = consolidateTemplates([
      mined(1, `Error ${W}`, 10),
      mined(2, `Error disk ${W} full`, 1),
      mined(3, `${W} ${W}`, 3),
      mined(4, `${W} sync ${W}`, 3),
    ]);
    expect(result.representative.get(2)).toBe(2);
    expect(result.representative.get(3)).toBe(3);
    expect(result.representative.get(4)).toBe(4);
  });
});
