import { Command } from "commander";
import { explainFailure, explainFlakiness } from "../../analysis/explain.js";
import { scoreFlakiness } from "../../analysis/flakiness.js";
import { KaizenError } from "../../domain/errors.js";
import type { KyselyStore } from "../../store/kysely-store.js";
import type { TestVerdicts } from "../../store/ports.js";
import { withStore, type CommandContext, type CommandOutcome } from "../context.js";
import { formatTable, printJson } from "../output.js";

/** Options of `kaizen explain` and `kaizen test show`. */
interface ExplainOptions {
  readonly db?: string;
  readonly json?: boolean;
  readonly project?: string;
}

const DB_HELP = "SQLite database file (default .kaizen/kaizen.db), or a postgres:// URL";

/** The one test a reference names; a usage error listing the candidates when it names several. */
async function oneTest(store: KyselyStore, ref: string, project: string | undefined): Promise<TestVerdicts["test"]> {
  const tests = await store.findTests(ref, project);
  const [only] = tests;
  if (only === undefined)
    throw new KaizenError("NOT_FOUND", `no test or failure "${ref}" (see kaizen tests)`, { httpStatus: 404 });
  if (tests.length > 1)
    throw new KaizenError(
      "USAGE",
      `"${ref}" names ${tests.length} tests; give one id:\n${tests.map((t) => `  ${t.id}  ${t.suite} › ${t.name}`).join("\n")}`,
    );
  return only;
}

async function testHistory(store: KyselyStore, ref: string, project: string | undefined) {
  const test = await oneTest(store, ref, project);
  const [history] = await store.listVerdicts({ testId: test.id, project });
  const verdicts = history?.verdicts ?? [];
  return { test, verdicts, flakiness: scoreFlakiness(verdicts) };
}

/** Who decided a category, from a failure's `source`. */
function decidedBy(source: string | null): string {
  if (source === null) return "nothing decided: no rule fired and no model is promoted";
  if (source === "human") return "a person's label";
  if (source.startsWith("model:")) return `the learned model, ${source.slice(6)}`;
  return `rule ${source.replace(/^rule:/, "")}`;
}

/** Runs `kaizen explain`: why a failure got its cluster and category, or why a test is (not) flaky. */
export async function runExplain(
  context: CommandContext,
  ref: string,
  options: ExplainOptions,
): Promise<CommandOutcome> {
  const out = (line: string) => {
    context.output.out(line);
  };
  await withStore(context, options, async (store) => {
    const failure = /^\d+$/.test(ref) ? await store.failureById(Number(ref)) : undefined;
    if (failure !== undefined) {
      const explanation = explainFailure(failure, { passedOnRetry: failure.passedOnRetry });
      const decision = await store.categoryDecision(failure.id);
      if (options.json === true) {
        printJson(context.output, {
          failure: {
            id: failure.id,
            clusterId: failure.clusterId,
            category: failure.category,
            confidence: failure.confidence,
            source: failure.source,
          },
          explanation,
          label: decision?.label ?? null,
          model: decision?.model ?? null,
          facts: decision?.facts ?? null,
        });
        return;
      }
      const { signature } = explanation;
      out(`failure ${failure.id} in run ${failure.ciRunId}: ${failure.test.suite} › ${failure.test.name}`);
      out(
        `  cluster     ${failure.clusterId ?? "none"}: same exception type, message template and project frames share a cluster`,
      );
      out(`  type        ${signature.exceptionType ?? "-"}`);
      out(`  template    ${signature.messageTemplate}`);
      out(
        `  frames      ${signature.frames.length === 0 ? "- (none of the project's own code)" : signature.frames.join(" < ")}`,
      );
      out(`  fingerprint ${signature.fingerprint} (site ${explanation.site})`);
      out(`  category    ${failure.category ?? "unclassified"} (${decidedBy(failure.source)})`);
      if (decision?.label !== undefined && decision.label !== null)
        out(
          `  label       ${decision.label.category}, given ${decision.label.at.slice(0, 10)}${decision.label.note === null ? "" : `: ${decision.label.note}`}; it overrides rules and models for the cluster`,
        );
      if (explanation.category.decided)
        out(
          `  rule        ${explanation.category.rule} says ${explanation.category.category} (confidence ${explanation.category.confidence.toFixed(2)}): ${explanation.category.because}`,
        );
      else out(`  rule        none: ${explanation.category.because}`);
      if (decision?.model === undefined || decision.model === null)
        out(
          "  model       none promoted yet: label clusters (kaizen label) and run kaizen train; kaizen model lists versions",
        );
      else {
        const p = decision.model.prediction;
        out(
          `  model       v${decision.model.version} says ${p.category} (probability ${p.confidence.toFixed(2)}), weighing most: ${p.because.map((b) => `${b.feature} (+${b.weight.toFixed(2)})`).join(", ") || "nothing beyond its priors"}`,
        );
      }
      if (decision?.facts !== undefined && decision.facts !== null) {
        const f = decision.facts;
        out(
          `  history     passed on retry: ${f.passedOnRetry ? "yes" : "no"}; passed on the same commit: ${f.passedOnSameCommit ? "yes" : "no"}; tests failing alike in the run: ${f.testsWithCluster}; run failing: ${(f.runFailingShare * 100).toFixed(1)}%; new cause: ${f.clusterNew ? "yes" : "no"}; commits with this cause: ${f.clusterCommits}`,
        );
      }
      return;
    }
    const { test, flakiness } = await testHistory(store, ref, options.project);
    if (options.json === true) {
      printJson(context.output, { test, flakiness, explanation: explainFlakiness(flakiness) });
      return;
    }
    out(`test ${test.id}: ${test.suite} › ${test.name}`);
    for (const line of explainFlakiness(flakiness)) out(`  ${line}`);
  });
  return "ok";
}

