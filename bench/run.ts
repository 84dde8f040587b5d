/**
 * Kaizen's benchmarks (`npm run bench`): prints throughput and memory figures measured on
 * generated data. Not a test: nothing here passes or fails, except a target summary at the end.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { generateJunit } from "./generate-junit.js";
import { benchAnalyze, type AnalyzeFigure } from "./analyze-bench.js";
import { benchClustering } from "./cluster-bench.js";
import { benchIngest, benchParse, type IngestFigure } from "./ingest-bench.js";
import { startBenchPostgres } from "./postgres.js";

const DATA = join(import.meta.dirname, ".data");
const argv = new Set(process.argv.slice(2));
const quick = argv.has("--quick");
const casesFor200MB = quick ? 100_000 : 1_000_000;

async function dataFile(name: string, cases: number, seed = 7): Promise<string> {
  mkdirSync(DATA, { recursive: true });
  const path = join(DATA, name);
  if (!existsSync(path)) {
    process.stdout.write(`generating ${name} (${cases} test cases)... `);
    const bytes = await generateJunit(path, cases, seed);
    process.stdout.write(`${(bytes / 1e6).toFixed(0)} MB\n`);
  }
  return path;
}

const rows: { name: string; value: string; target: string; ok: boolean | null }[] = [];
const report = (name: string, value: string, target: string, ok: boolean | null): void => {
  rows.push({ name, value, target, ok });
  console.log(`${name}: ${value}${target === "" ? "" : `  (target ${target})`}`);
};

// First, so that the process's peak RSS so far is the clustering's own (with its 1M messages held in memory).
const messages = quick ? 100_000 : 1_000_000;
const clustering = benchClustering(messages);
const clusteringRss = process.resourceUsage().maxRSS / 1024;
report(
  `cluster ${messages.toLocaleString("en")} failure messages (500 true root causes)`,
  `${clustering.seconds.toFixed(1)} s, ${clustering.clusters} clusters, ARI ${clustering.ari.toFixed(3)}, peak RSS ${clusteringRss.toFixed(0)} MB`,
  "<= 60 s, <= 2 GB",
  clustering.seconds <= 60 && clusteringRss <= 2048,
);

const junit = await dataFile(`junit-${casesFor200MB}.xml`, casesFor200MB);
// The next CI runs' reports: the same tests, with their own outcomes and times.
const laterJunit = [junit];
for (const seed of [8, 9, 10])
  laterJunit.push(await dataFile(`junit-${casesFor200MB}-seed${seed}.xml`, casesFor200MB, seed));
const size = statSync(junit).size;

const parse = await benchParse(junit);
report(
  "JUnit parse (parser only)",
  `${(size / 1e6 / parse.parseSeconds).toFixed(1)} MB/s, ${parse.records} test cases`,
  ">= 50 MB/s",
  size / 1e6 / parse.parseSeconds >= 50,
);
report("JUnit parse + normalize", `${(size / 1e6 / parse.normalizeSeconds).toFixed(1)} MB/s`, "", null);

const rate = (figure: IngestFigure): string =>
  `${Math.round(figure.resultsPerSecond).toLocaleString("en")} results/s (${figure.results} results in ${figure.seconds.toFixed(1)} s)`;

/** The median of later runs' figures (tests known), with their range: this machine's speed varies by a third from minute to minute. */
const knownRate = (figures: readonly IngestFigure[]): { median: IngestFigure; text: string } => {
  const sorted = [...figures].sort((a, b) => a.resultsPerSecond - b.resultsPerSecond);
  const median = sorted[Math.floor(sorted.length / 2)];
  if (median === undefined) throw new Error("no ingest figure");
  const range = sorted.map((f) => Math.round(f.resultsPerSecond).toLocaleString("en"));
  return { median, text: `${rate(median)}; median of ${sorted.length} runs: ${range.join(", ")}` };
};

const sqliteDir = join(DATA, "sqlite");
rmSync(sqliteDir, { recursive: true, force: true });
const sqliteBench = await benchIngest(laterJunit, { sqlitePath: join(sqliteDir, "kaizen.db") });
const [sqliteNew, ...sqliteLater] = sqliteBench.runs;
if (sqliteNew === undefined || sqliteLater.length === 0) throw new Error("the SQLite ingest bench did not run");
const sqliteKnown = knownRate(sqliteLater);
report(
  "ingest into SQLite, all tests new",
  rate(sqliteNew),
  ">= 100,000 results/s",
  sqliteNew.resultsPerSecond >= 100_000,
);
report(
  "ingest into SQLite, tests known, each report new (later runs)",
  sqliteKnown.text,
  ">= 100,000 results/s",
  sqliteKnown.median.resultsPerSecond >= 100_000,
);
{
  // What a user waits for: every ingest and the close, whose last checkpoint no ingest's time includes.
  const results = sqliteBench.runs.reduce((sum, f) => sum + f.results, 0);
  const seconds = sqliteBench.runs.reduce((sum, f) => sum + f.seconds, 0) + sqliteBench.closeSeconds;
  report(
    "SQLite: the four ingests and the close, end to end",
    `${Math.round(results / seconds).toLocaleString("en")} results/s (${results} results in ${seconds.toFixed(1)} s, of which closing the store ${sqliteBench.closeSeconds.toFixed(2)} s)`,
    "",
    null,
  );
}

