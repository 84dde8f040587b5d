import { idHalvesOrder } from "../domain/test-id-order.js";
import { testIdFromHalves, testIdHalves } from "../domain/test-identity.js";
import { TEST_STATUSES, type TestStatus } from "../domain/test-status.js";
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
 * The id is held as its two 32-bit halves and spelled out again as it is drained: sorted, the
 * rows would otherwise be gathered from a hundred thousand strings scattered over the heap,
 * which cost more than SQLite's own sort saved. (SQLite's `printf` would spell them too, but a
 * statement calling it may fail half-way, so SQLite journals every page the merge changes.)
 * Typed columns also keep the collector out: a million held objects (or strings) are
 * promoted, then collected. An id that {@link testIdOf} did not make (a store older than it)
 * is held as text.
 */
export class HeldExecutions {
  private high = new Uint32Array(1024);
  private low = new Uint32Array(1024);
  private attempts = new Uint32Array(1024);
  private failing = new Uint32Array(1024);
  private lastResultIds = new Float64Array(1024);
  private statuses = new Uint8Array(1024);
  private readonly halves = new Uint32Array(2);
  /** Ids that are no pair of halves, by the index of their execution. */
  private readonly textIds = new Map<number, string>();
  private count = 0;

  /** Executions held. */
  get size(): number {
    return this.count;
  }

  /** Holds one execution. */
  add(testId: string, attempts: number, failing: number, lastResultId: number, status: TestStatus): void {
    if (this.count === this.high.length) this.grow();
    const at = this.count++;
    if (testIdHalves(testId, this.halves)) {
      this.high[at] = this.halves[0] as number;
      this.low[at] = this.halves[1] as number;
    } else {
      this.high[at] = 0;
      this.low[at] = 0;
      this.textIds.set(at, testId);
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
    const order = idHalvesOrder(this.high, this.low, this.count);
    const columns = EXECUTION_COLUMNS.length;
    let values: unknown[] = [];
    const flush = (): void => {
      insert(values);
      values = [];
    };
    // Ids held as text are rare: taken together by a map, and drained first.
    const hasText = this.textIds.size > 0;
    const texts = new Map<string, Combined>();
    for (const [i, text] of this.textIds) {
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
      if (hasText && this.textIds.has(first)) continue;
      const high = this.high[first] as number;
      const low = this.low[first] as number;
      // In locals, not a Combined: a million short-lived objects would be the collector's.
      let attempts = this.attempts[first] as number;
      let failing = this.failing[first] as number;
      let last = this.lastResultIds[first] as number;
      let status = this.statuses[first] as number;
      // Equal ids are adjacent once sorted; the status is the one of the later last attempt.
      for (; row < order.length; row++) {
        const next = order[row] as number;
        if (this.high[next] !== high || this.low[next] !== low) break;
        // Their halves are zero: they sort among the entries of the id 0000000000000000, if any.
        if (hasText && this.textIds.has(next)) continue;
        attempts += this.attempts[next] as number;
        failing += this.failing[next] as number;
        if ((this.lastResultIds[next] as number) > last) {
          last = this.lastResultIds[next] as number;
          status = this.statuses[next] as number;
        }
      }
      const id = testIdFromHalves(high, low);
      if (merged.mayHaveHalves(high, low)) again([id, attempts, failing, last, TEST_STATUSES[status]]);
      else merged.addHalves(high, low);
      values.push(id, attempts, failing, last, TEST_STATUSES[status]);
      if (values.length === rowsPerCall * columns) flush();
    }
    if (values.length > 0) flush();
    this.count = 0;
    this.textIds.clear();
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

  private grow(): void {
    const grown = <T extends Uint32Array | Float64Array | Uint8Array>(column: T, make: (length: number) => T): T => {
      const bigger = make(column.length * 2);
      bigger.set(column);
      return bigger;
    };
    this.high = grown(this.high, (n) => new Uint32Array(n));
    this.low = grown(this.low, (n) => new Uint32Array(n));
    this.attempts = grown(this.attempts, (n) => new Uint32Array(n));
    this.failing = grown(this.failing, (n) => new Uint32Array(n));
    this.lastResultIds = grown(this.lastResultIds, (n) => new Float64Array(n));
    this.statuses = grown(this.statuses, (n) => new Uint8Array(n));
  }
}
