#!/usr/bin/env node
import { spawnSync } from "node:child_process";

/**
 * `kaizen ingest` streams reports of any size in bounded memory, but V8 sizes its heap by
 * allocation rate, not by what is alive: on a 1 GB report it let 300 MB of garbage pile up.
 * A cap makes it collect instead; what ingest keeps alive stays far below it. Large reports
 * are parsed in a thread with a heap of its own, so this thread mostly stores: its old space
 * and its young semispaces (16 MB each by default; 8 MB cost no speed) can be small. The
 * other commands (a whole history for `kaizen flaky`) keep V8's default.
 */
const INGEST_HEAP_MB = 128;
const INGEST_SEMI_SPACE_MB = 8;
const HEAP_FLAG = "--max-old-space-size";

function needsHeapCap(argv: readonly string[]): boolean {
  return (
    argv[0] === "ingest" &&
    process.env.KAIZEN_INGEST_HEAP !== "default" &&
    !process.execArgv.some((flag) => flag.startsWith(HEAP_FLAG)) &&
    !(process.env.NODE_OPTIONS ?? "").includes(HEAP_FLAG)
  );
}

const argv = process.argv.slice(2);
if (needsHeapCap(argv)) {
  const child = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      `${HEAP_FLAG}=${INGEST_HEAP_MB}`,
      `--max-semi-space-size=${INGEST_SEMI_SPACE_MB}`,
      process.argv[1] ?? "",
      ...argv,
    ],
    { stdio: "inherit" },
  );
  process.exit(child.status ?? 70);
}

// `kaizen failures | head`: the reader has all it wants; stop quietly instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? 0);
  });

// Imported only now: a process that re-runs itself above never loads the CLI.
const { main, processContext } = await import("./main.js");
process.exitCode = await main(argv, processContext());
