import { testIdFromHalves } from "../domain/test-identity.js";
import { HeldIds } from "./held-ids.js";

/** The columns of a drained test, in the order {@link HeldTests.drain} gives their values. */
export const HELD_TEST_COLUMNS = ["id", "suite", "name", "file", "line"];

/**
 * The tests of a report held until they are written, in test-id order: their ids in
 * {@link HeldIds} (spelled out again as they are drained), their other columns as they came.
 * Ids held as text are drained first.
 *
 * Sorted here, not by SQLite: a test's id is a hash, so tests written in report order land
 * all over the `tests` index, and a staging table sorted by SQLite cost a second write and a
 * read of every test (about 0.7 s of a million).
 */
export class HeldTests {
  private readonly ids = new HeldIds();
  private suites: string[] = [];
  private names: string[] = [];
  private files: (string | null)[] = [];
  private lines: (number | null)[] = [];

  /** Tests held. */
  get size(): number {
    return this.suites.length;
  }

  /** Holds one test. */
  add(id: string, suite: string, name: string, file: string | null, line: number | null): void {
    this.ids.add(id);
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
    const { high, low, text } = this.ids;
    const order = this.ids.order();
    const full = rowsPerCall * HELD_TEST_COLUMNS.length;
    let values: unknown[] = [];
    const push = (id: string, i: number): void => {
      values.push(id, this.suites[i], this.names[i], this.files[i], this.lines[i]);
      if (values.length === full) {
        write(values);
        values = [];
      }
    };
    for (const [i, id] of text) push(id, i);
    const hasText = text.size > 0;
    for (const i of order) {
      // Their halves are zero: they sort among the tests of the id 0000000000000000, if any.
      if (hasText && text.has(i)) continue;
      push(testIdFromHalves(high[i] as number, low[i] as number), i);
    }
    if (values.length > 0) write(values);
    this.suites = [];
    this.names = [];
    this.files = [];
    this.lines = [];
    this.ids.clear();
  }
}
