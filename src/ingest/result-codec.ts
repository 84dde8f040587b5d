import type { TestId } from "../domain/test-identity.js";
import type { TestStatus } from "../domain/test-status.js";
import type { FailureDetail, NormalizedTestResult, TestAttempt } from "../domain/test-result.js";

/**
 * A batch of normalized results packed for a `postMessage` between threads: every string in
 * UTF-8, back to back, and every number (string lengths included) in one typed array. Both
 * buffers are transferred rather than copied.
 */
export interface EncodedResults {
  /** The strings of the batch, UTF-8, back to back. */
  readonly text: Uint8Array<ArrayBuffer>;
  /** Counts, numbers and string byte lengths, in the order {@link decodeResults} reads them. */
  readonly numbers: Float64Array<ArrayBuffer>;
}

/**
 * Hand-written because the structured clone of the results themselves is the bottleneck of a
 * parse thread: on a million results it took 6.0 s to serialize and 2.8 s to deserialize,
 * more than the parsing; this takes about half a second each way.
 *
 * Strings travel as UTF-8 bytes, not as one JavaScript string, because a slice of a string
 * keeps the whole string alive: a test id kept by the receiver (a failing test's, until the
 * report is done) would keep its batch's text with it, and a report of millions of tests ran
 * the receiver out of memory. A string decoded from bytes is a copy that holds nothing else.
 */
const NULL = -1;
const utf8 = new TextEncoder();
const STATUSES: readonly TestStatus[] = ["passed", "failed", "error", "skipped"];

class Encoder {
  readonly strings: string[] = [];
  numbers = new Float64Array(1024);
  length = 0;

  number(value: number): void {
    if (this.length === this.numbers.length) {
      const grown = new Float64Array(this.numbers.length * 2);
      grown.set(this.numbers);
      this.numbers = grown;
    }
    this.numbers[this.length++] = value;
  }

  nullableNumber(value: number | null): void {
    // NaN marks null: every number encoded here is finite.
    this.number(value ?? Number.NaN);
  }

  string(value: string | null): void {
    if (value === null) this.number(NULL);
    else {
      this.number(Buffer.byteLength(value));
      this.strings.push(value);
    }
  }
}

class Decoder {
  private at = 0;
  private offset = 0;
  private readonly bytes: Buffer;

  constructor(private readonly batch: EncodedResults) {
    this.bytes = Buffer.from(batch.text.buffer, batch.text.byteOffset, batch.text.byteLength);
  }

  number(): number {
    return this.batch.numbers[this.at++] as number;
  }

  nullableNumber(): number | null {
    const value = this.number();
    return Number.isNaN(value) ? null : value;
  }

  string(): string | null {
    const length = this.number();
    if (length === NULL) return null;
    const value = this.bytes.toString("utf8", this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  text(): string {
    return this.string() ?? "";
  }

  done(): boolean {
    return this.at >= this.batch.numbers.length;
  }
}

/** Packs results, each with a flag (whether its test is known to be stored already), for another thread. */
export function encodeResults(results: readonly NormalizedTestResult[], known: readonly boolean[]): EncodedResults {
  const out = new Encoder();
  results.forEach((result, i) => {
    const { test } = result;
    out.number(known[i] === true ? 1 : 0);
    out.string(test.id);
    out.string(test.suite);
    out.string(test.name);
    out.string(test.file);
    out.nullableNumber(test.line);
    const keys = Object.keys(result.properties);
    out.string(keys.length === 0 ? null : JSON.stringify(result.properties));
    out.string(result.tags.length === 0 ? null : JSON.stringify(result.tags));
    out.number(result.attempts.length);
    for (const attempt of result.attempts) {
      out.number(attempt.attempt);
      out.number(STATUSES.indexOf(attempt.status));
      out.nullableNumber(attempt.durationMs);
      out.string(attempt.startedAt);
      out.string(attempt.skipReason);
      out.string(attempt.stdout);
      out.string(attempt.stderr);
      if (attempt.failure === null) out.number(0);
      else {
        out.number(1);
        out.string(attempt.failure.type);
        out.string(attempt.failure.message);
        out.string(attempt.failure.stack);
      }
    }
  });
  // An encoder's array owns its buffer (a small `Buffer.from` shares a pool), so it can be transferred.
  return { text: utf8.encode(out.strings.join("")), numbers: out.numbers.slice(0, out.length) };
}

/** Unpacks what {@link encodeResults} packed: the results, and for each whether its test is known. */
export function decodeResults(batch: EncodedResults): { results: NormalizedTestResult[]; known: boolean[] } {
  const input = new Decoder(batch);
  const results: NormalizedTestResult[] = [];
  const known: boolean[] = [];
  while (!input.done()) {
    known.push(input.number() === 1);
    const test = {
      id: input.text() as TestId,
      suite: input.text(),
      name: input.text(),
      file: input.string(),
      line: input.nullableNumber(),
    };
    const properties = input.string();
    const tags = input.string();
    const attempts: TestAttempt[] = [];
    for (let n = input.number(); n > 0; n--) {
      const attempt = input.number();
      const status = STATUSES[input.number()] as TestStatus;
      const durationMs = input.nullableNumber();
      const startedAt = input.string();
      const skipReason = input.string();
      const stdout = input.string();
      const stderr = input.string();
      let failure: FailureDetail | null = null;
      if (input.number() === 1) failure = { type: input.string(), message: input.text(), stack: input.string() };
      attempts.push({ attempt, status, durationMs, startedAt, failure, skipReason, stdout, stderr });
    }
    results.push({
      test,
      attempts: attempts as [TestAttempt, ...TestAttempt[]],
      properties: properties === null ? {} : (JSON.parse(properties) as Record<string, string>),
      tags: tags === null ? [] : (JSON.parse(tags) as string[]),
    });
  }
  return { results, known };
}
