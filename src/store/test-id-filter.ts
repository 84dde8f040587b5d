import { testIdHalves } from "../domain/test-identity.js";

/**
 * A set of test ids that can only say "certainly not a member" or "maybe": a Bloom filter of
 * two bits per id, one taken from each 32-bit half of the id (the ids are hashes already, so
 * their bits serve as the filter's hashes). Ingest asks such questions of every test, and
 * nearly every answer is no: "did this test fail earlier in the report?" of a passed attempt,
 * "was this test merged earlier in the report?" of an execution. A lookup of a freshly decoded
 * id in a `Map` of thousands hashed the string and missed the cache, half a second of a
 * million-result ingest; a filter answers from the id's digits.
 */
export class TestIdFilter {
  private readonly bits: Uint32Array;
  private readonly shift: number;
  private readonly halves = new Uint32Array(2);

  /**
   * `log2Bits`: the filter's size, 2^log2Bits bits. At n ids in m bits the share of other ids
   * answered "maybe" is about (1 - e^(-2n/m))^2: 0.4% for a million ids in 2^25 bits (4 MiB).
   */
  constructor(log2Bits: number) {
    if (!Number.isInteger(log2Bits) || log2Bits < 5 || log2Bits > 32)
      throw new RangeError(`a filter of 2^${String(log2Bits)} bits`);
    this.bits = new Uint32Array(2 ** (log2Bits - 5));
    this.shift = 32 - log2Bits;
  }

  /** Adds the id whose 32-bit halves (see {@link testIdHalves}) are `high` and `low`. */
  addHalves(high: number, low: number): void {
    this.set(high >>> this.shift);
    this.set(low >>> this.shift);
  }

  /** False when the id of these halves was certainly never added; true when it may have been. */
  mayHaveHalves(high: number, low: number): boolean {
    return this.isSet(high >>> this.shift) && this.isSet(low >>> this.shift);
  }

  /** Adds an id. An id that {@link testIdOf} did not make is not held: {@link mayHave} says maybe to all such ids. */
  add(id: string): void {
    if (testIdHalves(id, this.halves)) this.addHalves(this.halves[0] as number, this.halves[1] as number);
  }

  /** False when `id` was certainly never added; true when it may have been. */
  mayHave(id: string): boolean {
    return !testIdHalves(id, this.halves) || this.mayHaveHalves(this.halves[0] as number, this.halves[1] as number);
  }

  private set(bit: number): void {
    this.bits[bit >>> 5] = (this.bits[bit >>> 5] as number) | (1 << (bit & 31));
  }

  private isSet(bit: number): boolean {
    return ((this.bits[bit >>> 5] as number) & (1 << (bit & 31))) !== 0;
  }
}
