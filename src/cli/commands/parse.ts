import { Command } from "commander";
import { outcomeOf } from "../../domain/test-result.js";
import { parseReport } from "../../ingest/ingest.js";
import type { CommandContext, CommandOutcome } from "../context.js";
import { formatTable, palette, printJson } from "../output.js";
import { rootDirsOf } from "../root-dirs.js";
import { collect } from "../repeatable-option.js";

/** Options of `kaizen parse`. */
interface ParseOptions {
  readonly json?: boolean;
  readonly root?: string[];
  readonly project?: string;
}

/** Runs `kaizen parse`: the normalized model of one report, without storing it. */
export async function runParse(context: CommandContext, file: string, options: ParseOptions): Promise<CommandOutcome> {
  const project = options.project ?? context.env.KAIZEN_PROJECT ?? "default";
  const parsed = await parseReport(file, {
    project,
    rootDirs: rootDirsOf(context, options.root ?? []),
    cwd: context.cwd,
  });
  const tests = parsed.results.map((result) => ({ ...result.test, outcome: outcomeOf(result.attempts), ...result }));
  if (options.json === true) {
    printJson(context.output, {
      file,
      format: parsed.format,
      report: parsed.info ?? null,
      summary: parsed.summary,
      tests: tests.map(({ test, attempts, properties, tags, outcome }) => ({
        ...test,
        outcome,
        attempts,
        properties,
        tags,
      })),
    });
    return "ok";
  }
  const c = palette(context.output);
  const mark = {
    passed: c.green("✓"),
    failed: c.red("✗"),
    error: c.red("!"),
    skipped: c.dim("-"),
    flaky: c.yellow("~"),
  };
  context.output.out(`${file}: ${parsed.format}`);
  for (const line of formatTable(
    ["", "suite", "name", "ms", "attempts"],
    tests.map((t) => [
      mark[t.outcome],
      t.test.suite,
      t.test.name,
      String(t.attempts.at(-1)?.durationMs ?? ""),
      String(t.attempts.length),
    ]),
  )) {
    context.output.out(line);
  }
  const s = parsed.summary;
  context.output.out(
    `${s.tests} tests · passed ${s.passed} · failed ${s.failed} · errors ${s.errors} · skipped ${s.skipped} · retried-then-passed ${s.flaky}`,
  );
  return "ok";
}

/** The `kaizen parse` command. */
export function parseCommand(context: CommandContext, onDone: (outcome: CommandOutcome) => void): Command {
  return new Command("parse")
    .description("Parse one report and print the normalized results, without storing anything")
    .argument("<file>", "a test report in any supported format")
    .option("--project <key>", "project key used for test ids (default: KAIZEN_PROJECT or 'default')")
    .option("--root <dir>", "a checkout directory to strip from test file paths (repeatable)", collect)
    .option("--json", "print the whole normalized model as JSON (shape in the README)")
    .action(async (file: string, options: ParseOptions) => {
      onDone(await runParse(context, file, options));
    });
}
