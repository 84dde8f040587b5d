import { idHalvesOrder } from "../domain/test-id-order.js";
import { testIdFromHalves, testIdHalves } from "../domain/test-identity.js";

/** The columns of a drained test, in the order {@link HeldTests.drain} gives their values. */
export const HELD_TEST_COLUMNS = ["id", "suite", "name", "file", "line"];

/**
 * The tests of a report held until they are written, in test-id order: their ids as two 32-bit
 * halves (spelled out again as they are drained, as {@link HeldExecutions} does), their other
 * columns as they came. An id that {@link testIdOf} did not make (a store older than it) is
 * held as text, and drained first.
 *
 * Sorted here, not by SQLite: a test's id is a hash, so tests written in report order land
 * all over the `tests` index, and a staging table sorted by SQLite cost a second write and a
 * read of every test (about 0.7 s of a million).
 */
export class HeldTests {
  private high: Uint32Array = new Uint32Array(1024);
  private low: Uint32Array = new Uint32Array(1024);
  private suites: string[] = [];
  private names: string[] = [];
  private files: (string | null)[] = [];
  private lines: (number | null)[] = [];
  private readonly halves = new Uint32Array(2);
  /** Ids that are no pair of halves, by the index of their test. */
  private readonly textIds = new Map<number, string>();

  /** Tests held. */
  get size(): number {
    return this.suites.length;
  }

  /** Holds one test. */
  add(id: string, suite: string, name: string, file: string | null, line: number | null): void {
    const at = this.suites.length;
    if (at === this.high.length) this.grow();
    if (testIdHalves(id, this.halves)) {
      this.high[at] = this.halves[0] as number;
      this.low[at] = this.halves[1] as number;
    } else {
      this.high[at] = 0;
      this.low[at] = 0;
      this.textIds.set(at, id);
    }
    this.suites.push(suite);
    this.names.push(name);
    this.files.push(file);
    this.lines.push(line);
  }

  /**
   * Hands the held tests to `write` in test-id order (ids held as text first), `rowsPerCall`
   * rows at a time, as one flat array of their values per call (the {@link HELD_TEST_COLUMNS}),
   * then forgets them. A test held more than once is given each time, in the order it was held.
   */
  drain(write: (values: unknown[]) => void, rowsPerCall: number): void {
    const count = this.suites.length;
    const order = idHalvesOrder(this.high, this.low, count);
    const full = rowsPerCall * HELD_TEST_COLUMNS.length;
    let values: unknown[] = [];
    const push = (id: string, i: number): void => {
      values.push(id, this.suites[i], this.names[i], this.files[i], this.lines[i]);
      if (values.length === full) {
        write(values);
        values = [];
      }
    };
    for (const [i, id] of this.textIds) push(id, i);
    const hasText = this.textIds.size > 0;
    for (let k = 0; k < count; k++) {
      const i = order[k] as number;
      // Their halves are zero: they sort among the tests of the id 0000000000000000, if any.
      if (hasText && this.textIds.has(i)) continue;
      push(testIdFromHalves(this.high[i] as number, this.low[i] as number), i);
    }
    if (values.length > 0) write(values);
    this.suites = [];
    this.names = [];
    this.files = [];
    this.lines = [];
    this.textIds.clear();
  }

  private grow(): void {
    const grown = (column: Uint32Array): Uint32Array => {
      const bigger = new Uint32Array(column.length * 2);
      bigger.set(column);
      return bigger;
    };
    this.high = grown(this.high);
    this.low = grown(this.low);
  }
}
