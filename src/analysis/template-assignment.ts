import { consolidateTemplates } from "./template-consolidation.js";
import { TemplateMiner, type TemplateMinerOptions } from "./template-miner.js";

/** One template of an assignment, with the lines it took. */
export interface AssignedTemplate {
  /** The template's id: the order in which it was first met, from 1. */
  readonly id: string;
  /** Words and `<*>` wildcards. */
  readonly template: string;
  /** Lines assigned to it. */
  readonly lines: number;
}

/** Every line's template, once the whole input has been read. */
export interface TemplateAssignment {
  /** Lines read. */
  readonly lineCount: number;
  /** The template of the line at a 0-based index. */
  templateOf(index: number): AssignedTemplate;
  /** Every template, most lines first. */
  templates(): AssignedTemplate[];
}

/** The id of the template that blank lines share: they carry no event. */
const BLANK = 0;

/**
 * Reads lines, mines their templates online, consolidates the templates at the end and
 * assigns every line the template it ends up in. Only a 4-byte template number is kept per
 * line, so millions of lines fit in a few megabytes besides the templates themselves.
 */
export async function assignTemplates(
  lines: AsyncIterable<string> | Iterable<string>,
  options: TemplateMinerOptions = {},
): Promise<TemplateAssignment> {
  const miner = new TemplateMiner(options);
  let ids = new Uint32Array(1024);
  let count = 0;
  for await (const line of lines) {
    if (count === ids.length) {
      const grown = new Uint32Array(ids.length * 2);
      grown.set(ids);
      ids = grown;
    }
    ids[count++] = line.trim() === "" ? BLANK : miner.add(line);
  }
  const { representative, tokens } = consolidateTemplates(miner.templates());
  const sizes = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const id = representative.get(ids[i] as number) ?? BLANK;
    ids[i] = id;
    sizes.set(id, (sizes.get(id) ?? 0) + 1);
  }
  const assigned = new Map<number, AssignedTemplate>();
  for (const [id, lineCount] of sizes)
    assigned.set(id, { id: String(id), template: (tokens.get(id) ?? []).join(" "), lines: lineCount });
  return {
    lineCount: count,
    templateOf: (index) => {
      if (!Number.isInteger(index) || index < 0 || index >= count) throw new RangeError(`no line ${index}`);
      return assigned.get(ids[index] as number) as AssignedTemplate;
    },
    templates: () => [...assigned.values()].sort((a, b) => b.lines - a.lines || Number(a.id) - Number(b.id)),
  };
}
