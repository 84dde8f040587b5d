import { Command, CommanderError } from "commander";
import { isKaizenError } from "../domain/errors.js";
import { openStore } from "../store/open-store.js";
import { analyzeCommand } from "./commands/analyze.js";
import { clusterCommand, clustersCommand, reclusterCommand, rulesCommand } from "./commands/clusters.js";
import { dbCommand } from "./commands/db.js";
import { explainCommand, testCommand } from "./commands/explain.js";
import { failuresCommand } from "./commands/failures.js";
import { labelCommand } from "./commands/label.js";
import { modelCommand, trainCommand } from "./commands/model.js";
import { flakyCommand } from "./commands/flaky.js";
import { ingestCommand } from "./commands/ingest.js";
import { parseCommand } from "./commands/parse.js";
import { runsCommand } from "./commands/runs.js";
import { simulateCommand } from "./commands/simulate.js";
import { templatesCommand } from "./commands/templates.js";
import { testsCommand } from "./commands/tests.js";
import type { CommandContext, CommandOutcome } from "./context.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import { palette, processOutput } from "./output.js";

/** Kaizen's version, shown by `--version`. */
export const VERSION = "0.1.0";

/** The context of the real process: its stdout/stderr, environment and working directory. */
export function processContext(): CommandContext {
  return { output: processOutput(), env: process.env, cwd: process.cwd(), openStore, stdin: () => process.stdin };
}

/** Builds the `kaizen` command tree; `onDone` receives each command's outcome. */
export function buildProgram(context: CommandContext, onDone: (outcome: CommandOutcome) => void): Command {
  const program = new Command("kaizen")
    .description("Self-learning test and CI intelligence: collect test results, learn from failures, feed it back")
    .version(VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (text) => context.output.out(text.replace(/\n$/, "")),
      writeErr: (text) => context.output.err(text.replace(/\n$/, "")),
    })
    .exitOverride();
  for (const make of [
    ingestCommand,
    parseCommand,
    runsCommand,
    testsCommand,
    testCommand,
    failuresCommand,
    flakyCommand,
    clustersCommand,
    clusterCommand,
    reclusterCommand,
    rulesCommand,
    labelCommand,
    trainCommand,
    modelCommand,
    explainCommand,
    analyzeCommand,
    templatesCommand,
    simulateCommand,
    dbCommand,
  ]) {
    const command = make(context, onDone);
    command.exitOverride().configureOutput({
      writeOut: (text) => context.output.out(text.replace(/\n$/, "")),
      writeErr: (text) => context.output.err(text.replace(/\n$/, "")),
    });
    for (const sub of command.commands) sub.exitOverride();
    program.addCommand(command);
  }
  return program;
}

/**
 * Runs the CLI and returns the exit code. The only place that maps outcomes and errors to
 * exit codes (listed in `exit-codes.ts` and the README).
 */
export async function main(argv: readonly string[], context: CommandContext): Promise<number> {
  let outcome: CommandOutcome = "ok";
  const program = buildProgram(context, (result) => {
    outcome = result;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return outcome === "ok" ? EXIT.ok : EXIT.inputFailed;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help asked for exits 0; help shown because a subcommand is missing (`kaizen`, `kaizen db`) is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const c = palette(context.output);
    if (isKaizenError(error)) {
      context.output.err(`${c.red("error")} ${error.describe()}`);
      return exitCodeFor(error.code);
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    context.output.err(`${c.red("internal error")} ${message}\nThis is a bug in Kaizen; please report it.`);
    return EXIT.internal;
  }
}
