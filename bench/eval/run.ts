/**
 * Kaizen's evaluation harness (`npm run eval`): quality figures of the learning engine on
 * corpora with ground truth. For now: template grouping accuracy of `kaizen templates`'
 * engine on real logs and on synthetic ones of several seeds.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { assignTemplates } from "../../src/analysis/template-assignment.js";
import { TemplateMiner } from "../../src/analysis/template-miner.js";
import { aptTermEvent, dpkgEvent } from "./corpora/labels.js";
import { groupingAccuracy } from "./grouping-accuracy.js";
import { syntheticLogs } from "./synthetic-logs.js";

interface Corpus {
  readonly name: string;
  readonly lines: readonly string[];
  readonly truth: readonly string[];
}

function realCorpus(file: string, label: (line: string) => string): Corpus {
  const lines = readFileSync(join(import.meta.dirname, "corpora", file), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
  return { name: file, lines, truth: lines.map(label) };
}

const corpora: Corpus[] = [realCorpus("dpkg.log", dpkgEvent), realCorpus("apt-term.log", aptTermEvent)];
for (const seed of [1, 2, 3]) {
  const lines = syntheticLogs(seed, 5000);
  corpora.push({ name: `synthetic seed ${seed}`, lines: lines.map((l) => l.line), truth: lines.map((l) => l.event) });
}

console.log("template grouping accuracy (GA)");
console.log("  corpus                 lines  events  templates  GA (online only)  GA (kaizen templates)");
const scores: number[] = [];
for (const corpus of corpora) {
  const online = new TemplateMiner();
  const onlineIds = corpus.lines.map((line) => String(online.add(line)));
  const assignment = await assignTemplates(corpus.lines);
  const ids = corpus.lines.map((_, i) => assignment.templateOf(i).id);
  const ga = groupingAccuracy(ids, corpus.truth);
  scores.push(ga);
  console.log(
    `  ${corpus.name.padEnd(22)} ${String(corpus.lines.length).padStart(5)}  ${String(new Set(corpus.truth).size).padStart(6)}  ${String(assignment.templates().length).padStart(9)}  ${groupingAccuracy(onlineIds, corpus.truth).toFixed(3).padStart(16)}  ${ga.toFixed(3).padStart(21)}`,
  );
}
console.log(`  mean GA: ${(scores.reduce((a, b) => a + b, 0) / scores.length).toFixed(3)} (target >= 0.92)`);