if (!argv.has("--no-postgres")) {
  const pg = await startBenchPostgres(join(DATA, "pg"));
  try {
    const [pgNew, pgKnown] = (await benchIngest(laterJunit.slice(0, 2), { databaseUrl: pg.url })).runs;
    if (pgNew === undefined || pgKnown === undefined) throw new Error("the PostgreSQL ingest bench did not run");
    report("ingest into PostgreSQL, all tests new", rate(pgNew), "", null);
    report("ingest into PostgreSQL, tests known", rate(pgKnown), "", null);
  } finally {
    await pg.stop();
  }
}

// One new run analysed over a long history: 100 runs of 10,000 tests (10 with --quick).
const history = { tests: 10_000, runs: quick ? 10 : 100 };
const analyzed = (figure: AnalyzeFigure): string =>
  `${figure.seconds.toFixed(2)} s (median of 5; ${figure.failures} failures in ${figure.clusters} root causes, ${figure.knownFlaky} of them flaky; history stored in ${figure.buildSeconds.toFixed(0)} s)`;
const analyzeName = (figure: AnalyzeFigure, where: string): string =>
  `analyze a run of ${history.tests.toLocaleString("en")} tests (${figure.runResults.toLocaleString("en")} results) with ${figure.historyResults.toLocaleString("en")} results of history, ${where}`;
const analyzeDir = join(DATA, "analyze");
rmSync(join(DATA, "analyze-sqlite"), { recursive: true, force: true });
const sqliteAnalyze = await benchAnalyze(
  { sqlitePath: join(DATA, "analyze-sqlite", "kaizen.db") },
  history,
  analyzeDir,
);
rmSync(join(DATA, "analyze-sqlite"), { recursive: true, force: true });
report(analyzeName(sqliteAnalyze, "SQLite"), analyzed(sqliteAnalyze), "<= 1 s", sqliteAnalyze.seconds <= 1);
if (!argv.has("--no-postgres")) {
  const pg = await startBenchPostgres(join(DATA, "pg-analyze"));
  try {
    const pgAnalyze = await benchAnalyze({ databaseUrl: pg.url }, history, analyzeDir);
    report(analyzeName(pgAnalyze, "PostgreSQL"), analyzed(pgAnalyze), "<= 1 s", pgAnalyze.seconds <= 1);
  } finally {
    await pg.stop();
  }
}

if (!argv.has("--no-rss")) {
  const big = await dataFile(quick ? "junit-500k.xml" : "junit-5m.xml", quick ? 500_000 : 5_000_000);
  const bigSize = statSync(big).size;
  const db = join(DATA, "rss", "kaizen.db");
  rmSync(join(DATA, "rss"), { recursive: true, force: true });
  const started = performance.now();
  const child = spawnSync(
    process.execPath,
    [
      "--import",
      join(import.meta.dirname, "report-rss.mjs"),
      join(import.meta.dirname, "../dist/cli/bin.js"),
      "ingest",
      big,
      "--db",
      db,
      "--run-id",
      "rss",
      "--json",
    ],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  const seconds = (performance.now() - started) / 1000;
  const rss = /KAIZEN_BENCH_MAX_RSS_KB=(\d+)/.exec(child.stderr)?.[1];
  if (child.status !== 0 || rss === undefined) {
    console.error(child.stderr);
    report("peak RSS ingesting a large JUnit file", "failed", "<= 300 MB", false);
  } else {
    const results = (JSON.parse(child.stdout) as { totals: { attempts: number } }).totals.attempts;
    const maxRssMb = Number(rss) / 1024;
    report(
      `peak RSS of \`kaizen ingest\` on a ${(bigSize / 1e9).toFixed(2)} GB JUnit file`,
      `${maxRssMb.toFixed(0)} MB (${results} results in ${seconds.toFixed(0)} s)`,
      "<= 300 MB",
      maxRssMb <= 300,
    );
  }
}

console.log("\nsummary");
for (const row of rows) console.log(`  ${row.ok === null ? " " : row.ok ? "✓" : "✗"} ${row.name}: ${row.value}`);
