import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import { testIdOf } from "../../../src/domain/test-identity.js";
import { TEST_STATUSES, type TestStatus } from "../../../src/domain/test-status.js";
import { HeldExecutions, STAGED_EXECUTION_COLUMNS } from "../../../src/store/held-executions.js";

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

/** The staged values of every call of a drain, rows rebuilt from them. */
function drained(held: HeldExecutions, rowsPerCall: number): { calls: number; rows: Execution[] } {
  const columns = STAGED_EXECUTION_COLUMNS.length;
  let calls = 0;
  const rows: Execution[] = [];
  held.drain((values) => {
    calls++;
    expect(values.length % columns).toBe(0);
    for (let at = 0; at < values.length; at += columns) {
      const [high, low, textId, attempts, failing, lastResultId, status] = values.slice(at, at + columns) as number[];
      // The halves go out as signed 32-bit integers; the merge reads them back unsigned.
      const hex = (word: number): string => (word >>> 0).toString(16).padStart(8, "0");
      rows.push({
        testId: (textId as unknown as string | null) ?? hex(high as number) + hex(low as number),
        attempts: attempts as number,
        failing: failing as number,
        lastResultId: lastResultId as number,
        status: status as unknown as TestStatus,
      });
    }
  }, rowsPerCall);
  return { calls, rows };
}

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
    expect(drained(held, 1_000)).toEqual({ calls: 0, rows: [] });
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
});
