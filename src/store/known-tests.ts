import BetterSqlite3 from "better-sqlite3";
import { testIdHalves } from "../domain/test-identity.js";
import type { TestCase } from "../domain/test-result.js";

/** Where a {@link KnownTests} probe reads: a SQLite history file. Plain data, so it can be posted to a worker thread. */
export interface KnownTestsSource {
  /** The SQLite database file. */
  readonly sqlitePath: string;
}

/** Page cache of the probe's connection: the `tests` id index of a million tests is about 25 MB. */
const PROBE_CACHE_KIB = 32_768;
/**
 * The stored ids are read into memory when there are at most this many per test the report
 * may hold: reading an id in index order costs about a quarter of looking one up.
 */
const LOAD_FACTOR = 4;
/** Never more ids in memory than this (8 bytes each). */
const MAX_LOADED = 4_000_000;
/** Ids read per query while loading them. */
const LOAD_PAGE = 50_000;
/** Buckets of the in-memory ids, by their top bits: ids are hashes, so a bucket holds a handful. */
const BUCKET_BITS = 16;

/**
 * The stored test ids, read into memory: pairs of 32-bit halves, sorted, with the first index of
 * every bucket of their top {@link BUCKET_BITS} bits. Plain typed arrays, so that the thread
 * that reads them can hand them to another without a copy.
 */
export interface StoredIds {
  /** The ids' high and low halves, interleaved, in id order. */
  readonly halves: Uint32Array<ArrayBuffer>;
  /** Where each bucket of ids starts in `halves` (in pairs); one more entry than buckets. */
  readonly starts: Uint32Array<ArrayBuffer>;
}

/**
 * Reads the stored test ids into memory when the report may hold a fair share of them (it may
 * hold `reportTests`, at most); `undefined` when it may not, when none are stored, or when one
 * is not a 16-digit hex id: then {@link KnownTests} looks each batch up in the index instead.
 * On a read-only connection of its own, which sees the last committed state.
 */
export function readStoredIds(source: KnownTestsSource, reportTests: number): StoredIds | undefined {
  const connection = new BetterSqlite3(source.sqlitePath, { readonly: true, fileMustExist: true });
  try {
    connection.pragma(`cache_size = -${PROBE_CACHE_KIB}`);
    connection.exec("begin");
    // Rowids only grow, so the largest bounds the number of tests, and costs one step to read.
    const stored = connection.prepare(`select coalesce(max(rowid), 0) from tests`).pluck().get() as number;
    return stored > 0 && stored <= Math.min(MAX_LOADED, LOAD_FACTOR * reportTests)
      ? SortedIds.read(connection, stored)
      : undefined;
  } finally {
    connection.close();
  }
}

/** Lookups in {@link StoredIds}: a lookup halves only its bucket, a few steps instead of twenty. */
class SortedIds {
  private readonly probe = new Uint32Array(2);

  constructor(private readonly ids: StoredIds) {}

  /** Reads every id of `tests` in index order; `undefined` if one is not a 16-digit hex id. */
  static read(connection: BetterSqlite3.Database, capacity: number): StoredIds | undefined {
    const halves = new Uint32Array(capacity * 2);
    const starts = new Uint32Array((1 << BUCKET_BITS) + 1);
    const pair = new Uint32Array(2);
    let count = 0;
    let bucket = 0;
    // Pages of ids by `all`, which costs a third of stepping row by row, in bounded memory.
    // (One blob of a page's bytes, joined and checked by SQLite, was no faster: the index walk is the cost.)
    const page = connection.prepare(`select id from tests where id > ? order by id limit ${String(LOAD_PAGE)}`).pluck();
    for (let ids = page.all("") as string[]; ids.length > 0; ids = page.all(ids[ids.length - 1]) as string[]) {
      if (count + ids.length > capacity) return undefined;
      for (const id of ids) {
        if (!testIdHalves(id, pair)) return undefined;
        const high = pair[0] as number;
        for (const top = high >>> (32 - BUCKET_BITS); bucket < top;) starts[++bucket] = count;
        halves[2 * count] = high;
        halves[2 * count + 1] = pair[1] as number;
        count++;
      }
    }
    while (bucket < 1 << BUCKET_BITS) starts[++bucket] = count;
    return { halves, starts };
  }

