import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import BetterSqlite3 from "better-sqlite3";

/** What the store side posts to the checkpoint thread. */
export type CheckpointRequest = "checkpoint" | "close";

/** What the checkpoint thread answers. */
export type CheckpointReply =
  | {
      readonly kind: "checkpointed";
      /** Frames in the write-ahead log. */
      readonly log: number;
      /** Frames of it now copied into the database file. */
      readonly checkpointed: number;
    }
  | { readonly kind: "failed"; readonly message: string }
  | { readonly kind: "closed" };

/** The end of a channel between the two sides: a `MessagePort`, or a `Worker` and its `parentPort`. */
export interface CheckpointChannel {
  postMessage(message: unknown): void;
  on(event: "message", listener: (message: unknown) => void): unknown;
  off(event: "message", listener: (message: unknown) => void): unknown;
}

/**
 * The checkpoint thread's side: opens its own connection to `path` and, each time it is asked,
 * copies what it can of the write-ahead log into the database file (a passive checkpoint,
 * which never waits for the writer or for readers), answering with what it did. Closes its
 * connection when told to, and answers that too.
 */
export function serveCheckpoints(channel: CheckpointChannel, path: string): void {
  const connection = new BetterSqlite3(path, { timeout: 10_000 });
  const serve = (message: unknown): void => {
    if ((message as CheckpointRequest) === "close") {
      connection.close();
      channel.off("message", serve);
      channel.postMessage({ kind: "closed" } satisfies CheckpointReply);
      return;
    }
    try {
      const [row] = connection.pragma("wal_checkpoint(PASSIVE)") as { log: number; checkpointed: number }[];
      channel.postMessage({
        kind: "checkpointed",
        log: row?.log ?? 0,
        checkpointed: row?.checkpointed ?? 0,
      } satisfies CheckpointReply);
    } catch (error) {
      channel.postMessage({ kind: "failed", message: (error as Error).message } satisfies CheckpointReply);
    }
  };
  channel.on("message", serve);
}

/**
 * Checkpoints of a SQLite database's write-ahead log, run on a thread of their own.
 *
 * SQLite checkpoints on the connection that commits, once the log holds more than a thousand
 * pages: after a report of a million results, that connection spent 0.4 to 0.7 s copying the
 * 110 MB it had just logged into the database file before the ingest could go on. Here the
 * store's connection never checkpoints ({@link WalCheckpoints.attach} turns that off); it asks
 * after each large write instead, and this thread copies while the store parses the next
 * report or answers queries. A checkpoint is never needed for durability: a committed
 * transaction is in the log, and SQLite reads it from there until it is copied.
 *
 * Requests coalesce: while one checkpoint runs, any number of requests make one more.
 */
export class WalCheckpoints {
  private running = false;
  private pending = false;
  private closing: Promise<void> | undefined;
  private idle: (() => void)[] = [];
  private connection: BetterSqlite3.Database | undefined;
  private dead = false;
  /** Resolves the wait of {@link WalCheckpoints.close} for the thread's answer. */
  private closedReply: (() => void) | undefined;
  /** What the last checkpoint did, for tests and diagnostics. */
  last: CheckpointReply | undefined;

  /**
   * @param channel - The store's end of the channel to a thread that runs {@link serveCheckpoints}.
   * @param thread - Ends the thread once it has closed its connection (`stop`), and keeps the
   *   process alive while a checkpoint runs or the thread closes (`hold(true)`), not while it idles.
   */
  constructor(
    private readonly channel: CheckpointChannel,
    private readonly thread: { stop(): Promise<void>; hold(busy: boolean): void } = {
      stop: () => Promise.resolve(),
      hold: () => undefined,
    },
  ) {
    channel.on("message", this.replied);
  }

  /** Hands the store's connection's checkpoints to this thread: the connection stops making its own. */
  attach(connection: BetterSqlite3.Database): this {
    connection.pragma("wal_autocheckpoint = 0");
    this.connection = connection;
    return this;
  }

  /** Asks for a checkpoint; returns at once. */
  request(): void {
    if (this.closing !== undefined) return;
    if (this.running) {
      this.pending = true;
      return;
    }
    this.running = true;
    this.thread.hold(true);
    this.channel.postMessage("checkpoint" satisfies CheckpointRequest);
  }

  /**
   * The thread died: the attached connection checkpoints for itself again, as SQLite does by
   * default, and nothing waits for the thread any more.
   */
  died(): void {
    if (this.dead) return;
    this.dead = true;
    if (this.closing === undefined) {
      this.closing = Promise.resolve();
      this.connection?.pragma("wal_autocheckpoint = 1000");
    }
    this.closedReply?.();
    this.becameIdle();
  }

  /** Resolves once no checkpoint is running or asked for. */
  settled(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /**
   * Waits for the checkpoints asked for, then closes the thread's connection and ends the
   * thread. Call before the store's own connection closes: the last connection to close
   * checkpoints what is left and removes the log.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.settled();
      if (!this.dead) {
        this.thread.hold(true);
        const closed = new Promise<void>((resolve) => (this.closedReply = resolve));
        this.channel.postMessage("close" satisfies CheckpointRequest);
        await closed;
      }
      this.channel.off("message", this.replied);
      await this.thread.stop();
    })();
    return this.closing;
  }

  private readonly replied = (message: unknown): void => {
    const reply = message as CheckpointReply;
    if (reply.kind === "closed") {
      this.closedReply?.();
      return;
    }
    this.last = reply;
    if (this.pending) {
      this.pending = false;
      this.channel.postMessage("checkpoint" satisfies CheckpointRequest);
      return;
    }
    this.becameIdle();
  };

  private becameIdle(): void {
    this.running = false;
    this.pending = false;
    this.thread.hold(false);
    for (const resolve of this.idle.splice(0)) resolve();
  }
}

const WORKER_SCRIPT = new URL("./checkpoint-worker.js", import.meta.url);

/**
 * Starts a checkpoint thread for the SQLite file `path` and attaches `connection` to it, when
 * the thread's compiled script exists (it does in the built package, not when Kaizen runs from
 * its TypeScript sources) and `KAIZEN_CHECKPOINT_THREAD` is not `off`; otherwise `undefined`,
 * and the connection checkpoints as SQLite always does.
 */
export function startWalCheckpoints(
  connection: BetterSqlite3.Database,
  env: NodeJS.ProcessEnv = process.env,
): WalCheckpoints | undefined {
  if (connection.memory || env.KAIZEN_CHECKPOINT_THREAD === "off" || !existsSync(fileURLToPath(WORKER_SCRIPT)))
    return undefined;
  const worker = new Worker(WORKER_SCRIPT, { workerData: connection.name });
  // An idle thread never keeps the process alive: a process that exits without closing the
  // store loses nothing, since the next connection to the file checkpoints what is left.
  worker.unref();
  const checkpoints = new WalCheckpoints(worker, {
    stop: async () => {
      await worker.terminate();
    },
    hold: (busy) => (busy ? worker.ref() : worker.unref()),
  });
  // An error, or an end the store did not ask for: the connection checkpoints for itself again.
  worker.on("error", () => checkpoints.died());
  worker.on("exit", () => checkpoints.died());
  return checkpoints.attach(connection);
}
