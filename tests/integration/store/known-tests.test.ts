import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MessageChannel } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { NormalizedTestResult, TestCase } from "../../../src/domain/test-result.js";
import {
  BATCH_RESULTS,
  MAX_IN_FLIGHT,
  sendStoredIds,
  serveParse,
  type ParseJob,
  type ParseMessage,
  type StoreMessage,
} from "../../../src/ingest/parse-thread.js";
import { junitXmlParser } from "../../../src/ingest/parsers/junit-xml.js";
import { fileSource } from "../../../src/ingest/report-source.js";
import { decodeResults } from "../../../src/ingest/result-codec.js";
import { runParse } from "../../../src/ingest/run-parse.js";
import { KnownTests } from "../../../src/store/known-tests.js";
import type { KyselyStore } from "../../../src/store/kysely-store.js";
import { openStore } from "../../../src/store/open-store.js";
import { caseSpecFactory, junitXml, normalizedResultFactory } from "../../factories/test-report.js";
import { PROJECT, runKey, storeRun } from "../../support/stored-runs.js";

let dir: string;
let path: string;
let store: KyselyStore;
const stored = normalizedResultFactory.buildList(30, {}, { transient: { project: PROJECT } });
const lineless = stored.slice(0, 15).map((r) => ({ ...r, test: { ...r.test, line: null } }));
const placed = stored.slice(15);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kaizen-known-"));
  path = join(dir, "kaizen.db");
  store = await openStore({ sqlitePath: path });
  await storeRun(store, runKey("stored"), [...lineless, ...placed]);
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const fresh = (): TestCase[] =>
  normalizedResultFactory.buildList(5, {}, { transient: { project: PROJECT } }).map((r) => r.test);

describe.each([
  { mode: "ids read into memory", reportTests: 1_000 },
  { mode: "ids looked up batch by batch", reportTests: 1 },
])("known tests, $mode", ({ reportTests }) => {
  it("knows stored tests, by id alone when the test has no line and by id and line when it has one", () => {
    const known = KnownTests.open({ sqlitePath: path }, reportTests);
    try {
      const moved = placed.slice(0, 3).map((r) => ({ ...r.test, line: (r.test.line ?? 0) + 1 }));
      // A stored test reported without its line is known: a missing line never overwrites one.
      const unplaced = placed.slice(3, 5).map((r) => ({ ...r.test, line: null }));
      const batch = [...lineless.map((r) => r.test), ...placed.map((r) => r.test), ...moved, ...unplaced, ...fresh()];
      expect(known.known(batch)).toEqual([
        ...lineless.map(() => true),
        ...placed.map(() => true),
        ...moved.map(() => false),
        ...unplaced.map(() => true),
        false,
        false,
        false,
        false,
        false,
      ]);
    } finally {
      known.close();
    }
  });

  it("sees what was committed when it opened, not what is written beside it", async () => {
    const known = KnownTests.open({ sqlitePath: path }, reportTests);
    const later = normalizedResultFactory.buildList(2, {}, { transient: { project: PROJECT } });
    try {
      await storeRun(store, runKey(`later-${String(reportTests)}`), later);
      expect(known.known(later.map((r) => r.test))).toEqual([false, false]);
    } finally {
      known.close();
    }
    const reopened = KnownTests.open({ sqlitePath: path }, reportTests);
    try {
      expect(reopened.known(later.map((r) => r.test))).toEqual([true, true]);
    } finally {
      reopened.close();
    }
  });
});

/** Stores `results` in a store of their own, then asks a probe of that file (ids read into memory where it can) about `probes`. */
async function knownInOwnStore(
  results: readonly NormalizedTestResult[],
  probes: readonly TestCase[],
): Promise<boolean[]> {
  const own = mkdtempSync(join(tmpdir(), "kaizen-known-own-"));
  const ownPath = join(own, "kaizen.db");
  const ownStore = await openStore({ sqlitePath: ownPath });
  try {
    await storeRun(ownStore, runKey("own"), results);
    const known = KnownTests.open({ sqlitePath: ownPath }, 1_000);
    try {
      return known.known(probes);
    } finally {
      known.close();
    }
  } finally {
    await ownStore.close();
    rmSync(own, { recursive: true, force: true });
  }
}

const asId = (id: string): TestCase["id"] => id as TestCase["id"];

describe("known tests at the edges of the id space", () => {
  it("finds ids in the first and last buckets, and not their neighbours", async () => {
    const storedIds = [
      "0000000000000000",
      "0000ffffffffffff",
      "0001000000000000",
      "fffeffffffffffff",
      "ffffffffffffffff",
    ];
    const absentIds = [
      "0000000000000001",
      "0000fffffffffffe",
      "ffff000000000000",
      "fffffffffffffffe",
      "FFFFFFFFFFFFFFFF",
    ];
    const results = normalizedResultFactory.buildList(storedIds.length, {}, { transient: { project: PROJECT } });
    const [template] = results;
    if (template === undefined) throw new Error("no result built");
    const probe = (id: string): TestCase => ({ ...template.test, id: asId(id), line: null });
    const known = await knownInOwnStore(
      results.map((r, i) => ({ ...r, test: probe(storedIds[i] ?? "") })),
      [...storedIds, ...absentIds].map(probe),
    );
    expect(known).toEqual([...storedIds.map(() => true), ...absentIds.map(() => false)]);
  });
});

