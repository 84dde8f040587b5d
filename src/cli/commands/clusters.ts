import { Command, InvalidArgumentError } from "commander";
import { CATEGORY_RULES, FAILURE_CATEGORIES, type FailureCategory } from "../../analysis/failure-categories.js";
import { KaizenError } from "../../domain/errors.js";
import type { ClusterSummary } from "../../store/ports.js";
import { withStore, type CommandContext, type CommandOutcome } from "../context.js";
import { formatTable, printJson } from "../output.js";
import { positiveInteger } from "./runs.js";

/** Options shared by the cluster commands. */
interface ClusterOptions {
  readonly db?: string;
  readonly json?: boolean;
  readonly project?: string;
}

interface ListOptions extends ClusterOptions {
  readonly since?: string;
  readonly category?: FailureCategory;
  readonly limit?: number;
}

const DB_HELP = "SQLite database file (default .kaizen/kaizen.db), or a postgres:// URL";

function isoDate(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new InvalidArgumentError("expected a date (2026-11-30 or an ISO time)");
  return new Date(time).toISOString();
}

function category(value: string): FailureCategory {
  if (!(FAILURE_CATEGORIES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`expected one of ${FAILURE_CATEGORIES.join(", ")}`);
  return value as FailureCategory;
}

const seen = (at: { ciRunId: string; at: string }): string => `${at.at.slice(0, 10)} (${at.ciRunId})`;

/** Runs `kaizen clusters`. */
export async function runClusters(context: CommandContext, options: ListOptions): Promise<CommandOutcome> {
  const clusters = await withStore(context, options, (store) =>
    store.listClusters({
      project: options.project,
      since: options.since,
      category: options.category,
      limit: options.limit ?? 100,
    }),
  );
  if (options.json === true) {
    printJson(context.output, { clusters });
    return "ok";
  }
  if (clusters.length === 0) {
    context.output.out("No failure clusters: no failures are stored, or none matches the filters.");
    return "ok";
  }
  for (const line of formatTable(
    ["id", "failures", "tests", "category", "last seen", "title"],
    clusters.map((c) => [
      String(c.id),
      String(c.failures),
      String(c.tests),
      c.category ?? "unclassified",
      seen(c.lastSeen),
      c.title,
    ]),
  ))
    context.output.out(line);
  return "ok";
}

function describeCluster(cluster: ClusterSummary): string[] {
  return [
    `cluster ${cluster.id}: ${cluster.title}`,
    `  category    ${cluster.category ?? "unclassified (no rule matched)"}${cluster.categorySource === null ? "" : ` (${cluster.categorySource}, confidence ${cluster.confidence?.toFixed(2) ?? "?"})`}`,
    `  template    ${cluster.template}`,
    `  type        ${cluster.exceptionType ?? "-"}`,
    `  frames      ${cluster.frames.length === 0 ? "-" : cluster.frames.join(" < ")}`,
    `  failures    ${cluster.failures} in ${cluster.tests} test${cluster.tests === 1 ? "" : "s"}`,
    `  first seen  ${seen(cluster.firstSeen)}${cluster.firstSeen.commitSha === null ? "" : ` at ${cluster.firstSeen.commitSha.slice(0, 10)}`}`,
    `  last seen   ${seen(cluster.lastSeen)}${cluster.lastSeen.commitSha === null ? "" : ` at ${cluster.lastSeen.commitSha.slice(0, 10)}`}`,
  ];
}

/** Runs `kaizen cluster show`. */
export async function runClusterShow(
  context: CommandContext,
  id: number,
  options: ClusterOptions,
): Promise<CommandOutcome> {
  const cluster = await withStore(context, options, (store) => store.clusterById(id));
  if (cluster === undefined)
    throw new KaizenError("NOT_FOUND", `no cluster ${id} (see kaizen clusters)`, { httpStatus: 404 });
  if (options.json === true) {
    printJson(context.output, { cluster });
    return "ok";
  }
  for (const line of describeCluster(cluster)) context.output.out(line);
  context.output.out("  samples");
  for (const sample of cluster.samples)
    context.output.out(
      `    run ${sample.ciRunId} #${sample.attempt}  ${sample.test.suite} › ${sample.test.name}: ${sample.message.split("\n")[0] ?? ""}`,
    );
  return "ok";
}

/** Runs `kaizen recluster`. */
export async function runRecluster(context: CommandContext, options: ClusterOptions): Promise<CommandOutcome> {
  const done = await withStore(context, options, (store) => store.recluster(options.project));
  if (options.json === true) printJson(context.output, done);
  else context.output.out(`${done.assigned} failures in ${done.created} clusters`);
  return "ok";
}

/** Runs `kaizen rules`. */
export function runRules(context: CommandContext, options: { json?: boolean }): CommandOutcome {
  const rules = CATEGORY_RULES.map(({ id, category: c, description, confidence }) => ({
    id,
    category: c,
    confidence,
    description,
  }));
  if (options.json === true) printJson(context.output, { rules });
  else
    for (const line of formatTable(
      ["id", "category", "confidence", "fires when"],
      rules.map((r) => [r.id, r.category, r.confidence.toFixed(2), r.description]),
    ))
      context.output.out(line);
  return "ok";
}

/** The `kaizen clusters` command. */
export function clustersCommand(context: CommandContext, onDone: (outcome: CommandOutcome) => void): Command {
  return new Command("clusters")
    .description("List failure clusters (root causes), most failures first")
    .option("--since <date>", "only clusters seen since this date", isoDate)
    .option("--category <category>", `only this category (${FAILURE_CATEGORIES.join(", ")})`, category)
    .option("--project <key>", "only this project")
    .option("--limit <n>", "at most this many clusters (default 100)", positiveInteger)
    .option("--db <path>", DB_HELP)
    .option("--json", "print as JSON")
    .action(async (options: ListOptions) => {
      onDone(await runClusters(context, options));
    });
}

/** The `kaizen cluster` command (`kaizen cluster show ID`). */
export function clusterCommand(context: CommandContext, onDone: (outcome: CommandOutcome) => void): Command {
  const cluster = new Command("cluster").description("Inspect one failure cluster");
  cluster
    .command("show")
    .description("Show a cluster: title, template, frames, category, counts, first and last seen, samples")
    .argument("<id>", "the cluster id (see kaizen clusters)", positiveInteger)
    .option("--db <path>", DB_HELP)
    .option("--json", "print as JSON")
    .action(async (id: number, options: ClusterOptions) => {
      onDone(await runClusterShow(context, id, options));
    });
  return cluster;
}

/** The `kaizen recluster` command. */
export function reclusterCommand(context: CommandContext, onDone: (outcome: CommandOutcome) => void): Command {
  return new Command("recluster")
    .description("Rebuild every failure cluster from the stored failures")
    .option("--project <key>", "only this project")
    .option("--db <path>", DB_HELP)
    .option("--json", "print as JSON")
    .action(async (options: ClusterOptions) => {
      onDone(await runRecluster(context, options));
    });
}

/** The `kaizen rules` command. */
export function rulesCommand(context: CommandContext, onDone: (outcome: CommandOutcome) => void): Command {
  return new Command("rules")
    .description("List the named rules that seed failure categories")
    .option("--json", "print as JSON")
    .action((options: { json?: boolean }) => {
      onDone(runRules(context, options));
    });
}
