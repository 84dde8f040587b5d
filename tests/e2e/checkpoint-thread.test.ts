import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { caseSpecFactory, junitXml } from "../factories/test-report.js";

const root = resolve(import.meta.dirname, "../..");
const bin = join(root, "dist/cli/bin.js");
const dir = mkdtempSync(join(tmpdir(), "kaizen-checkpoints-"));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the built CLI; `NODE_DEBUG=worker` makes Node say on stderr when it starts a thread. */
function kaizen(args: readonly string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: dir, NODE_DEBUG: "worker", ...env },
    timeout: 120_000,
  });
  return { code: result.status, stderr: result.stderr };
}

const startedCheckpointThread = (stderr: string): boolean =>
  /instantiating Worker\. url: \S*checkpoint-worker\.js/.test(stderr);

/** The rows of a database file, read on a connection of its own. */
function rowsOf(db: string): { tests: number; executions: unknown[] } {
  const connection = new BetterSqlite3(db, { readonly: true });
  try {
    return {
      tests: connection.prepare("select count(*) from tests").pluck().get() as number,
      executions: connection
        .prepare(
          `select t.id, t.name, e.attempts, e.status from test_executions e join tests t on t.id = e.test_id
                  order by e.report_id, t.id`,
        )
        .all(),
    };
  } finally {
    connection.close();
  }
}

describe("the log of the SQLite file, checkpointed on a thread of its own", () => {
  it("is copied into the database file and removed by the time ingest exits, as without the thread", () => {
    const report = join(dir, "report.xml");
    writeFileSync(report, junitXml(caseSpecFactory.buildList(3_000)));
    const threaded = join(dir, "threaded.db");
    const inline = join(dir, "inline.db");
    for (const run of ["first", "second"]) {
      const withThread = kaizen(["ingest", report, "--db", threaded, "--run-id", run]);
      expect(withThread.code).toBe(0);
      expect(startedCheckpointThread(withThread.stderr)).toBe(true);
      expect(existsSync(`${threaded}-wal`)).toBe(false);
      const without = kaizen(["ingest", report, "--db", inline, "--run-id", run], {
        KAIZEN_CHECKPOINT_THREAD: "off",
      });
      expect(without.code).toBe(0);
      expect(startedCheckpointThread(without.stderr)).toBe(false);
    }
    const stored = rowsOf(threaded);
    expect(stored.tests).toBeGreaterThan(500);
    expect(stored.executions).toHaveLength(2 * stored.tests);
    expect(stored).toEqual(rowsOf(inline));
  });

  it("is not started by a command that only reads", () => {
    const db = join(dir, "read.db");
    expect(kaizen(["db", "migrate", "--db", db]).code).toBe(0);
    const outcome = kaizen(["runs", "--db", db, "--json"]);
    expect(outcome.code).toBe(0);
    expect(startedCheckpointThread(outcome.stderr)).toBe(false);
  });
});
