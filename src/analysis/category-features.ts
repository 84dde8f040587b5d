import { classifyFailure } from "./failure-categories.js";
import { failureSignature, type FailureSignature, type FailureText } from "./failure-signature.js";
import { isTestCode } from "./test-code.js";
import { isVariable } from "./log-tokens.js";

/** What the model knows of one failure: its text and what the history says around it. */
export interface FailureFacts {
  readonly text: FailureText;
  /** A later attempt of the same test in the same report passed. */
  readonly passedOnRetry: boolean;
  /** The same test passed on the same commit (another run, job or attempt). */
  readonly passedOnSameCommit: boolean;
  /** Tests of the same run that failed with the same root cause (this one included). */
  readonly testsWithCluster: number;
  /** Share of the run's tests that failed. */
  readonly runFailingShare: number;
  /** The root cause was first seen in this run. */
  readonly clusterNew: boolean;
  /** Distinct commits the root cause failed on. */
  readonly clusterCommits: number;
}

/** One named feature and its value. */
export interface Feature {
  readonly name: string;
  readonly value: number;
}

/** Words of a message looked at beyond its template line: enough for a diff's or a log's gist. */
const MESSAGE_CHARS = 600;

const WORD = /[A-Za-z][A-Za-z_]+/g;

const bucket = (n: number, edges: readonly number[]): string => {
  const i = edges.findIndex((edge) => n < edge);
  if (i === 0) return `<${edges[0]}`;
  if (i === -1) return `${edges[edges.length - 1]}+`;
  return `${edges[i - 1]}-${(edges[i] as number) - 1}`;
};

function words(signature: FailureSignature, text: FailureText): Set<string> {
  const found = new Set<string>();
  for (const token of signature.messageTemplate.split(/\s+/))
    for (const w of token.match(WORD) ?? []) if (!isVariable(w)) found.add(w.toLowerCase());
  for (const w of text.message.slice(0, MESSAGE_CHARS).match(WORD) ?? []) found.add(w.toLowerCase());
  return found;
}

/**
 * The features of a failure: its words, exception type, the rule that fires on it, whether its
 * innermost frame is in test code, and the history around it (retries, same commit, how many
 * tests failed alike in the run, whether the cause is new or persists). Word features share a
 * total weight of 1, so a long message does not outvote the few history signals.
 */
export function categoryFeatures(facts: FailureFacts): Feature[] {
  const signature = failureSignature(facts.text);
  const features: Feature[] = [];
  const text = words(signature, facts.text);
  const wordValue = text.size === 0 ? 0 : 1 / Math.sqrt(text.size);
  for (const w of text) features.push({ name: `word:${w}`, value: wordValue });
  features.push({ name: `type:${signature.exceptionType ?? "none"}`, value: 1 });
  const verdict = classifyFailure(signature, facts.text, { passedOnRetry: facts.passedOnRetry });
  features.push({ name: `rule:${verdict?.rule ?? "none"}`, value: 1 });
  const innermost = signature.frames[0];
  features.push({
    name: innermost === undefined ? "frame:none" : isTestCode(innermost) ? "frame:test-code" : "frame:product-code",
    value: 1,
  });
  if (facts.passedOnRetry) features.push({ name: "history:passed-on-retry", value: 1 });
  features.push({ name: `history:same-commit-passed:${facts.passedOnSameCommit}`, value: 1 });
  features.push({ name: `history:tests-alike:${bucket(facts.testsWithCluster, [2, 5, 20])}`, value: 1 });
  features.push({
    name: `history:run-failing:${bucket(Math.round(facts.runFailingShare * 100), [5, 20, 50])}%`,
    value: 1,
  });
  features.push({ name: `history:cause-new:${facts.clusterNew}`, value: 1 });
  features.push({ name: `history:cause-commits:${bucket(facts.clusterCommits, [2, 5])}`, value: 1 });
  return features;
}
