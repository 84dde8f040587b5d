import { Command, InvalidArgumentError } from "commander";
import { FAILURE_CATEGORIES, type FailureCategory } from "../../analysis/failure-categories.js";
import { KaizenError } from "../../domain/errors.js";
import { withStore, type CommandContext, type CommandOutcome } from "../context.js";
import { printJson } from "../output.js";
import { describeTraining } from "./model.js";

/** Options of `kaizen label`. */
interface LabelOptions {
  readonly db?: string;
  readonly json?: boolean;
  readonly category: FailureCategory;
  readonly note?: string;
}

type Target = { readonly clusterId: number } | { readonly failureId: number };

/** `12` or `cluster:12` names a cluster, `failure:345` a failure. */
function target(value: string): Target {
  const match = /^(?:(cluster|failure):)?(\d+)$/.exec(value);
  const id = Number(match?.[2]);
  if (match === null || !Number.isSafeInteger(id) || id <= 0)
    throw new InvalidArgumentError("expected a cluster id (12 or cluster:12) or a failure id (failure:345)");
  return match[1] === "failure" ? { failureId: id } : { clusterId: id };
}

function category(value: string): FailureCategory {
  if (!(FAILURE_CATEGORIES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`expected one of ${FAILURE_CATEGORIES.join(", ")}`);
  return value as FailureCategory;
}

/** Runs `kaizen label`. */
export async function runLabel(context: CommandContext, to: Target, options: LabelOptions): Promise<CommandOutcome> {
  const outcome = await withStore(context, options, async (store) => {
    const labelled = await store.label(to, options.category, options.note ?? null);
    // A label is training data: the model learns again once enough labels have changed.
    return { labelled, trained: labelled === undefined ? undefined : await store.learnFromLabel(labelled.clusterId) };
  });
  const applied = outcome.labelled;
  if (applied === undefined)
    throw new KaizenError(
      "NOT_FOUND",
      "clusterId" in to
        ? `no cluster ${to.clusterId} with failures (see kaizen clusters)`
        : `no failure ${to.failureId} (see kaizen failures)`,
      { httpStatus: 404 },
    );
  if (options.json === true)
    printJson(context.output, {
      ...applied,
      category: options.category,
      source: "human",
      trained: outcome.trained ?? null,
    });
  else {
    context.output.out(
      `cluster ${applied.clusterId} is ${options.category} now (human label): ${applied.failures} failures updated; failures that join it later take it too`,
    );
    if (outcome.trained !== undefined) context.output.out(describeTraining(outcome.trained));
  }
  return "ok";
}

/** The `kaizen label` command. */
export function labelCommand(context: CommandContext, onDone: (outcome: CommandOutcome) => void): Command {
  return new Command("label")
    .description("Give a failure cluster a category by hand: it overrides rules and models, and teaches them")
    .argument(
      "<cluster-id|failure-id>",
      "a cluster (12 or cluster:12) or a failure (failure:345) whose cluster to label",
      target,
    )
    .requiredOption("--category <category>", `the category (${FAILURE_CATEGORIES.join(", ")})`, category)
    .option("--note <text>", "why, for whoever reads the label later")
    .option("--db <path>", "SQLite database file (default .kaizen/kaizen.db), or a postgres:// URL")
    .option("--json", "print as JSON")
    .action(async (to: Target, options: LabelOptions) => {
      onDone(await runLabel(context, to, options));
    });
}
