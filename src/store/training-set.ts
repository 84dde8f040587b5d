import { sql, type Kysely, type Transaction } from "kysely";
import type { TrainingExample } from "../analysis/category-model.js";
import { classifyFailure, type FailureCategory } from "../analysis/failure-categories.js";
import { failureSignature } from "../analysis/failure-signature.js";
import { runFailureFacts } from "./failure-facts.js";
import type { Database } from "./schema.js";

type Db = Kysely<Database> | Transaction<Database>;

/** How many failures of each cluster, and in all, a training set takes. */
export const TRAINING_LIMITS = {
  /** Failures of one labelled cluster: its near-copies add little beyond the first few. */
  perLabelledCluster: 20,
  /** Failures of one unlabelled cluster, whose category the rules give. */
  perRuleCluster: 3,
  /** Rule-labelled failures in all: they seed the model, people's labels teach it. */
  ruleExamples: 3_000,
} as const;

interface Picked {
  readonly id: number;
  readonly run_id: number;
  readonly cluster_id: number;
  readonly category: string | null;
  readonly human: boolean;
}

/** The `per` oldest failures of each cluster of the project, labelled clusters or the others. */
async function pickFailures(db: Db, projectId: number, human: boolean, per: number): Promise<Picked[]> {
  const rows = await sql<{ id: number; run_id: number; cluster_id: number; category: string | null }>`
    select id, run_id, cluster_id, category from (
      select f.id, f.run_id, f.cluster_id, c.category,
             row_number() over (partition by f.cluster_id order by f.id) as n
      from failures f join clusters c on c.id = f.cluster_id
      where c.project_id = ${projectId}
        and ${human ? sql`c.category_source = 'human'` : sql`(c.category_source is null or c.category_source <> 'human')`}
    ) picked
    where n <= ${per}
    order by id`.execute(db);
  return rows.rows.map((r) => ({
    id: r.id,
    run_id: r.run_id,
    cluster_id: r.cluster_id,
    category: r.category,
    human,
  }));
}

/** Every `step`-th item, so that a capped sample still spans the whole history. */
function spread<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = items.length / max;
  return Array.from({ length: max }, (_, i) => items[Math.floor(i * step)] as T);
}

/**
 * The failures a project's category model learns from: those of clusters people labelled
 * (their label is the category), and a sample of the others with the category the rules give
 * them, which seeds what nobody labelled. Each comes with its history facts.
 */
export async function trainingExamples(db: Db, projectId: number): Promise<TrainingExample[]> {
  const picked = [
    ...(await pickFailures(db, projectId, true, TRAINING_LIMITS.perLabelledCluster)),
    ...spread(await pickFailures(db, projectId, false, TRAINING_LIMITS.perRuleCluster), TRAINING_LIMITS.ruleExamples),
  ];
  const byRun = new Map<number, Map<number, Picked>>();
  for (const p of picked) {
    const run = byRun.get(p.run_id) ?? new Map<number, Picked>();
    run.set(p.id, p);
    byRun.set(p.run_id, run);
  }
  const examples: TrainingExample[] = [];
  for (const [runId, members] of [...byRun].sort((a, b) => a[0] - b[0])) {
    for (const failure of await runFailureFacts(db, runId, new Set(members.keys()))) {
      const p = members.get(failure.failureId) as Picked;
      const rule = p.human
        ? undefined
        : classifyFailure(failureSignature(failure.facts.text), failure.facts.text, {
            passedOnRetry: failure.facts.passedOnRetry,
          });
      if (p.human)
        examples.push({
          facts: failure.facts,
          category: p.category as FailureCategory,
          source: "human",
          group: p.cluster_id,
          confidence: 1,
        });
      else if (rule !== undefined)
        examples.push({
          facts: failure.facts,
          category: rule.category,
          source: "rule",
          group: p.cluster_id,
          confidence: rule.confidence,
        });
    }
  }
  return examples;
}
