import { hash } from "node:crypto";
import type { FailureSignature } from "./failure-signature.js";
import { WILDCARD } from "./log-tokens.js";
import { collapseWildcards } from "./template-consolidation.js";
import { DEFAULT_SIMILARITY, templateFit } from "./template-miner.js";

/** A cluster a new failure could join: its id, its message template's tokens, its size. */
export interface KnownCluster {
  readonly id: number;
  readonly template: readonly string[];
  readonly failures: number;
}

/**
 * The code site of a failure: its exception type and key frames, hashed; for a failure of the
 * environment its type alone (an outage fails every code path alike), or the host it names.
 * Clusters never span two sites.
 */
export function siteOf(signature: FailureSignature): string {
  const key =
    signature.resource === null
      ? [signature.exceptionType ?? "", signature.keyFrames]
      : ["environment", signature.resource];
  return hash("sha256", JSON.stringify(key), "hex").slice(0, 16);
}

/**
 * The cluster of its site a failure's message template belongs to: one whose template it
 * is an instance of, or shares enough words with at the same positions (the template
 * miner's similarity), or equals once runs of wildcards are collapsed; the best fit, the
 * larger cluster on a tie. `undefined` when none: the failure is a new root cause.
 *
 * Near-duplicates are found this way, not with MinHash or TF-IDF: within one code site the
 * messages of one cause differ only in values and the odd word at a fixed place, which a
 * positional comparison sees exactly, while set-of-words similarity would also merge
 * `expected <*> to be <*>` with `expected <*> not to be <*>`. A site has few clusters, so
 * comparing with each is cheap.
 */
export function nearestCluster(
  template: readonly string[],
  candidates: readonly KnownCluster[],
  similarity = DEFAULT_SIMILARITY,
): KnownCluster | undefined {
  const collapsed = collapseWildcards(template).join(" ");
  let best: KnownCluster | undefined;
  let bestScore = -1;
  for (const candidate of candidates) {
    let score = -1;
    if (candidate.template.length === template.length) {
      const { instance, share } = templateFit(candidate.template, template);
      score = instance ? 2 : share >= similarity ? share : -1;
    }
    if (score < 0 && collapseWildcards(candidate.template).join(" ") === collapsed) score = 1;
    if (score < 0) continue;
    if (score > bestScore || (score === bestScore && best !== undefined && candidate.failures > best.failures)) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** A cluster's template once a failure joined it: the positions where they differ become wildcards. */
export function widenTemplate(template: readonly string[], joining: readonly string[]): string[] {
  if (template.length !== joining.length) return collapseWildcards(template);
  return template.map((token, i) => (token === joining[i] ? token : WILDCARD));
}

/** A readable one-line title: type, message template and the innermost project frame. */
export function clusterTitle(
  signature: FailureSignature,
  template: readonly string[] = signature.messageTemplate.split(" "),
): string {
  const message = template.join(" ");
  const head = signature.exceptionType === null ? message : `${signature.exceptionType}: ${message}`;
  const where = signature.frames[0];
  const title = where === undefined ? head : `${head} (at ${where})`;
  return title.length > 200 ? `${title.slice(0, 199)}…` : title;
}
