import { createReadStream } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { Command } from "commander";
import { assignTemplates } from "../../analysis/template-assignment.js";
import { isKaizenError, KaizenError } from "../../domain/errors.js";
import type { CommandContext, CommandOutcome } from "../context.js";
import { formatTable } from "../output.js";

/** Options of `kaizen templates`. */
interface TemplatesOptions {
  readonly json?: boolean;
  readonly similarity?: string;
}

/** Lines printed per write: one write per line costs more than the mining on big inputs. */
const LINES_PER_WRITE = 1000;

function openInput(context: CommandContext, file: string): Promise<Readable> {
  if (file === "-") return Promise.resolve(context.stdin());
  const path = resolve(context.cwd, file);
  const stream = createReadStream(path);
  // Surface a missing or unreadable file as a clear error before reading starts.
  return new Promise((resolveStream, reject) => {
    stream.once("ready", () => {
      resolveStream(stream);
    });
    stream.once("error", (cause) => {
      reject(new KaizenError("INPUT_UNREADABLE", `cannot read: ${cause.message}`, { file, cause, httpStatus: 400 }));
    });
  });
}

/** The lines of a text, refusing binary content (a NUL byte) with the line it is on. */
async function* textLines(lines: AsyncIterable<string>, file: string): AsyncGenerator<string> {
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.includes("\u0000"))
      throw new KaizenError("INVALID_ENCODING", "binary content (a NUL byte): not a text file", {
        file,
        position: { line: number },
        httpStatus: 415,
      });
    yield line;
  }
}

function similarityOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > 1)
    throw new KaizenError("USAGE", `--similarity must be a number in (0, 1], not ${JSON.stringify(text)}`);
  return value;
}

/** Runs `kaizen templates`: assigns every input line a template. */
export async function runTemplates(
  context: CommandContext,
  file: string,
  options: TemplatesOptions,
): Promise<CommandOutcome> {
  const similarity = similarityOf(options.similarity);
  const input = await openInput(context, file);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let assignment;
  try {
    assignment = await assignTemplates(textLines(lines, file), similarity === undefined ? {} : { similarity });
  } catch (cause) {
    if (isKaizenError(cause)) throw cause;
    throw new KaizenError("INPUT_UNREADABLE", `cannot read: ${(cause as Error).message}`, {
      file,
      cause,
      httpStatus: 400,
    });
  }
  if (options.json === true) {
    let chunk: string[] = [];
    for (let i = 0; i < assignment.lineCount; i++) {
      const { id, template } = assignment.templateOf(i);
      chunk.push(JSON.stringify({ line: i + 1, template_id: id, template }));
      if (chunk.length === LINES_PER_WRITE) {
        context.output.out(chunk.join("\n"));
        chunk = [];
      }
    }
    if (chunk.length > 0) context.output.out(chunk.join("\n"));
    return "ok";
  }
  const templates = assignment.templates();
  for (const line of formatTable(
    ["id", "lines", "template"],
    templates.map((t) => [t.id, String(t.lines), t.template]),
  ))
    context.output.out(line);
  context.output.out(`${assignment.lineCount} lines · ${templates.length} templates`);
  return "ok";
}

/** The `kaizen templates` command. */
export function templatesCommand(context: CommandContext, onDone: (outcome: CommandOutcome) => void): Command {
  return new Command("templates")
    .description("Assign every line of a text (a log, failure messages) a template; values become <*>")
    .argument("[file]", "a text file, or - for standard input", "-")
    .option("--json", "print one JSON object per input line: {line, template_id, template}")
    .option("--similarity <share>", "share of a line's words that must equal a template's to join it", "0.6")
    .addHelpText(
      "after",
      `
Templates are learned online in the spirit of Drain and merged at the end of the input, so
a line's template_id is final only once all lines are read. Blank lines share template 0.`,
    )
    .action(async (file: string, options: TemplatesOptions) => {
      onDone(await runTemplates(context, file, options));
    });
}
