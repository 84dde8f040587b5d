import { idHalvesOrder } from "../domain/test-id-order.js";
import { testIdHalves } from "../domain/test-identity.js";
import { TEST_STATUSES, type TestStatus } from "../domain/test-status.js";

/** The columns of a staged execution, in the order {@link HeldExecutions.drain} gives their values. */
export const STAGED_EXECUTION_COLUMNS = [
  "test_high",
  "test_low",
  "test_id",
  "attempts",
  "failing",
  "last_result_id",
  "status",
];

/**
 * The executions of a report (one per test: its attempts, how many failed, its last attempt
 * and that attempt's status) held in typed columns until they are staged, in test-id order.
 *
 * The id is held as its two 32-bit halves and staged as two integers, which the merge prints
 * back as hex: sorted, the rows would otherwise be gathered from a hundred thousand strings
 * scattered over the heap, which cost more than SQLite's own sort saved. Typed columns also
 * keep the collector out: a million held objects (or strings) are promoted, then collected.
 * An id that {@link testIdOf} did not make (a store older than it) is held and staged as text.
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
   * Hands the held executions to `stage` in test-id order (ids held as text first), `rowsPerCall`
   * rows at a time, as one flat array of their values per call (the
   * {@link STAGED_EXECUTION_COLUMNS}: `test_id` is null but for ids held as text), then forgets them.
   */
  drain(stage: (values: unknown[]) => void, rowsPerCall: number): void {
    const order = idHalvesOrder(this.high, this.low, this.count);
    const columns = STAGED_EXECUTION_COLUMNS.length;
    for (let start = 0; start < order.length; start += rowsPerCall) {
      const end = Math.min(start + rowsPerCall, order.length);
      const values = new Array<unknown>((end - start) * columns);
      for (let row = start, at = 0; row < end; row++) {
        const i = order[row] as number;
        // As signed 32-bit integers, which V8 keeps unboxed: the merge reads them back unsigned.
        values[at++] = (this.high[i] as number) | 0;
        values[at++] = (this.low[i] as number) | 0;
        values[at++] = this.textIds.size === 0 ? null : (this.textIds.get(i) ?? null);
        values[at++] = this.attempts[i];
        values[at++] = this.failing[i];
        values[at++] = this.lastResultIds[i];
        values[at++] = TEST_STATUSES[this.statuses[i] as number];
      }
      stage(values);
    }
    this.count = 0;
    this.textIds.clear();
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
