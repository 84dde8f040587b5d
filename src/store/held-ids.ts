import { idHalvesOrder } from "../domain/test-id-order.js";
import { testIdHalves } from "../domain/test-identity.js";

/** A typed column with room for `length` entries, its entries kept. */
export function grownColumn<T extends Uint32Array | Float64Array | Uint8Array>(column: T, length: number): T {
  const bigger = new (column.constructor as new (length: number) => T)(length);
  bigger.set(column);
  return bigger;
}

/**
 * The test ids of rows held until they are written in id order, as a column of their two
 * 32-bit halves (see {@link testIdHalves}): sorted, rows would otherwise be gathered from
 * strings scattered over the heap, and a million held strings are promoted, then collected.
 * An id that {@link testIdOf} did not make (a store older than it) is held as text, with
 * halves of zero.
 */
export class HeldIds {
  private highs: Uint32Array = new Uint32Array(1024);
  private lows: Uint32Array = new Uint32Array(1024);
  private readonly halves = new Uint32Array(2);
  private count = 0;
  /** Ids that are no pair of halves, by the index of their row. */
  readonly text = new Map<number, string>();

  /** Ids held. */
  get size(): number {
    return this.count;
  }

  /** Rows the columns have room for: a holder's own columns grow to this with {@link grownColumn}. */
  get capacity(): number {
    return this.highs.length;
  }

  /** The high halves, by row index (only the first {@link HeldIds.size} mean anything). */
  get high(): Uint32Array {
    return this.highs;
  }

  /** The low halves, by row index (only the first {@link HeldIds.size} mean anything). */
  get low(): Uint32Array {
    return this.lows;
  }

  /** Holds one id, growing the columns when they are full; returns its row index. */
  add(id: string): number {
    const at = this.count++;
    if (at === this.highs.length) {
      this.highs = grownColumn(this.highs, at * 2);
      this.lows = grownColumn(this.lows, at * 2);
    }
    if (testIdHalves(id, this.halves)) {
      this.highs[at] = this.halves[0] as number;
      this.lows[at] = this.halves[1] as number;
    } else {
      this.highs[at] = 0;
      this.lows[at] = 0;
      this.text.set(at, id);
    }
    return at;
  }

  /** The row indices in id order, stable (ids held as text sort as the id of all zeros). */
  order(): Uint32Array {
    return idHalvesOrder(this.highs, this.lows, this.count);
  }

  /** Forgets every id (the columns keep their room). */
  clear(): void {
    this.count = 0;
    this.text.clear();
  }
}
