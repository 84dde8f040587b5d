import { testIdHalves, type TestId } from "../domain/test-identity.js";
import { isFailingStatus, TEST_STATUSES, type TestStatus } from "../domain/test-status.js";

/** What a report has said of one test so far: its attempts, whether one failed before the last, and the last's status. */
export interface TestTally {
  readonly attempts: number;
  readonly failedBefore: boolean;
  readonly last: TestStatus;
}

const OCCUPIED = 1;
const FAILED_BEFORE = 2;
const STATUS_SHIFT = 2;
const SKIPPED = TEST_STATUSES.indexOf("skipped");

/**
 * The tallies of up to `capacity` tests of a report, in an open-addressing hash table of typed
 * arrays keyed by the 64 bits of the test id. Hand-written because a `Map` from id to a tally
 * object cost a quarter of parsing and normalizing a JUnit report of a million tests: its
 * growth, and the tally objects that lived long enough to be promoted and then collected.
 * Here nothing is allocated per test. Ids are hashes, so their low bits spread the slots.
 */
export class TestTallies {
  private readonly keys: Uint32Array;
  private readonly attemptCounts: Uint32Array;
  /** Per slot: {@link OCCUPIED}, {@link FAILED_BEFORE}, and the last status's index from {@link STATUS_SHIFT} up. */
  private readonly flags: Uint8Array;
  private readonly mask: number;
  private readonly halves = new Uint32Array(2);
  private count = 0;

  constructor(private readonly capacity: number) {
    // At most half full, so that probe runs stay short.
    let slots = 1;
    while (slots < capacity * 2) slots *= 2;
    this.mask = slots - 1;
    this.keys = new Uint32Array(slots * 2);
    this.attemptCounts = new Uint32Array(slots);
    this.flags = new Uint8Array(slots);
  }

  /** How many tests are tallied. */
  get size(): number {
    return this.count;
  }

  /** Whether no more tests fit: {@link TestTallies.clear} first. */
  get full(): boolean {
    return this.count >= this.capacity;
  }

  /**
   * The slot of a test: its own if it is tallied, else a new one, with no attempt yet (a test
   * listed without any is counted as skipped); -1 for a new test when the table is full.
   */
  slotOf(id: TestId): number {
    // Every TestId is testIdOf's 16 hex digits; anything else is a bug upstream, not bad input.
    if (!testIdHalves(id, this.halves)) throw new Error(`not a test id: ${JSON.stringify(id)}`);
    const high = this.halves[0] as number;
    const low = this.halves[1] as number;
    for (let slot = low & this.mask; ; slot = (slot + 1) & this.mask) {
      if (((this.flags[slot] as number) & OCCUPIED) === 0) {
        if (this.full) return -1;
        this.keys[2 * slot] = high;
        this.keys[2 * slot + 1] = low;
        this.flags[slot] = OCCUPIED | (SKIPPED << STATUS_SHIFT);
        this.count++;
        return slot;
      }
      if (this.keys[2 * slot] === high && this.keys[2 * slot + 1] === low) return slot;
    }
  }

  /** Adds an attempt to the test in `slot`; returns its number among the test's attempts in the report (from 1). */
  record(slot: number, status: TestStatus): number {
    const flags = this.flags[slot] as number;
    const attempts = this.attemptCounts[slot] as number;
    const last = TEST_STATUSES[flags >> STATUS_SHIFT] as TestStatus;
    const failedBefore = (flags & FAILED_BEFORE) !== 0 || (attempts > 0 && isFailingStatus(last));
    this.attemptCounts[slot] = attempts + 1;
    this.flags[slot] = OCCUPIED | (failedBefore ? FAILED_BEFORE : 0) | (TEST_STATUSES.indexOf(status) << STATUS_SHIFT);
    return attempts + 1;
  }

  /** Calls `visit` with every tally, in no particular order. */
  forEach(visit: (tally: TestTally) => void): void {
    for (let slot = 0; slot < this.flags.length; slot++) {
      const flags = this.flags[slot] as number;
      if ((flags & OCCUPIED) === 0) continue;
      visit({
        attempts: this.attemptCounts[slot] as number,
        failedBefore: (flags & FAILED_BEFORE) !== 0,
        last: TEST_STATUSES[flags >> STATUS_SHIFT] as TestStatus,
      });
    }
  }

  /** Forgets every tally. */
  clear(): void {
    this.keys.fill(0);
    this.attemptCounts.fill(0);
    this.flags.fill(0);
    this.count = 0;
  }
}
