import { CATEGORY_RULES, classifyFailure, type FailureContext } from "./failure-categories.js";
import { siteOf } from "./failure-clusters.js";
import { failureSignature, type FailureText } from "./failure-signature.js";
import { clearingRun, FLAKY_POLICY, type FlakinessScore } from "./flakiness.js";

/** Why a failure got its cluster and category, in the terms the decision used. */
export interface FailureExplanation {
  readonly signature: ReturnType<typeof failureSignature>;
  readonly site: string;
  /** The rule that decided the category, or why none did. */
  readonly category:
    | {
        readonly decided: true;
        readonly category: string;
        readonly rule: string;
        readonly confidence: number;
        readonly because: string;
      }
    | { readonly decided: false; readonly because: string };
}

/**
 * Re-derives a failure's signature and category and says what decided them. When no rule
 * fires it says so, and which signals were missing, rather than staying silent.
 */
export function explainFailure(failure: FailureText, context: FailureContext): FailureExplanation {
  const signature = failureSignature(failure);
  const verdict = classifyFailure(signature, failure, context);
  const rule = CATEGORY_RULES.find((candidate) => candidate.id === verdict?.rule);
  return {
    signature,
    site: siteOf(signature),
    category:
      verdict === undefined || rule === undefined
        ? {
            decided: false,
            because: `no rule matched: the message "${signature.messageTemplate}" names no timeout, connection, resource, missing dependency, configuration or assertion${signature.frames.length === 0 ? ", the stack has no frames of the project's own code" : ""}${context.passedOnRetry ? "" : ", and no later attempt of the test passed"}; a human label (or the learned model, once trained) must decide`,
          }
        : { decided: true, ...verdict, because: rule.description },
  };
}

/** Why a test is or is not flaky, in sentences built from its evidence and the policy. */
export function explainFlakiness(score: FlakinessScore): string[] {
  const e = score.evidence;
  const lines = [
    `flake rate ${(score.score * 100).toFixed(2)}% (90% interval ${(score.interval[0] * 100).toFixed(2)}%–${(score.interval[1] * 100).toFixed(2)}%) over ${e.verdicts} executions`,
    `evidence: ${e.retriedThenPassed} retried then passed, ${e.failedOnPassingCommit} failed on a commit that passed elsewhere; ${e.unexplainedFailures} failures no pass on the same code explains (counted as regressions, not flakiness)`,
  ];
  const events = e.retriedThenPassed + e.failedOnPassingCommit;
  if (score.flaky)
    lines.push(
      `flaky: at least ${FLAKY_POLICY.minFlakyVerdicts} flaky executions and a rate of at least ${FLAKY_POLICY.activate * 100}%, not cleared since (${e.cleanPassesSince} passes in a row; ${clearingRun(score.score)}, which its rate makes less than ${FLAKY_POLICY.clearLikelihood * 100}% likely, clear it)`,
    );
  else if (events < FLAKY_POLICY.minFlakyVerdicts)
    lines.push(
      `not flaky: ${events} flaky execution${events === 1 ? "" : "s"}, fewer than the ${FLAKY_POLICY.minFlakyVerdicts} required`,
    );
  else
    lines.push(
      `not flaky: the rate is below ${FLAKY_POLICY.activate * 100}%, or the test was cleared (below ${FLAKY_POLICY.resolve * 100}% or by a run of passes its rate made less than ${FLAKY_POLICY.clearLikelihood * 100}% likely) and has not had ${FLAKY_POLICY.minFlakyVerdicts} flaky executions since`,
    );
  lines.push(`trend: ${score.trend}`);
  return lines;
}
