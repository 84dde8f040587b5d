import { writeFile } from "node:fs/promises";
import { prng } from "./generate-junit.js";

/** The shape of a generated CI history: how many tests each run executes, and how many runs there are. */
export interface HistoryShape {
  /** Test cases in every run (100 per suite). */
  readonly tests: number;
  /** Runs of the history; the run after the last one is the "new" run a bench analyses. */
  readonly runs: number;
}

/** What kind of test a case index stands for; fixed per test, so that every run sees the same population. */
type Role = "stable" | "flaky" | "broken" | "skipped";

function roleOf(index: number): Role {
  if (index % 50 === 1) return "flaky";
  if (index % 100 === 7) return "broken";
  if (index % 100 === 50) return "skipped";
  return "stable";
}

const MODULES = [
  "billing",
  "checkout",
  "catalog",
  "auth",
  "search",
  "orders",
  "payments",
  "shipping",
  "users",
  "ledger",
];

const escape = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * The XML of run `run` (1-based) of a synthetic CI history: a Surefire-style JUnit report in which
 * 2% of the tests are flaky (a quarter of their runs fail, most of those pass on a retry), 1% break
 * at some run and fail from then on, 1% are skipped and every other test fails now and then (1.5%
 * of the time) with one of a few dozen root causes. That makes a few hundred failures per run, the
 * way a large suite's CI looks. The same `(run, seed)` always gives the same report.
 */
export function historyReport(shape: HistoryShape, run: number, seed = 1): string {
  const random = prng(seed * 1_000_003 + run);
  const started = new Date(Date.UTC(2026, 0, 1) + run * 3_600_000).toISOString().slice(0, 19);
  const parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="history">\n'];
  for (let suite = 0; suite * 100 < shape.tests; suite++) {
    const module = MODULES[suite % MODULES.length] ?? "core";
    const className = `com.example.${module}.Suite${suite}Test`;
    parts.push(`<testsuite name="${className}" timestamp="${started}">\n`);
    for (let t = 0; t < 100 && suite * 100 + t < shape.tests; t++) {
      const index = suite * 100 + t;
      const open = `<testcase name="test${t}" classname="${className}" time="${(random() * 2).toFixed(3)}"`;
      const frame = `\tat com.example.${module}.Suite${suite}Test.test${t}(Suite${suite}Test.java:${10 + t})`;
      const cause = index % 5;
      // Shared frames between the cause and the test: the innermost frames, which make a failure's code site, are the cause's.
      const via = `\tat com.example.${module}.PricingService.quote(PricingService.java:77)\n\tat com.example.${module}.CheckoutFlow.total(CheckoutFlow.java:31)`;
      const role = roleOf(index);
      const roll = random();
      if (role === "skipped") parts.push(`${open}><skipped message="disabled"/></testcase>\n`);
      else if (role === "flaky" && roll < 0.15) {
        const message = `connect ECONNREFUSED 10.0.${suite % 250}.${t}:5432`;
        parts.push(
          `${open}><flakyFailure message="${message}" type="java.net.ConnectException"><stackTrace>java.net.ConnectException: ${message}\n\tat com.example.${module}.Client.call(Client.java:88)</stackTrace></flakyFailure></testcase>\n`,
        );
      } else if ((role === "flaky" && roll < 0.25) || (role === "broken" && run >= 1 + ((index * 7919) % shape.runs))) {
        const message = escape(`expected: <${200 + (index % 3)}> but was: <${500 + Math.floor(random() * 4)}>`);
        parts.push(
          `${open}><failure message="${message}" type="org.opentest4j.AssertionFailedError">org.opentest4j.AssertionFailedError: ${message}\n\tat com.example.${module}.PriceRule${cause}.apply(PriceRule${cause}.java:${20 + cause})\n${via}\n${frame}</failure></testcase>\n`,
        );
      } else if (role === "stable" && roll < 0.015) {
        const site = Math.floor(random() * 4);
        parts.push(
          `${open}><error message="Cannot invoke &quot;Item.price()&quot; because &quot;item${Math.floor(random() * 1000)}&quot; is null" type="java.lang.NullPointerException">java.lang.NullPointerException\n\tat com.example.${module}.Cart${site}.total(Cart${site}.java:${40 + site})\n${via}\n${frame}</error></testcase>\n`,
        );
      } else parts.push(`${open}/>\n`);
    }
    parts.push("</testsuite>\n");
  }
  parts.push("</testsuites>\n");
  return parts.join("");
}

/** Writes {@link historyReport} to `path`; returns its size in bytes. */
export async function writeHistoryReport(path: string, shape: HistoryShape, run: number, seed = 1): Promise<number> {
  const xml = historyReport(shape, run, seed);
  await writeFile(path, xml);
  return Buffer.byteLength(xml);
}
