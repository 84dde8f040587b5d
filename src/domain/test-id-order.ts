/** Bits of the key sorted per pass of the radix sort: four passes cover an id's 64 bits. */
const DIGIT_BITS = 16;
const DIGIT_MASK = (1 << DIGIT_BITS) - 1;
/**
 * Below this many ids a comparison sort is cheaper: each radix pass clears and sums a table of
 * 65,536 counts whatever the number of ids.
 */
const MIN_RADIX_IDS = 2048;

/** 0, 1, 2, ... `count - 1`; filled by a loop, since `Uint32Array.from(keys())` walks an iterator, ten times slower. */
function identity(count: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  return order;
}

/**
 * The order of the ids whose 32-bit halves (see {@link testIdHalves}) are `high[i]` and `low[i]`,
 * smallest first, which is their order as text: indices, stable, so equal ids keep their order.
 * Only the first `count` entries are sorted.
 *
 * Hand-written because a report's executions reach the `test_executions` B-tree in id
 * order or pay for it: SQLite's own sort of a million staged executions took about a second of
 * the storing thread, a comparison sort of their ids in JavaScript two thirds of that, and this
 * radix sort about a twentieth, since the ids are numbers and need no comparisons.
 */
export function idHalvesOrder(high: Uint32Array, low: Uint32Array, count = high.length): Uint32Array {
  let order = identity(count);
  if (count < MIN_RADIX_IDS)
    return order.sort(
      (a, b) => (high[a] as number) - (high[b] as number) || (low[a] as number) - (low[b] as number) || a - b,
    );
  let next: Uint32Array = new Uint32Array(count);
  const starts = new Uint32Array(DIGIT_MASK + 1);
  // Least significant digit first: each pass is stable, so the last one leaves the whole key sorted.
  for (let pass = 0; pass < 4; pass++) {
    const words = pass < 2 ? low : high;
    const shift = (pass % 2) * DIGIT_BITS;
    starts.fill(0);
    for (let i = 0; i < count; i++) {
      const digit = ((words[i] as number) >>> shift) & DIGIT_MASK;
      starts[digit] = (starts[digit] as number) + 1;
    }
    let sum = 0;
    for (let digit = 0; digit <= DIGIT_MASK; digit++) {
      const n = starts[digit] as number;
      starts[digit] = sum;
      sum += n;
    }
    for (let i = 0; i < count; i++) {
      const index = order[i] as number;
      const digit = ((words[index] as number) >>> shift) & DIGIT_MASK;
      const at = starts[digit] as number;
      next[at] = index;
      starts[digit] = at + 1;
    }
    [order, next] = [next, order];
  }
  return order;
}
