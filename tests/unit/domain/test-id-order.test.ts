import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import { idHalvesOrder } from "../../../src/domain/test-id-order.js";
import { testIdHalves, testIdOf } from "../../../src/domain/test-identity.js";

const someIds = (count: number): string[] =>
  Array.from({ length: count }, () =>
    testIdOf({ project: faker.lorem.slug(), suite: faker.lorem.words(2), name: faker.string.uuid(), file: null }),
  );

/** The halves of each id, in typed arrays of `capacity` entries (the rest left at `fill`). */
function halvesOf(ids: readonly string[], capacity = ids.length, fill = 0): { high: Uint32Array; low: Uint32Array } {
  const high = new Uint32Array(capacity).fill(fill);
  const low = new Uint32Array(capacity).fill(fill);
  const halves = new Uint32Array(2);
  ids.forEach((id, i) => {
    expect(testIdHalves(id, halves)).toBe(true);
    high[i] = halves[0] as number;
    low[i] = halves[1] as number;
  });
  return { high, low };
}

/** The order a comparison sort of the ids as text gives, equal ids by position. */
const textOrder = (ids: readonly string[]): number[] =>
  [...ids.keys()].sort((a, b) => ((ids[a] as string) < (ids[b] as string) ? -1 : ids[a] === ids[b] ? a - b : 1));

describe("test id order", () => {
  // 5,000 ids take the radix sort, 300 the comparison sort below its threshold.
  it.each([5_000, 300])("sorts %i ids as their text sorts, keeping equal ids in their order", (count) => {
    const distinct = someIds(count);
    // Repeats (a test listed again) and ids at both ends of the key space.
    const ids = faker.helpers.shuffle([
      ...distinct,
      ...distinct.slice(0, count / 10),
      "0000000000000000",
      "ffffffffffffffff",
    ]);
    const { high, low } = halvesOf(ids);
    expect([...idHalvesOrder(high, low)]).toEqual(textOrder(ids));
  });

  it("orders ids that share their first 32 bits by the rest", () => {
    const prefix = faker.string.hexadecimal({ length: 8, casing: "lower", prefix: "" });
    const ids = [
      ...someIds(3_000),
      ...Array.from(
        { length: 50 },
        () => prefix + faker.string.hexadecimal({ length: 8, casing: "lower", prefix: "" }),
      ),
    ];
    const { high, low } = halvesOf(ids);
    expect([...idHalvesOrder(high, low)]).toEqual(textOrder(ids));
  });

  it.each([3_000, 30])("sorts only the first %i entries of longer columns", (count) => {
    const ids = someIds(count);
    // Whatever follows the entries in use would sort first: it must not be read.
    const { high, low } = halvesOf(ids, count + 1_000, 0);
    expect([...idHalvesOrder(high, low, count)]).toEqual(textOrder(ids));
  });

  it("gives an empty order for no ids", () => {
    expect(idHalvesOrder(new Uint32Array(0), new Uint32Array(0))).toHaveLength(0);
  });
});
