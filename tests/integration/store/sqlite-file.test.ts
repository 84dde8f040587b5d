import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../../../src/store/open-store.js";
import { normalizedResultFactory } from "../../factories/test-report.js";
import { PROJECT, runKey, storeRun } from "../../support/stored-runs.js";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kaizen-sqlite-file-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Reads a pragma of a database file on a connection of its own. */
function pragmaOf(path: string, name: string): unknown {
  const connection = new BetterSqlite3(path, { readonly: true });
  try {
    return connection.pragma(name, { simple: true });
  } finally {
    connection.close();
  }
}

describe("the SQLite history file", () => {
  it("is created in WAL mode with 16 KiB pages", async () => {
    const path = join(dir, "new.db");
    const store = await openStore({ sqlitePath: path });
    await store.close();
    expect(pragmaOf(path, "page_size")).toBe(16_384);
    expect(pragmaOf(path, "journal_mode")).toBe("wal");
  });

  it("keeps the page size of a database made before, and stores into it", async () => {
    const path = join(dir, "old.db");
    const made = new BetterSqlite3(path);
    made.pragma("page_size = 4096");
    made.exec("create table before_kaizen (x integer)");
    made.close();
    const store = await openStore({ sqlitePath: path });
    try {
      const results = normalizedResultFactory.buildList(3, {}, { transient: { project: PROJECT } });
      await storeRun(store, runKey("old-file"), results);
      expect((await store.listTests({})).map((t) => t.id).sort()).toEqual(results.map((r) => r.test.id).sort());
    } finally {
      await store.close();
    }
    expect(pragmaOf(path, "page_size")).toBe(4096);
  });
});
