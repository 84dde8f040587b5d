#!/usr/bin/env node
import { main, processContext } from "./main.js";

// `kaizen failures | head`: the reader has all it wants; stop quietly instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? 0);
  });

process.exitCode = await main(process.argv.slice(2), processContext());
