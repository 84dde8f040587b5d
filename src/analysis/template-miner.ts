import { tokenizeLine, WILDCARD } from "./log-tokens.js";

/** Settings of a {@link TemplateMiner}; the defaults are meant for any log, without tuning per dataset. */
export interface TemplateMinerOptions {
  /**
   * How much of a line must equal a template's words for the line to join it, as a share of
   * the line's tokens (Drain's similarity threshold).
   */
  readonly similarity?: number;
  /** Leading tokens the prefix tree routes by (Drain's depth minus two). */
  readonly prefixTokens?: number;
  /** Children a tree node keeps before it sends further distinct tokens down its wildcard branch. */
  readonly maxChildren?: number;
}

/** One template the miner has learned. */
export interface MinedTemplate {
  /** Stable for the miner's life: the order in which templates were first seen, from 1. */
  readonly id: number;
  /** Words and {@link WILDCARD}s, one per token of the lines it groups. */
  readonly tokens: readonly string[];
  /** Lines assigned to it. */
  readonly size: number;
}

interface Group {
  readonly id: number;
  tokens: string[];
  size: number;
}

interface PrefixNode {
  readonly children: Map<string, PrefixNode>;
  readonly groups: Group[];
}

/** The default of {@link TemplateMinerOptions.similarity}. */
export const DEFAULT_SIMILARITY = 0.6;

const DEFAULTS = { similarity: DEFAULT_SIMILARITY, prefixTokens: 2, maxChildren: 100 } as const;
/** Distinct masked lines remembered for the fast path; repeated lines are the common case. */
const EXACT_CACHE_SIZE = 100_000;

const newNode = (): PrefixNode => ({ children: new Map(), groups: [] });

/**
 * How well a line fits a template: `instance` when every word of the template is in the
 * line at its place (the line is one of the template's lines, however many wildcards it
 * has), and otherwise the share of equal words among the positions that are not a value on
 * both sides. Drain divides by every token, so a message behind a long masked header (time,
 * host, pid) can never reach the threshold, and a template that gained wildcards stops
 * accepting its own lines.
 */
export function templateFit(
  template: readonly string[],
  tokens: readonly string[],
): { instance: boolean; share: number } {
  let words = 0;
  let equal = 0;
  let compared = 0;
  for (let i = 0; i < template.length; i++) {
    const word = template[i];
    if (word === WILDCARD) {
      if (!(tokens[i] as string).includes(WILDCARD)) compared++;
      continue;
    }
    words++;
    compared++;
    if (word === tokens[i]) equal++;
  }
  return { instance: words > 0 && equal === words, share: compared === 0 ? 1 : equal / compared };
}

/**
 * An online log template miner in the spirit of Drain (He et al., ICWS 2017): lines are
 * routed by token count and leading tokens through a fixed-depth prefix tree, and join the
 * most similar template at the leaf, which then turns the positions where they differ into
 * wildcards. Values are masked before (see `log-tokens.ts`). Improved where Drain is weak:
 * a line that is an instance of a template always joins it, whatever its number of
 * wildcards; month and weekday names beside a value are masked with it; and
 * `consolidateTemplates` merges templates that differ only in how many tokens a variable
 * spans, which Drain, routing by length, never can.
 */
export class TemplateMiner {
  private readonly options: Required<TemplateMinerOptions>;
  private readonly roots = new Map<number, PrefixNode>();
  private readonly all: Group[] = [];
  private readonly exact = new Map<string, Group>();

  constructor(options: TemplateMinerOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Assigns a line to a template, learning a new one or widening one when needed; returns the template's id. */
  add(line: string): number {
    const tokens = tokenizeLine(line).map((token) => token.masked);
    const key = tokens.join(" ");
    const cached = this.exact.get(key);
    if (cached !== undefined) {
      cached.size++;
      return cached.id;
    }
    const leaf = this.leafFor(tokens);
    let group = this.bestIn(leaf.groups, tokens);
    if (group === undefined) {
      group = { id: this.all.length + 1, tokens: [...tokens], size: 0 };
      this.all.push(group);
      leaf.groups.push(group);
    } else {
      for (let i = 0; i < tokens.length; i++) if (group.tokens[i] !== tokens[i]) group.tokens[i] = WILDCARD;
    }
    group.size++;
    if (this.exact.size >= EXACT_CACHE_SIZE) this.exact.clear();
    this.exact.set(key, group);
    return group.id;
  }

  /** The templates learned so far, in the order they were first seen. */
  templates(): MinedTemplate[] {
    return this.all.map((group) => ({ id: group.id, tokens: [...group.tokens], size: group.size }));
  }

  /** The template of an id returned by {@link TemplateMiner.add}. */
  template(id: number): MinedTemplate | undefined {
    const group = this.all[id - 1];
    return group === undefined ? undefined : { id: group.id, tokens: [...group.tokens], size: group.size };
  }

  private leafFor(tokens: readonly string[]): PrefixNode {
    let node: PrefixNode | undefined = this.roots.get(tokens.length);
    if (node === undefined) {
      node = newNode();
      this.roots.set(tokens.length, node);
    }
    // One token at least is left to the similarity test: a short message routed by all its
    // tokens could never join a template (`Adding x.pem`, `Adding y.pem`).
    const depth = Math.min(this.options.prefixTokens, tokens.length - 1);
    for (let i = 0; i < depth; i++) {
      const token = tokens[i] as string;
      const branch = token.includes(WILDCARD) ? WILDCARD : token;
      let child: PrefixNode | undefined = node.children.get(branch);
      if (child === undefined) {
        const full: boolean = node.children.size >= this.options.maxChildren;
        child = full ? node.children.get(WILDCARD) : undefined;
        if (child === undefined) {
          child = newNode();
          node.children.set(full ? WILDCARD : branch, child);
        }
      }
      node = child;
    }
    return node;
  }

  /** The group a line fits best: an instance first, then the highest share at or above the threshold. */
  private bestIn(groups: readonly Group[], tokens: readonly string[]): Group | undefined {
    let best: Group | undefined;
    let bestScore = -1;
    for (const group of groups) {
      const { instance, share } = templateFit(group.tokens, tokens);
      const score = instance ? 2 : share >= this.options.similarity ? share : -1;
      if (score < 0) continue;
      // Among equal fits the larger group, which has proven itself, wins.
      if (score > bestScore || (score === bestScore && best !== undefined && group.size > best.size)) {
        best = group;
        bestScore = score;
      }
    }
    return best;
  }
}
