import { SingleBar } from "cli-progress";
import type { Output } from "./output.js";

/** A progress indicator for long work; silent unless standard error is a terminal. */
export interface Progress {
  /** Shows `done` of `total` for a phase. */
  update(phase: string, done: number, total: number): void;
  /** Removes the bar. */
  stop(): void;
}

/** A progress bar on an interactive terminal, nothing otherwise (CI logs, pipes, `--json`). */
export function createProgress(output: Output, quiet: boolean): Progress {
  if (quiet || !output.interactive) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: " {phase} [{bar}] {value}/{total} files",
    stream: process.stderr,
    clearOnComplete: true,
    hideCursor: true,
  });
  let started = false;
  return {
    update(phase, done, total) {
      if (!started) {
        bar.start(total, done, { phase });
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, { phase });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