describe("known tests in a store that holds none", () => {
  it("calls every test new, placed or not, and still sees none stored after tests are written beside it", async () => {
    const emptyPath = join(dir, "empty.db");
    const empty = await openStore({ sqlitePath: emptyPath });
    const later = normalizedResultFactory.buildList(4, {}, { transient: { project: PROJECT } });
    try {
      const known = KnownTests.open({ sqlitePath: emptyPath }, 10);
      try {
        const tests = [...later.map((r) => r.test), { ...(later[0] as NormalizedTestResult).test, line: null }];
        expect(known.known(tests)).toEqual([false, false, false, false, false]);
        await storeRun(empty, runKey("into-empty"), later);
        // Its snapshot is the empty store it opened on.
        expect(known.known(tests)).toEqual([false, false, false, false, false]);
      } finally {
        known.close();
      }
      const reopened = KnownTests.open({ sqlitePath: emptyPath }, 10);
      try {
        expect(reopened.known(later.map((r) => r.test))).toEqual([true, true, true, true]);
      } finally {
        reopened.close();
      }
    } finally {
      await empty.close();
    }
  });
});

describe("known tests on ids Kaizen did not make", () => {
  it("looks them up in the index instead of reading them into memory", async () => {
    const [result] = normalizedResultFactory.buildList(1, {}, { transient: { project: PROJECT } });
    if (result === undefined) throw new Error("no result built");
    const legacy = { ...result.test, id: asId("legacy:test") };
    expect(await knownInOwnStore([{ ...result, test: legacy }], [legacy, result.test])).toEqual([true, false]);
  });

  it("fails to open on a file that is no database", () => {
    expect(() => KnownTests.open({ sqlitePath: join(dir, "missing.db") }, 1)).toThrow(/unable to open|does not exist/i);
  });
});

describe("known tests, looked up by a parse thread", () => {
  /** A report of `batches` full batches whose every third test is stored; served to a channel that acks every batch. */
  async function served(batches: number) {
    const own = mkdtempSync(join(tmpdir(), "kaizen-known-thread-"));
    const file = join(own, "report.xml");
    writeFileSync(file, junitXml(caseSpecFactory.buildList(batches * BATCH_RESULTS)));
    const job: ParseJob = {
      file,
      displayPath: "report.xml",
      format: "junit-xml",
      project: PROJECT,
      rootDirs: [],
      knownTests: { sqlitePath: join(own, "kaizen.db") },
    };
    const parsed: NormalizedTestResult[] = [];
    await runParse(await fileSource(file), junitXmlParser, job, (result) => void parsed.push(result));
    const storedTests = new Set(parsed.filter((_, i) => i % 3 === 0).map((r) => r.test.id));
    const ownStore = await openStore({ sqlitePath: join(own, "kaizen.db") });
    await storeRun(
      ownStore,
      runKey("stored"),
      parsed.filter((r) => storedTests.has(r.test.id)),
    );
    await ownStore.close();
    const { port1, port2 } = new MessageChannel();
    const messages: ParseMessage[] = [];
    port2.on("message", (message: ParseMessage) => {
      messages.push(message);
      if (message.kind === "results") port2.postMessage("ack");
    });
    return {
      job,
      messages,
      storedTests,
      size: statSync(file).size,
      store: port2,
      serving: serveParse(port1, job),
      done: () => {
        port1.close();
        port2.close();
        rmSync(own, { recursive: true, force: true });
      },
    };
  }

  /** The batches posted, decoded, each with whether it was looked up; and whether each says right what is stored. */
  function batchesOf(run: Awaited<ReturnType<typeof served>>) {
    const batches = run.messages.flatMap((m) =>
      m.kind === "results" ? [{ lookedUp: m.lookedUp, ...decodeResults(m.batch) }] : [],
    );
    const right = batches.every(
      (b) => b.lookedUp && b.results.every((result, i) => b.known[i] === run.storedTests.has(result.test.id)),
    );
    return { batches, right };
  }

  it("holds its batches while the storing thread reads the stored ids, then posts them all looked up", async () => {
    const run = await served(MAX_IN_FLIGHT + 4);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      // A full queue parsed and held: nothing goes out before the ids.
      expect(run.messages).toEqual([]);
      sendStoredIds(run.store, run.job, run.size);
      await run.serving;
      await vi.waitFor(() => expect(run.messages.at(-1)?.kind).toBe("done"));
      const { batches, right } = batchesOf(run);
      expect(batches).toHaveLength(MAX_IN_FLIGHT + 4);
      expect(right).toBe(true);
      expect(batches.some((b) => b.known.includes(true))).toBe(true);
    } finally {
      run.done();
    }
  });

  it("looks tests up in the index when the storing thread read no ids, and ends a short report once told", async () => {
    const run = await served(1);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(run.messages).toEqual([]);
      run.store.postMessage({ kind: "stored-ids", ids: undefined } satisfies StoreMessage);
      await run.serving;
      await vi.waitFor(() => expect(run.messages.at(-1)?.kind).toBe("done"));
      const { batches, right } = batchesOf(run);
      expect(batches).toHaveLength(1);
      expect(right).toBe(true);
    } finally {
      run.done();
    }
  });

  it("sends no ids for a job without a store, and none it cannot read", () => {
    const { port1, port2 } = new MessageChannel();
    const sent: unknown[] = [];
    const post = { postMessage: (message: unknown) => sent.push(message), on: () => port1, off: () => port1 };
    const job: ParseJob = {
      file: "report.xml",
      displayPath: "report.xml",
      format: "junit-xml",
      project: PROJECT,
      rootDirs: [],
    };
    sendStoredIds(post, job, 1_000);
    expect(sent).toEqual([]);
    sendStoredIds(post, { ...job, knownTests: { sqlitePath: join(dir, "missing.db") } }, 1_000);
    expect(sent).toEqual([{ kind: "stored-ids", ids: undefined }]);
    port1.close();
    port2.close();
  });
});