  has(id: string): boolean {
    const probe = this.probe;
    if (!testIdHalves(id, probe)) return false;
    const high = probe[0] as number;
    const low = probe[1] as number;
    const top = high >>> (32 - BUCKET_BITS);
    const { halves, starts } = this.ids;
    let from = starts[top] as number;
    let to = starts[top + 1] as number;
    while (from < to) {
      const mid = (from + to) >>> 1;
      const h = halves[2 * mid] as number;
      const l = halves[2 * mid + 1] as number;
      if (h === high && l === low) return true;
      if (h < high || (h === high && l < low)) from = mid + 1;
      else to = mid;
    }
    return false;
  }
}

/**
 * Tells which tests of a batch are stored already with the same line, on a read-only
 * connection of its own. It runs in the parse thread, beside the writer: in WAL mode a reader
 * sees the last committed state while the writer's transaction is open, so the probes of known
 * tests (the common case: every CI run after the first) cost the writer nothing. One read
 * transaction spans its life, so its page cache stays valid between batches.
 *
 * When the report may hold a fair share of the stored tests, their ids are read into memory
 * once, in index order ({@link readStoredIds}), and looked up there; otherwise each batch is
 * looked up in the index.
 *
 * A test it calls new may be known after all (written since, by this ingest or another); the
 * writer's upsert settles that. A test it calls known was committed, and tests are never
 * deleted but with their project, so the writer may safely leave it alone.
 */
export class KnownTests {
  private readonly connection: BetterSqlite3.Database;
  private readonly ids: BetterSqlite3.Statement;
  private readonly lines: BetterSqlite3.Statement;
  private readonly loaded: SortedIds | undefined;
  /** Whether the snapshot holds no test at all (a first ingest): then every test is new, with no probe. */
  private readonly empty: boolean;

  /**
   * Opens the probe, over the ids `stored` that {@link readStoredIds} read, or over the index
   * alone (`undefined`).
   */
  constructor(source: KnownTestsSource, stored: StoredIds | undefined) {
    this.connection = new BetterSqlite3(source.sqlitePath, { readonly: true, fileMustExist: true });
    this.connection.pragma(`cache_size = -${PROBE_CACHE_KIB}`);
    // The id index alone answers for tests without a line; a line needs the row.
    this.ids = this.connection.prepare(`select t.id from json_each(?) j join tests t on t.id = j.value`).pluck();
    this.lines = this.connection.prepare(
      `select t.id || ':' || t.line from json_each(?) j
       join tests t on t.id = j.value ->> '$[0]' and t.line = j.value ->> '$[1]'`,
    );
    this.lines.pluck();
    this.connection.exec("begin");
    // A deferred transaction takes its snapshot at its first read: take it now, at open.
    this.empty = this.connection.prepare("select 1 from tests limit 1").get() === undefined;
    this.loaded = stored === undefined ? undefined : new SortedIds(stored);
  }

  /** Opens the probe, reading the stored ids into memory first where that pays (see {@link readStoredIds}). */
  static open(source: KnownTestsSource, reportTests: number): KnownTests {
    return new KnownTests(source, readStoredIds(source, reportTests));
  }

  /** For each test, whether it is stored with this line (a test without a line: whether it is stored). */
  known(tests: readonly TestCase[]): boolean[] {
    if (this.empty) return new Array<boolean>(tests.length).fill(false);
    const loaded = this.loaded;
    const lineless: string[] = [];
    const placed: [string, number][] = [];
    for (const test of tests) {
      if (test.line !== null) placed.push([test.id, test.line]);
      else if (loaded === undefined) lineless.push(test.id);
    }
    const found = new Set<string>();
    // In id order, the probes walk the index forwards instead of jumping about it.
    if (lineless.length > 0) for (const id of this.ids.all(JSON.stringify(lineless.sort())) as string[]) found.add(id);
    if (placed.length > 0) for (const key of this.lines.all(JSON.stringify(placed)) as string[]) found.add(key);
    const known = new Array<boolean>(tests.length);
    for (let i = 0; i < tests.length; i++) {
      const test = tests[i] as TestCase;
      known[i] =
        test.line !== null
          ? found.has(`${test.id}:${String(test.line)}`)
          : loaded !== undefined
            ? loaded.has(test.id)
            : found.has(test.id);
    }
    return known;
  }

  /** Ends the read transaction and closes the connection. */
  close(): void {
    this.connection.close();
  }
}
