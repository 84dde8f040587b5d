import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import type { NormalizedTestResult } from "../../../src/domain/test-result.js";
import { decodeResults, encodeResults } from "../../../src/ingest/result-codec.js";
import { normalizedResultFactory } from "../../factories/test-report.js";

/** A result with every optional field filled in, in text a byte-naive codec would break. */
function richResult(): NormalizedTestResult {
  const base = normalizedResultFactory.build({}, { transient: { statuses: ["failed", "skipped", "passed"] } });
  return {
    ...base,
    test: { ...base.test, suite: `Émile › ${faker.string.alpha(5)} 🚀`, file: null, line: null },
    attempts: base.attempts.map((attempt) => ({
      ...attempt,
      durationMs: attempt.status === "skipped" ? null : attempt.durationMs,
      startedAt: attempt.status === "skipped" ? null : attempt.startedAt,
      stdout: attempt.status === "failed" ? `out ${faker.lorem.sentence()}\n日本語` : null,
      stderr: attempt.status === "failed" ? "" : null,
      failure: attempt.failure === null ? null : { ...attempt.failure, type: null, stack: null },
    })) as unknown as NormalizedTestResult["attempts"],
    properties: { owner: faker.person.fullName(), "ci.shard": "2" },
    tags: ["@slow", "ünïcode"],
  };
}

describe("result codec", () => {
  it("round-trips results and their known flags exactly", () => {
    const results = [
      ...normalizedResultFactory.buildList(20, {}, { transient: { statuses: ["failed", "passed"] } }),
      richResult(),
      ...normalizedResultFactory.buildList(5, {}, { transient: { statuses: ["error"] } }),
    ];
    const known = results.map((_, i) => i % 3 === 0);
    const decoded = decodeResults(encodeResults(results, known));
    expect(decoded.results).toEqual(results);
    expect(decoded.known).toEqual(known);
  });

  it("reads missing flags as unknown and keeps empty strings apart from nulls", () => {
    const result = richResult();
    const decoded = decodeResults(encodeResults([result], []));
    expect(decoded.known).toEqual([false]);
    const failed = decoded.results[0]?.attempts[0];
    expect(failed?.stderr).toBe("");
    expect(decoded.results[0]?.attempts[1]?.stderr).toBeNull();
    expect(decoded.results[0]?.test.file).toBeNull();
  });

  it("packs a batch into buffers of its own, so both can be transferred", () => {
    const encoded = encodeResults(normalizedResultFactory.buildList(3), []);
    expect(encoded.text.byteOffset).toBe(0);
    expect(encoded.text.buffer.byteLength).toBe(encoded.text.byteLength);
    expect(encoded.numbers.buffer.byteLength).toBe(encoded.numbers.byteLength);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(encoded, [encoded.text.buffer, encoded.numbers.buffer]);
    expect(encoded.text.byteLength).toBe(0);
    port1.close();
    port2.close();
  });

  it("decodes an empty batch to no results", () => {
    expect(decodeResults(encodeResults([], []))).toEqual({ results: [], known: [] });
  });

  it("grows past its first buffer on a large batch", () => {
    const results = normalizedResultFactory.buildList(
      400,
      {},
      { transient: { statuses: ["failed", "failed", "passed"] } },
    );
    expect(decodeResults(encodeResults(results, [])).results).toEqual(results);
  });
});
