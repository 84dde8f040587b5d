// Preloaded with `node --import` into the real CLI: prints the process's peak RSS on stderr at exit,
// so the benchmark measures `kaizen ingest` itself, not a harness around it. Worker threads run
// the preload too; only the main thread reports, at the process's end.
import { writeSync } from "node:fs";
import process from "node:process";
import { isMainThread } from "node:worker_threads";

if (isMainThread)
  process.on("exit", () => {
    writeSync(2, `\nKAIZEN_BENCH_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`);
  });
