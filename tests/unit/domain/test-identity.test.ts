import { faker } from "@faker-js/faker";
import { beforeEach, describe, expect, it } from "vitest";
import {
  SUITE_SEPARATOR,
  testIdFromHalves,
  testIdHalves,
  testIdOf,
  type TestIdentity,
} from "../../../src/domain/test-identity.js";

const identity = (): TestIdentity => ({
  project: faker.word.noun(),
  suite: [faker.word.noun(), faker.word.noun()].join(SUITE_SEPARATOR),
  name: faker.lorem.sentence(),
  file: faker.system.filePath().replace(/^\//, ""),
});

describe("testIdOf", () => {
  beforeEach(() => {
    faker.seed(5);
  });

  it("is 16 hex characters, the same for the same identity", () => {
    for (let n = 0; n < 50; n++) {
      const test = identity();
      const id = testIdOf(test);
      expect(id).toMatch(/^[0-9a-f]{16}$/);
      expect(testIdOf({ ...test })).toBe(id);
    }
  });

  it("never changes for an identity already stored", () => {
    // Stored ids are keys in every database: changing how they are computed orphans all history.
    expect(testIdOf({ project: "p", suite: "s", name: "n", file: "f" })).toBe("d4199fd8ae0228a8");
    expect(testIdOf({ project: "p", suite: "", name: "n", file: null })).toBe("14c805b699222205");
  });

  it("tells apart identities that differ in any part", () => {
    const test = identity();
    const id = testIdOf(test);
    expect(testIdOf({ ...test, project: `${test.project}x` })).not.toBe(id);
    expect(testIdOf({ ...test, suite: `${test.suite}x` })).not.toBe(id);
    expect(testIdOf({ ...test, name: `${test.name}x` })).not.toBe(id);
    expect(testIdOf({ ...test, file: `${test.file ?? ""}x` })).not.toBe(id);
    expect(testIdOf({ ...test, file: null })).not.toBe(id);
  });

  it("cannot be fooled by moving text from one part to the next", () => {
    const base = { project: "p", file: null };
    expect(testIdOf({ ...base, suite: "a b", name: "c" })).not.toBe(testIdOf({ ...base, suite: "a", name: "b c" }));
    expect(testIdOf({ ...base, suite: 'a","b', name: "c" })).not.toBe(testIdOf({ ...base, suite: "a", name: 'b","c' }));
  });

  it("treats a missing file like an empty one", () => {
    expect(testIdOf({ project: "p", suite: "s", name: "n", file: null })).toBe(
      testIdOf({ project: "p", suite: "s", name: "n", file: "" }),
    );
  });
});

describe("testIdFromHalves", () => {
  it("spells out again the id that testIdHalves split, whatever its digits", () => {
    const halves = new Uint32Array(2);
    const ids = [
      ...Array.from({ length: 200 }, () => testIdOf(identity())),
      "0000000000000000",
      "ffffffffffffffff",
      "0123456789abcdef",
    ];
    for (const id of ids) {
      expect(testIdHalves(id, halves)).toBe(true);
      expect(testIdFromHalves(halves[0] as number, halves[1] as number)).toBe(id);
    }
  });
});
