import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import { testIdHalves, testIdOf, type TestId } from "../../../src/domain/test-identity.js";
import type { TestStatus } from "../../../src/domain/test-status.js";
import { TestTallies, type TestTally } from "../../../src/ingest/test-tallies.js";

const someId = (): TestId =>
  testIdOf({ project: faker.lorem.slug(), suite: faker.lorem.words(2), name: faker.lorem.sentence(), file: null });

/** Every tally, sorted so that tables filled in different orders compare equal. */
function talliesOf(tallies: TestTallies): TestTally[] {
  const all: TestTally[] = [];
  tallies.forEach((tally) => all.push(tally));
  return all.sort((a, b) => a.attempts - b.attempts || a.last.localeCompare(b.last));
}

/** Records the attempts of one test; returns the attempt numbers it was given. */
function recordAll(tallies: TestTallies, id: TestId, statuses: readonly TestStatus[]): number[] {
  const slot = tallies.slotOf(id);
  return statuses.map((status) => tallies.record(slot, status));
}

describe("test tallies", () => {
  it("numbers a test's attempts across its listings and keeps the last status", () => {
    const tallies = new TestTallies(8);
    const id = someId();
    expect(recordAll(tallies, id, ["failed"])).toEqual([1]);
    expect(recordAll(tallies, id, ["error", "passed"])).toEqual([2, 3]);
    expect(tallies.size).toBe(1);
    expect(talliesOf(tallies)).toEqual([{ attempts: 3, failedBefore: true, last: "passed" }]);
  });

  it.each<{ statuses: TestStatus[]; failedBefore: boolean }>([
    { statuses: ["failed", "passed"], failedBefore: true },
    { statuses: ["error", "skipped"], failedBefore: true },
    { statuses: ["passed", "failed"], failedBefore: false },
    { statuses: ["skipped", "passed"], failedBefore: false },
    { statuses: ["failed"], failedBefore: false },
  ])("says whether an attempt failed before the last: $statuses", ({ statuses, failedBefore }) => {
    const tallies = new TestTallies(4);
    recordAll(tallies, someId(), statuses);
    expect(talliesOf(tallies)).toEqual([{ attempts: statuses.length, failedBefore, last: statuses.at(-1) }]);
  });

  it("counts a test listed without attempts as skipped", () => {
    const tallies = new TestTallies(4);
    tallies.slotOf(someId());
    expect(talliesOf(tallies)).toEqual([{ attempts: 0, failedBefore: false, last: "skipped" }]);
  });

  it("tells apart ids that share their low bits, which pick the same first slot", () => {
    const tallies = new TestTallies(16);
    const low = faker.string.hexadecimal({ length: 8, casing: "lower", prefix: "" });
    const ids = ["00000000", "0000ffff", "ffffffff", "12345678"].map((high) => `${high}${low}` as TestId);
    ids.forEach((id, i) => recordAll(tallies, id, new Array<TestStatus>(i + 1).fill("passed")));
    expect(ids.map((id) => tallies.record(tallies.slotOf(id), "failed"))).toEqual([2, 3, 4, 5]);
    expect(tallies.size).toBe(4);
  });

  it("takes no new test once full, still finds the ones it holds, and starts over when cleared", () => {
    const tallies = new TestTallies(3);
    const held = [someId(), someId(), someId()];
    for (const id of held) recordAll(tallies, id, ["passed"]);
    expect(tallies.full).toBe(true);
    expect(tallies.slotOf(someId())).toBe(-1);
    expect(held.map((id) => tallies.record(tallies.slotOf(id), "passed"))).toEqual([2, 2, 2]);
    tallies.clear();
    expect(tallies.size).toBe(0);
    expect(talliesOf(tallies)).toEqual([]);
    expect(recordAll(tallies, held[0] as TestId, ["failed"])).toEqual([1]);
  });

  it("refuses a string that no test id can be", () => {
    const tallies = new TestTallies(2);
    expect(() => tallies.slotOf("not-a-test-id" as TestId)).toThrow(/not a test id/);
    expect(() => tallies.slotOf("ABCDEF0123456789" as TestId)).toThrow(/not a test id/);
  });
});

describe("test id halves", () => {
  it("reads the 64 bits of an id as two 32-bit numbers", () => {
    const out = new Uint32Array(2);
    const id = someId();
    expect(testIdHalves(id, out)).toBe(true);
    expect([...out]).toEqual([Number.parseInt(id.slice(0, 8), 16), Number.parseInt(id.slice(8), 16)]);
    expect(testIdHalves("ffffffff00000000", out)).toBe(true);
    expect([...out]).toEqual([0xffffffff, 0]);
  });

  it.each(["", "0123", "0123456789abcdef0", "0123456789abcdeg", "0123456789ABCDEF", "0123456789abcde:"])(
    "rejects %j",
    (id) => {
      expect(testIdHalves(id, new Uint32Array(2))).toBe(false);
    },
  );
});
