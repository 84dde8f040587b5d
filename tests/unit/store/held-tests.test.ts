import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import { testIdOf } from "../../../src/domain/test-identity.js";
import { HELD_TEST_COLUMNS, HeldTests } from "../../../src/store/held-tests.js";

interface Held {
  id: string;
  suite: string;
  name: string;
  file: string | null;
  line: number | null;
}

const someTest = (): Held => {
  const suite = faker.lorem.words(2);
  const name = faker.string.uuid();
  const file = faker.helpers.maybe(() => faker.system.filePath()) ?? null;
  return {
    id: testIdOf({ project: "acme/shop", suite, name, file }),
    suite,
    name,
    file,
    line: faker.helpers.maybe(() => faker.number.int({ min: 1, max: 5000 })) ?? null,
  };
};

const hold = (held: HeldTests, t: Held): void => held.add(t.id, t.suite, t.name, t.file, t.line);

/** Every call of a drain, and the tests rebuilt from the values it was given. */
function drained(held: HeldTests, rowsPerCall: number): { calls: number[]; tests: Held[] } {
  const columns = HELD_TEST_COLUMNS.length;
  const calls: number[] = [];
  const tests: Held[] = [];
  held.drain((values) => {
    expect(values.length % columns).toBe(0);
    calls.push(values.length / columns);
    for (let at = 0; at < values.length; at += columns) {
      const [id, suite, name, file, line] = values.slice(at, at + columns) as [
        string,
        string,
        string,
        string | null,
        number | null,
      ];
      tests.push({ id, suite, name, file, line });
    }
  }, rowsPerCall);
  return { calls, tests };
}

describe("held tests", () => {
  it("hands back every test in id order, a page per call, and forgets them", () => {
    const tests = Array.from({ length: 3_500 }, someTest);
    const held = new HeldTests();
    for (const t of tests) hold(held, t);
    expect(held.size).toBe(tests.length);
    const { calls, tests: out } = drained(held, 1_000);
    expect(calls).toEqual([1_000, 1_000, 1_000, 500]);
    expect(out).toEqual([...tests].sort((a, b) => (a.id < b.id ? -1 : 1)));
    expect(held.size).toBe(0);
    expect(drained(held, 1_000)).toEqual({ calls: [], tests: [] });
  });

  it("gives a test held twice each time, in the order it was held, so that the later line wins", () => {
    const held = new HeldTests();
    const test = { ...someTest(), line: 10 };
    const others = Array.from({ length: 50 }, someTest);
    hold(held, test);
    for (const t of others) hold(held, t);
    hold(held, { ...test, line: 12 });
    const { tests } = drained(held, 100);
    expect(tests.filter((t) => t.id === test.id).map((t) => t.line)).toEqual([10, 12]);
    expect(tests).toHaveLength(52);
  });

  it("gives ids that are no pair of halves first, as they are, and the id of all zeros in its place", () => {
    const held = new HeldTests();
    const regular = someTest();
    const zero = { ...someTest(), id: "0000000000000000" };
    const legacy = { ...someTest(), id: "legacy:test" };
    for (const t of [regular, zero, legacy]) hold(held, t);
    expect(drained(held, 10).tests).toEqual([legacy, zero, regular]);
    // Forgotten with the rest: the next drain does not give it again.
    hold(held, regular);
    expect(drained(held, 10).tests).toEqual([regular]);
  });
});
