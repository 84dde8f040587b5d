import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { CommandContext } from "../../src/cli/context.js";
import { main } from "../../src/cli/main.js";
import { openStore } from "../../src/store/open-store.js";

/** What one in-process CLI invocation printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A scratch working directory for CLI tests. */
export function scratchDir(prefix = "kaizen-cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Runs the real CLI (`main`) in this process with captured output, the given environment
 * and working directory: the whole command path runs, only the process boundary is skipped.
 */
export async function runCli(
  argv: readonly string[],
  options: { cwd: string; env?: Record<string, string | undefined>; interactive?: boolean; stdin?: string },
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const context: CommandContext = {
    output: {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      color: false,
      interactive: options.interactive ?? false,
    },
    env: options.env ?? {},
    cwd: options.cwd,
    openStore,
    stdin: () => Readable.from([Buffer.from(options.stdin ?? "")]),
  };
  const code = await main(argv, context);
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}
