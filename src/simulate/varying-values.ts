import type { Random } from "./prng.js";

/**
 * Values that differ between two occurrences of one root cause: what a failure-text
 * normalizer has to mask. Each takes the occurrence's random stream.
 */

/** FNV-1a of a string: a cheap, stable hash for spreading line drift over files. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The line a statement of `file` first written at `line` is on at code revision `revision`.
 * Files are edited now and then, each on its own rhythm, so line numbers in frames stay put
 * for a while and then move by a few lines, as they do in a real history.
 */
export function lineAt(file: string, line: number, revision: number): number {
  const h = fnv1a(file);
  const period = 5 + (h % 17);
  const epoch = Math.floor((revision + ((h >>> 8) % period)) / period);
  const drift = (fnv1a(`${file}#${epoch}`) % 13) - 4;
  return Math.max(1, line + (epoch === 0 ? 0 : drift));
}

/** A client-side ephemeral port (Linux's default range). */
export function ephemeralPort(random: Random): number {
  return random.int(32768, 60999);
}

/** A process id. */
export function pid(random: Random): number {
  return random.int(1200, 65000);
}

/** A Java identity hash, as `Object.toString()` prints it (`6d06d69c`). */
export function javaIdentityHash(random: Random): string {
  return random.hex(random.int(7, 8)).replace(/^0+/, "1");
}

/** A CPython object address (`0x7f3a2c1b4e50`): heap objects are 16-byte aligned. */
export function pythonAddress(random: Random): string {
  return `0x7f${random.hex(9)}0`;
}

/** A Go heap pointer (`0xc0001a6018`). */
export function goPointer(random: Random): string {
  return `0xc000${random.hex(6).replace(/^0/, "1")}`;
}

/** A small hex code offset in a Go stack frame (`+0x1d4`). */
export function goOffset(random: Random): string {
  return `+0x${random.int(0x1f, 0x3ff).toString(16)}`;
}

/** An ISO-8601 instant with milliseconds. */
export function isoAt(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** A prefixed id as APIs hand them out (`ord_8f2k1c9d`). */
export function prefixedId(random: Random, prefix: string): string {
  return `${prefix}_${random.hex(random.int(10, 14))}`;
}

/** A money amount with two decimals. */
export function amount(random: Random, min: number, max: number): string {
  return (Math.round(random.between(min, max) * 100) / 100).toFixed(2);
}

/** How far past its limit a timed-out attempt ran before the runner gave up on it, in ms. */
export function overrunMs(random: Random): number {
  return random.int(2, 180);
}
