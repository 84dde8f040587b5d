// Ingests one file into SQLite and prints peak RSS: run in its own process so that the figure is this ingest's alone.
import { benchIngest } from "./ingest-bench.js";

const [file, db] = process.argv.slice(2);
if (file === undefined || db === undefined) throw new Error("usage: rss-child <report> <db>");
const result = await benchIngest(file, { sqlitePath: db });
console.log(JSON.stringify({ ...result, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
