import { testIdFromHalves } from "../domain/test-identity.js";
import { TEST_STATUSES, type TestStatus } from "../domain/test-status.js";
import { grownColumn, HeldIds } from "./held-ids.js";
import type { TestIdFilter } from "./test-id-filter.js";

/** The columns of a drained execution, in the order {@link HeldExecutions.drain} gives their values. */
export const EXECUTION_COLUMNS = ["test_id", "attempts", "failing", "last_result_id", "status"];

/** One execution as it is drained: every held entry of its test taken together. */
interface Combined {
  attempts: number;
  failing: number;
  lastResultId: number;
  status: number;
}

/**
 * The executions of a report (one per test: its attempts, how many failed, its last attempt
 * and that attempt's status) held in typed columns until they are drained, in test-id order.
 *
 * The id is held in {@link HeldIds} and spelled out again as it is drained (SQLite's `printf`
 * would spell it too, but a statement calling it may fail half-way, so SQLite journals every
 * page it changes). Typed columns keep the collector out: a million held objects are
 * promoted, then collected.
 */
export class HeldExecutions {
  private readonly ids = new HeldIds();
  private attempts = new Uint32Array(this.ids.capacity);
  private failing = new Uint32Array(this.ids.capacity);
  private lastResultIds = new Float64Array(this.ids.capacity);
  private statuses = new Uint8Array(this.ids.capacity);

  /** Executions held. */
  get size(): number {
    return this.ids.size;
  }

  /** Holds one execution. */
  add(testId: string, attempts: number, failing: number, lastResultId: number, status: TestStatus): void {
    const at = this.ids.add(testId);
    if (at === this.attempts.length) {
      const room = this.ids.capacity;
      this.attempts = grownColumn(this.attempts, room);
      this.failing = grownColumn(this.failing, room);
      this.lastResultIds = grownColumn(this.lastResultIds, room);
      this.statuses = grownColumn(this.statuses, room);
    }
    this.attempts[at] = attempts;
    this.failing[at] = failing;
    this.lastResultIds[at] = lastResultId;
    this.statuses[at] = TEST_STATUSES.indexOf(status);
  }

  /**
   * Hands the held executions to `insert` in test-id order (ids held as text first), `rowsPerCall`
   * rows at a time, as one flat array of their values per call (the {@link EXECUTION_COLUMNS}),
   * then forgets them. A test held more than once is given once, its entries taken together, so
   * that one insert never meets a row it wrote itself. `merged` holds the tests of the report
   * drained before: a test that may be one of them (always, for an id held as text) is also
   * handed to `again`, alone, before the insert that holds it, so that the execution written
   * earlier can take it in; and every test joins them.
   */
  drain(
    insert: (values: unknown[]) => void,
    rowsPerCall: number,
    merged: TestIdFilter,
    again: (values: unknown[]) => void,
  ): void {
    const { high: highs, low: lows, text: textIds } = this.ids;
    const order = this.ids.order();
    const columns = EXECUTION_COLUMNS.length;
    let values: unknown[] = [];
    const flush = (): void => {
      insert(values);
      values = [];
    };
    // Ids held as text are rare: taken together by a map, and drained first.
    const hasText = textIds.size > 0;
    const texts = new Map<string, Combined>();
    for (const [i, text] of textIds) {
      const earlier = texts.get(text);
      if (earlier === undefined) texts.set(text, this.entry(i));
      else this.combine(earlier, i);
    }
    for (const [text, e] of texts) {
      const row = [text, e.attempts, e.failing, e.lastResultId, TEST_STATUSES[e.status]];
      again(row);
      values.push(...row);
      if (values.length === rowsPerCall * columns) flush();
    }
    let row = 0;
    while (row < order.length) {
      const first = order[row++] as number;
      if (hasText && textIds.has(first)) continue;
      const highHalf = highs[first] as number;
      const lowHalf = lows[first] as number;
      // In locals, not a Combined: a million short-lived objects would be the collector's.
      let attempts = this.attempts[first] as number;
      let failing = this.failing[first] as number;
      let last = this.lastResultIds[first] as number;
      let status = this.statuses[first] as number;
      // Equal ids are adjacent once sorted; the status is the one of the later last attempt.
      for (; row < order.length; row++) {
        const next = order[row] as number;
        if (highs[next] !== highHalf || lows[next] !== lowHalf) break;
        // Their halves are zero: they sort among the entries of the id 0000000000000000, if any.
        if (hasText && textIds.has(next)) continue;
        attempts += this.attempts[next] as number;
        failing += this.failing[next] as number;
        if ((this.lastResultIds[next] as number) > last) {
          last = this.lastResultIds[next] as number;
          status = this.statuses[next] as number;
        }
      }
      const id = testIdFromHalves(highHalf, lowHalf);
      if (merged.mayHaveHalves(highHalf, lowHalf)) again([id, attempts, failing, last, TEST_STATUSES[status]]);
      else merged.addHalves(highHalf, lowHalf);
      values.push(id, attempts, failing, last, TEST_STATUSES[status]);
      if (values.length === rowsPerCall * columns) flush();
    }
    if (values.length > 0) flush();
    this.ids.clear();
  }

  private entry(i: number): Combined {
    return {
      attempts: this.attempts[i] as number,
      failing: this.failing[i] as number,
      lastResultId: this.lastResultIds[i] as number,
      status: this.statuses[i] as number,
    };
  }

  /** Adds held entry `i` to `e` (as the loop over ids held as halves does): the status is the one of the later last attempt. */
  private combine(e: Combined, i: number): void {
    e.attempts += this.attempts[i] as number;
    e.failing += this.failing[i] as number;
    const last = this.lastResultIds[i] as number;
    if (last > e.lastResultId) {
      e.lastResultId = last;
      e.status = this.statuses[i] as number;
    }
  }
}
