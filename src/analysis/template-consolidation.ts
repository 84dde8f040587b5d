import { WILDCARD } from "./log-tokens.js";
import type { MinedTemplate } from "./template-miner.js";

/** Templates after consolidation: which template each mined one belongs to now. */
export interface ConsolidatedTemplates {
  /** For every mined template id, the id of the template it was merged into (itself when it was not). */
  readonly representative: ReadonlyMap<number, number>;
  /** The tokens of every representative, runs of wildcards collapsed into one. */
  readonly tokens: ReadonlyMap<number, readonly string[]>;
}

/** Words of a specific template that the wildcards of a general one may take in. */
const MAX_SWALLOWED_WORDS = 1;

/** Larger templates a small one is compared against, per leading word. */
const CANDIDATES_PER_WORD = 500;

/** `a <*> <*> b` → `a <*> b`: how many tokens a variable spans is not part of an event. */
export function collapseWildcards(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const token of tokens) if (token !== WILDCARD || out.at(-1) !== WILDCARD) out.push(token);
  return out;
}

/**
 * Whether `specific` is an instance of `general`, each wildcard of `general` standing for
 * one token or more, and the words of `general` appearing in order. The wildcards may
 * swallow at most one word of `specific` between them: a variable that spans several
 * values (`a b.txt`) is common, one that spans the words of another message
 * (`Unpacking <*> (<*>) ...` of `Unpacking <*> (<*>) over (<*>) ...`) is another event.
 */
export function isInstanceOf(specific: readonly string[], general: readonly string[]): boolean {
  // matches[j]: the fewest words swallowed to match general[0..j) with specific[0..i).
  let previous: number[] = new Array<number>(general.length + 1).fill(Infinity);
  previous[0] = 0;
  for (let i = 1; i <= specific.length; i++) {
    const current = new Array<number>(general.length + 1).fill(Infinity);
    const token = specific[i - 1] as string;
    const swallowed = token === WILDCARD ? 0 : 1;
    for (let j = 1; j <= general.length; j++) {
      const pattern = general[j - 1] as string;
      if (pattern === WILDCARD) {
        // Either this wildcard starts here, or it goes on from the token before.
        current[j] = Math.min((previous[j - 1] as number) + swallowed, (previous[j] as number) + swallowed);
      } else if (pattern === token) {
        current[j] = previous[j - 1] as number;
      }
    }
    previous = current;
  }
  return (previous[general.length] as number) <= MAX_SWALLOWED_WORDS;
}

/**
 * Merges mined templates that stand for one event: those equal once runs of wildcards are
 * collapsed (a variable that spans two tokens in some lines and one in others), and small
 * templates that are instances of a larger one (`Removed file a b.txt` of `Removed file
 * <*>`). A template is only absorbed by one whose first word is its first word and that has
 * at least two words, so that wildcards never eat whole messages.
 */
export function consolidateTemplates(templates: readonly MinedTemplate[]): ConsolidatedTemplates {
  const representative = new Map<number, number>();
  const tokens = new Map<number, readonly string[]>();
  const sizes = new Map<number, number>();
  const byKey = new Map<string, number>();
  for (const template of templates) {
    const collapsed = collapseWildcards(template.tokens);
    const key = collapsed.join(" ");
    const existing = byKey.get(key);
    if (existing === undefined) {
      byKey.set(key, template.id);
      representative.set(template.id, template.id);
      tokens.set(template.id, collapsed);
      sizes.set(template.id, template.size);
    } else {
      representative.set(template.id, existing);
      sizes.set(existing, (sizes.get(existing) ?? 0) + template.size);
    }
  }

  const roots = [...tokens.keys()].sort((a, b) => (sizes.get(b) ?? 0) - (sizes.get(a) ?? 0) || a - b);
  const byFirstWord = new Map<string, number[]>();
  const absorbedInto = new Map<number, number>();
  for (const id of roots) {
    const own = tokens.get(id) as readonly string[];
    const first = own.find((token) => token !== WILDCARD);
    if (first === undefined) continue;
    const candidates = byFirstWord.get(first) ?? [];
    const general = candidates.find((candidate) => {
      const pattern = tokens.get(candidate) as readonly string[];
      return (
        pattern.find((token) => token !== WILDCARD) === first &&
        pattern.length < own.length + 1 &&
        pattern.filter((token) => token !== WILDCARD).length >= 2 &&
        pattern.includes(WILDCARD) &&
        isInstanceOf(own, pattern)
      );
    });
    if (general !== undefined) {
      absorbedInto.set(id, general);
      continue;
    }
    if (candidates.length < CANDIDATES_PER_WORD) candidates.push(id);
    byFirstWord.set(first, candidates);
  }
  for (const [id, root] of representative) {
    const into = absorbedInto.get(root);
    if (into !== undefined) representative.set(id, into);
  }
  for (const id of absorbedInto.keys()) tokens.delete(id);
  return { representative, tokens };
}
