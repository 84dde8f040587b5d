import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { faker } from "@faker-js/faker";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  serveCheckpoints,
  startWalCheckpoints,
  WalCheckpoints,
  type CheckpointReply,
} from "../../../src/store/wal-checkpoints.js";

let dir: string;
let ports: MessagePort[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kaizen-checkpoints-"));
  ports = [];
});

afterEach(() => {
  for (const port of ports) port.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A WAL database file with a table, and the store's connection to it. */
function database(): { path: string; connection: BetterSqlite3.Database } {
  const path = join(dir, `${faker.string.alphanumeric(8)}.db`);
  const connection = new BetterSqlite3(path);
  connection.pragma("journal_mode = WAL");
  connection.exec("create table rows (id integer primary key, text text)");
  return { path, connection };
}

/** Commits `count` rows of a kilobyte each: a few hundred pages of log. */
function write(connection: BetterSqlite3.Database, count = 500): void {
  const insert = connection.prepare("insert into rows (text) values (?)");
  connection.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(faker.string.alphanumeric(1024));
  })();
}

/** Both ends of a channel, the thread's side served in this thread; counts the requests it got. */
function served(path: string): { store: MessagePort; requests: () => number } {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  let requests = 0;
  port2.on("message", (message) => {
    if (message === "checkpoint") requests++;
  });
  serveCheckpoints(port2, path);
  return { store: port1, requests: () => requests };
}

describe("checkpoints on a thread of their own", () => {
  it("take over the connection's checkpoints and copy its whole log when asked", async () => {
    const { path, connection } = database();
    const checkpoints = new WalCheckpoints(served(path).store).attach(connection);
    expect(connection.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    write(connection);
    checkpoints.request();
    await checkpoints.settled();
    const last = checkpoints.last as Extract<CheckpointReply, { kind: "checkpointed" }>;
    expect(last.kind).toBe("checkpointed");
    expect(last.log).toBeGreaterThan(100);
    expect(last.checkpointed).toBe(last.log);
    await checkpoints.close();
    connection.close();
    // The last connection to close removed the log: everything was in the database file.
    expect(existsSync(`${path}-wal`)).toBe(false);
    const reopened = new BetterSqlite3(path, { readonly: true });
    expect(reopened.prepare("select count(*) from rows").pluck().get()).toBe(500);
    reopened.close();
  });

  it("make one more checkpoint for any number of requests while one runs", async () => {
    const { path, connection } = database();
    const thread = served(path);
    const checkpoints = new WalCheckpoints(thread.store).attach(connection);
    write(connection);
    checkpoints.request();
    write(connection);
    checkpoints.request();
    checkpoints.request();
    await checkpoints.settled();
    expect(thread.requests()).toBe(2);
    expect(checkpoints.last).toMatchObject({ kind: "checkpointed" });
    await checkpoints.close();
    connection.close();
  });

  it("close only after the checkpoints asked for, and take no requests once closing", async () => {
    const { path, connection } = database();
    const thread = served(path);
    const holds: boolean[] = [];
    let stopped = false;
    const checkpoints = new WalCheckpoints(thread.store, {
      stop: () => {
        stopped = true;
        return Promise.resolve();
      },
      hold: (busy) => holds.push(busy),
    }).attach(connection);
    write(connection);
    checkpoints.request();
    const closed = checkpoints.close();
    checkpoints.request();
    await closed;
    expect(stopped).toBe(true);
    expect(thread.requests()).toBe(1);
    expect(checkpoints.last).toMatchObject({ kind: "checkpointed" });
    // Held while the checkpoint ran and while the thread closed, let go in between.
    expect(holds).toEqual([true, false, true]);
    expect(await checkpoints.close()).toBeUndefined();
    connection.close();
  });

  it("answer a checkpoint that fails with its error", async () => {
    const path = join(dir, "not-a-database.db");
    writeFileSync(path, faker.lorem.paragraphs(20));
    const checkpoints = new WalCheckpoints(served(path).store);
    checkpoints.request();
    await checkpoints.settled();
    const last = checkpoints.last as Extract<CheckpointReply, { kind: "failed" }>;
    expect(last.kind).toBe("failed");
    expect(last.message).toMatch(/not a database/);
    await checkpoints.close();
  });

  it("give the checkpoints back to the connection when the thread dies", async () => {
    const { connection } = database();
    // A channel nobody serves: the checkpoint asked for never comes.
    const { port1 } = new MessageChannel();
    ports.push(port1);
    const checkpoints = new WalCheckpoints(port1).attach(connection);
    checkpoints.request();
    const waiting = checkpoints.settled();
    checkpoints.died();
    await waiting;
    expect(connection.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    checkpoints.died();
    await checkpoints.close();
    connection.close();
  });

  it("are not started for a database in memory, when turned off, or without the compiled thread", () => {
    const memory = new BetterSqlite3(":memory:");
    expect(startWalCheckpoints(memory)).toBeUndefined();
    memory.close();
    const { connection } = database();
    expect(startWalCheckpoints(connection, { KAIZEN_CHECKPOINT_THREAD: "off" })).toBeUndefined();
    // From its TypeScript sources there is no compiled thread script: the connection keeps its own checkpoints.
    expect(startWalCheckpoints(connection, {})).toBeUndefined();
    expect(connection.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    connection.close();
  });
});
