import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import { testIdOf } from "../../../src/domain/test-identity.js";
import { TEST_STATUSES, type TestStatus } from "../../../src/domain/test-status.js";
import { HeldExecutions, EXECUTION_COLUMNS } from "../../../src/store/held-executions.js";
import { TestIdFilter } from "../../../src/store/test-id-filter.js";

interface Execution {
  testId: string;
  attempts: number;
  failing: number;
  lastResultId: number;
  status: TestStatus;
}

const someExecution = (): Execution => ({
  testId: testIdOf({ project: faker.lorem.slug(), suite: faker.lorem.words(2), name: faker.string.uuid(), file: null }),
  attempts: faker.number.int({ min: 1, max: 4 }),
  failing: faker.number.int({ min: 0, max: 3 }),
  lastResultId: faker.number.int({ min: 1, max: 2 ** 40 }),
  status: faker.helpers.arrayElement(TEST_STATUSES),
});

/**
 * The staged values of every call of a drain, rows rebuilt from them, and the ids each row
 * says may have been merged before.
 */
function drained(
  held: HeldExecutions,
  rowsPerCall: number,
  merged = new TestIdFilter(20),
): { calls: number; rows: Execution[]; mergedBefore: string[] } {
  const columns = EXECUTION_COLUMNS.length;
  let calls = 0;
  const rows: Execution[] = [];
  const mergedBefore: string[] = [];
  const toExecution = (values: unknown[]): Execution => {
    const [testId, attempts, failing, lastResultId, status] = values as [string, number, number, number, TestStatus];
    return { testId, attempts, failing, lastResultId, status };
  };
  const inserted = new Set<string>();
  held.drain(
    (values) => {
      calls++;
      expect(values.length % columns).toBe(0);
      for (let at = 0; at < values.length; at += columns) {
        const row = toExecution(values.slice(at, at + columns));
        rows.push(row);
        inserted.add(row.testId);
      }
    },
    rowsPerCall,
    merged,
    (values) => {
      expect(values).toHaveLength(columns);
      const row = toExecution(values);
      // Handed over before the insert that holds it.
      expect(inserted.has(row.testId)).toBe(false);
      mergedBefore.push(row.testId);
    },
  );
  // A test handed to `again` is inserted too, with the same values.
  for (const id of mergedBefore) expect(rows.some((row) => row.testId === id)).toBe(true);
  return { calls, rows, mergedBefore };
}

const hold = (held: HeldExecutions, e: Execution): void =>
  held.add(e.testId, e.attempts, e.failing, e.lastResultId, e.status);

describe("held executions", () => {
  it("hands back every execution in test id order, a page per call, and forgets them", () => {
    const executions = Array.from({ length: 3_000 }, someExecution);
    const held = new HeldExecutions();
    for (const e of executions) held.add(e.testId, e.attempts, e.failing, e.lastResultId, e.status);
    expect(held.size).toBe(executions.length);
    const { calls, rows } = drained(held, 1_000);
    expect(calls).toBe(3);
    expect(rows).toEqual([...executions].sort((a, b) => (a.testId < b.testId ? -1 : 1)));
    expect(held.size).toBe(0);
    expect(drained(held, 1_000)).toEqual({ calls: 0, rows: [], mergedBefore: [] });
  });

  it("keeps the halves of ids at both ends of the key space", () => {
    const held = new HeldExecutions();
    held.add("ffffffffffffffff", 1, 0, 7, "passed");
    held.add("0000000000000000", 2, 1, 9, "failed");
    expect(drained(held, 10).rows.map((row) => row.testId)).toEqual(["0000000000000000", "ffffffffffffffff"]);
  });

  it("holds an id Kaizen did not make (a store older than its ids) as text, and forgets it with the rest", () => {
    const held = new HeldExecutions();
    const [regular, other] = [someExecution(), someExecution()] as [Execution, Execution];
    held.add(regular.testId, regular.attempts, regular.failing, regular.lastResultId, regular.status);
    held.add("legacy:test", other.attempts, other.failing, other.lastResultId, other.status);
    expect(drained(held, 10).rows).toEqual([{ ...other, testId: "legacy:test" }, regular]);
    held.add(regular.testId, regular.attempts, regular.failing, regular.lastResultId, regular.status);
    expect(drained(held, 10).rows).toEqual([regular]);
  });

  it("stages a test held more than once as one execution: attempts and failures summed, the later last attempt's status", () => {
    const held = new HeldExecutions();
    const early = { ...someExecution(), lastResultId: 10, status: "failed" as const };
    const late = { ...someExecution(), testId: early.testId, lastResultId: 30, status: "passed" as const };
    const between = { ...someExecution(), testId: early.testId, lastResultId: 20, status: "error" as const };
    const legacy = { ...someExecution(), testId: "legacy:test", lastResultId: 50, status: "skipped" as const };
    const legacyEarlier = { ...legacy, lastResultId: 40, status: "failed" as const, attempts: 2, failing: 1 };
    const zero = { ...someExecution(), testId: "0000000000000000" };
    const others = Array.from({ length: 30 }, someExecution);
    for (const e of faker.helpers.shuffle([early, late, between, legacy, legacyEarlier, zero, ...others]))
      hold(held, e);
    const { rows } = drained(held, 7);
    const sum = (key: "attempts" | "failing", ...of: Execution[]): number => of.reduce((n, e) => n + e[key], 0);
    expect(rows).toEqual([
      {
        ...legacy,
        attempts: sum("attempts", legacy, legacyEarlier),
        failing: sum("failing", legacy, legacyEarlier),
      },
      ...[
        zero,
        ...others,
        {
          ...late,
          attempts: sum("attempts", early, late, between),
          failing: sum("failing", early, late, between),
        },
      ].sort((a, b) => (a.testId < b.testId ? -1 : 1)),
    ]);
  });

  it("says of each test whether an earlier drain of the report may have staged it, and never misses one", () => {
    const merged = new TestIdFilter(20);
    const first = Array.from({ length: 500 }, someExecution);
    const held = new HeldExecutions();
    for (const e of first) hold(held, e);
    hold(held, { ...someExecution(), testId: "legacy:test" });
    // Nothing merged yet: only the id held as text may be anything.
    expect(drained(held, 100, merged).mergedBefore).toEqual(["legacy:test"]);
    const again = faker.helpers.arrayElements(first, 40);
    const fresh = Array.from({ length: 500 }, someExecution);
    for (const e of [...again, ...fresh]) hold(held, e);
    const { mergedBefore } = drained(held, 100, merged);
    expect(mergedBefore).toEqual(expect.arrayContaining(again.map((e) => e.testId)));
    // Two bits per id of 2^20: a fresh id is taken for a merged one about once in a million.
    expect(mergedBefore.length).toBeLessThan(again.length + 5);
  });
});
