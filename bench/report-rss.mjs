// Preloaded with `node --import` into the real CLI: prints the process's peak RSS on stderr at exit,
// so the benchmark measures `kaizen ingest` itself, not a harness around it.
import { writeSync } from "node:fs";
import process from "node:process";

process.on("exit", () => {
  writeSync(2, `\nKAIZEN_BENCH_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