/** Runs `kaizen test show`: one test's executions and flakiness. */
export async function runTestShow(
  context: CommandContext,
  ref: string,
  options: ExplainOptions,
): Promise<CommandOutcome> {
  const { test, verdicts, flakiness } = await withStore(context, options, (store) =>
    testHistory(store, ref, options.project),
  );
  if (options.json === true) {
    printJson(context.output, { test, flakiness, history: verdicts });
    return "ok";
  }
  context.output.out(`${test.suite} › ${test.name}${test.file === null ? "" : ` (${test.file})`}  id ${test.id}`);
  context.output.out(
    `  ${flakiness.flaky ? "flaky" : "not flaky"}: flake rate ${(flakiness.score * 100).toFixed(1)}% over ${flakiness.evidence.verdicts} executions, trend ${flakiness.trend}`,
  );
  for (const line of formatTable(
    ["when", "commit", "outcome"],
    verdicts.map((v) => [v.at.replace("T", " ").slice(0, 19), v.commitSha?.slice(0, 10) ?? "", v.outcome]),
  ))
    context.output.out(`  ${line}`);
  return "ok";
}

/** The `kaizen explain` command. */
export function explainCommand(context: CommandContext, onDone: (outcome: CommandOutcome) => void): Command {
  return new Command("explain")
    .description(
      "Explain a failure's cluster and category (by failure id), or a test's flaky decision (by test id or name)",
    )
    .argument("<failure-id|test>", "a failure id (kaizen failures), or a test id or part of its name")
    .option("--project <key>", "only this project")
    .option("--db <path>", DB_HELP)
    .option("--json", "print as JSON")
    .action(async (ref: string, options: ExplainOptions) => {
      onDone(await runExplain(context, ref, options));
    });
}

/** The `kaizen test` command (`kaizen test show`). */
export function testCommand(context: CommandContext, onDone: (outcome: CommandOutcome) => void): Command {
  const test = new Command("test").description("Inspect one test");
  test
    .command("show")
    .description("Show a test's executions (time, commit, outcome) and its flakiness")
    .argument("<id|name>", "a test id, or part of its name or suite › name")
    .option("--project <key>", "only this project")
    .option("--db <path>", DB_HELP)
    .option("--json", "print as JSON")
    .action(async (ref: string, options: ExplainOptions) => {
      onDone(await runTestShow(context, ref, options));
    });
  return test;
}
