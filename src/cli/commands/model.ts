import { Command } from "commander";
import type { TrainedVersion } from "../../store/category-learning.js";
import type { ModelVersion } from "../../store/model-versions.js";
import { withStore, type CommandContext, type CommandOutcome } from "../context.js";
import { formatTable, printJson } from "../output.js";

/** Options of `kaizen train` and `kaizen model`. */
interface ModelOptions {
  readonly db?: string;
  readonly json?: boolean;
  readonly project?: string;
}

const DB_HELP = "SQLite database file (default .kaizen/kaizen.db), or a postgres:// URL";

/** One line on what a training did: the version, its scores, and whether it decides now. */
export function describeTraining(t: TrainedVersion): string {
  const scores = `cross-validated accuracy ${t.accuracy.toFixed(3)}, macro-F1 ${t.macroF1.toFixed(3)} (rules ${t.rulesMacroF1.toFixed(3)}) on ${t.labelledClusters} labelled clusters, ${t.trainingExamples} training examples`;
  return t.promoted
    ? `category model ${t.project} v${t.version} promoted: ${scores}; it decided ${t.reclassified} failures`
    : `category model ${t.project} v${t.version} not promoted: ${t.reason}; ${scores}`;
}

/** Runs `kaizen train`. */
export async function runTrain(context: CommandContext, options: ModelOptions): Promise<CommandOutcome> {
  const trained = await withStore(context, options, (store) => store.train(options.project));
  if (options.json === true) printJson(context.output, { trained });
  else if (trained.length === 0) context.output.out("Nothing to train: no project is stored.");
  else for (const t of trained) context.output.out(describeTraining(t));
  return "ok";
}

const confusionLines = (v: ModelVersion): string[] => {
  const rows = Object.entries(v.evaluation.model.confusion);
  if (rows.length === 0) return [];
  const columns = [...new Set(rows.flatMap(([, row]) => Object.keys(row)))].sort();
  return [
    "  confusion (rows: label, columns: model):",
    ...formatTable(
      ["", ...columns],
      rows.map(([truth, row]) => [truth, ...columns.map((c) => String(row[c] ?? 0))]),
    ).map((line) => `    ${line}`),
  ];
};

/** Runs `kaizen model`. */
export async function runModel(context: CommandContext, options: ModelOptions): Promise<CommandOutcome> {
  const versions = await withStore(context, options, (store) => store.listModels(options.project));
  if (options.json === true) {
    printJson(context.output, { versions });
    return "ok";
  }
  if (versions.length === 0) {
    context.output.out(
      "No model versions yet: the rules decide categories. Label clusters (kaizen label) and run kaizen train.",
    );
    return "ok";
  }
  for (const line of formatTable(
    ["project", "version", "promoted", "accuracy", "macro-F1", "rules F1", "labelled", "examples", "created", "reason"],
    versions.map((v) => [
      v.project,
      `v${v.version}`,
      v.promoted ? "yes" : "no",
      v.accuracy.toFixed(3),
      v.macroF1.toFixed(3),
      v.evaluation.rules.macroF1.toFixed(3),
      String(v.labelledClusters),
      String(v.trainingExamples),
      v.createdAt.slice(0, 19),
      v.reason,
    ]),
  ))
    context.output.out(line);
  const newest = versions[0];
  if (newest !== undefined) for (const line of confusionLines(newest)) context.output.out(line);
  return "ok";
}

/** The `kaizen train` command. */
export function trainCommand(context: CommandContext, onDone: (outcome: CommandOutcome) => void): Command {
  return new Command("train")
    .description(
      "Train a new version of the failure-category model on the labels and history, evaluate it by cross-validation, and promote it if it does better",
    )
    .option("--project <key>", "only this project (default: every project)")
    .option("--db <path>", DB_HELP)
    .option("--json", "print as JSON: version, promoted, reason, accuracy, macro-F1, the rules' macro-F1, sizes")
    .addHelpText(
      "after",
      "\nA version is promoted when at least 5 clusters are labelled, it scores at least the rules' macro-F1 on the labels, and not worse than the current version. Ingests and labels retrain on their own when enough changed.",
    )
    .action(async (options: ModelOptions) => {
      onDone(await runTrain(context, options));
    });
}

/** The `kaizen model` command. */
export function modelCommand(context: CommandContext, onDone: (outcome: CommandOutcome) => void): Command {
  return new Command("model")
    .description("List the versions of the failure-category model with their evaluation metrics")
    .option("--project <key>", "only this project")
    .option("--db <path>", DB_HELP)
    .option("--json", "print as JSON: every version with its metrics, confusion matrix and promotion")
    .action(async (options: ModelOptions) => {
      onDone(await runModel(context, options));
    });
}
