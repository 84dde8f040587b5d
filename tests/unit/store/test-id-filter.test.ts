import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import { testIdOf } from "../../../src/domain/test-identity.js";
import { TestIdFilter } from "../../../src/store/test-id-filter.js";

const someIds = (count: number): string[] =>
  Array.from({ length: count }, () =>
    testIdOf({ project: faker.lorem.slug(), suite: faker.lorem.words(2), name: faker.string.uuid(), file: null }),
  );

describe("test id filter", () => {
  it("says maybe for every id added", () => {
    const filter = new TestIdFilter(20);
    const ids = someIds(20_000);
    for (const id of ids) filter.add(id);
    expect(ids.filter((id) => !filter.mayHave(id))).toEqual([]);
  });

  it("says no for nearly every id never added", () => {
    const filter = new TestIdFilter(20);
    for (const id of someIds(20_000)) filter.add(id);
    const others = someIds(10_000);
    const falseHits = others.filter((id) => filter.mayHave(id)).length;
    // Two bits each of 20,000 ids in 2^20: about 0.14% of other ids find both set; 1% is far beyond chance.
    expect(falseHits / others.length).toBeLessThan(0.01);
    expect(new TestIdFilter(20).mayHave(others[0] as string)).toBe(false);
  });

  it("says maybe for any id that is not a hash testIdOf made, added or not", () => {
    const filter = new TestIdFilter(20);
    const odd = faker.lorem.word();
    filter.add(odd);
    expect(filter.mayHave(odd)).toBe(true);
    expect(filter.mayHave(`Z${faker.string.hexadecimal({ length: 15, prefix: "" })}`)).toBe(true);
  });

  it("answers for ids given as their halves as for the ids themselves", () => {
    const filter = new TestIdFilter(20);
    const [added, other] = someIds(2) as [string, string];
    const halves = (id: string): [number, number] => [
      Number.parseInt(id.slice(0, 8), 16),
      Number.parseInt(id.slice(8), 16),
    ];
    filter.addHalves(...halves(added));
    expect(filter.mayHave(added)).toBe(true);
    expect(filter.mayHaveHalves(...halves(added))).toBe(true);
    expect(filter.mayHaveHalves(...halves(other))).toBe(filter.mayHave(other));
  });

  it("refuses a size that is no whole power of two it can hold", () => {
    for (const bits of [4, 33, 20.5]) expect(() => new TestIdFilter(bits)).toThrow(RangeError);
  });
});
