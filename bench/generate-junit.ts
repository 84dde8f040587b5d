import { once } from "node:events";
import { createWriteStream } from "node:fs";

/** A small deterministic PRNG (mulberry32), so that generated reports are the same for a seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
  "reports",
];
const VERBS = ["handle", "reject", "accept", "render", "compute", "persist", "retry", "validate", "parse", "route"];

/**
 * Writes a realistic Surefire-style JUnit XML report of `cases` test cases (about 200 bytes
 * each, so 1M cases make ~200 MB, the shape the foundation issue names): 100 cases per suite, ~2% failures with stack traces, ~1%
 * skipped, some retried-then-passed (`flakyFailure`), properties and suite output.
 */
export async function generateJunit(path: string, cases: number, seed = 1): Promise<number> {
  const random = prng(seed);
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, "drain");
  };
  await write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="bench">\n');
  let buffer = "";
  for (let suite = 0; suite * 100 < cases; suite++) {
    const module = MODULES[suite % MODULES.length] ?? "core";
    const className = `com.example.platform.${module}.service.internal.${module.charAt(0).toUpperCase()}${module.slice(1)}Service${suite}IntegrationTest`;
    buffer += `<testsuite name="${className}" tests="100" time="12.5" timestamp="2026-11-30T10:00:00" hostname="ci-runner-3">\n<properties><property name="java.version" value="17.0.15"/></properties>\n`;
    for (let t = 0; t < 100 && suite * 100 + t < cases; t++) {
      const verb = VERBS[t % VERBS.length] ?? "run";
      const name = `should${verb.charAt(0).toUpperCase()}${verb.slice(1)}${module.charAt(0).toUpperCase()}${module.slice(1)}Request${t}WhenTheInputIsValid`;
      const time = (random() * 2).toFixed(3);
      const roll = random();
      const open = `  <testcase name="${name}" classname="${className}" time="${time}"`;
      if (roll < 0.02) {
        buffer += `${open}>\n    <failure message="expected: &lt;200&gt; but was: &lt;500&gt;" type="org.opentest4j.AssertionFailedError">org.opentest4j.AssertionFailedError: expected: &lt;200&gt; but was: &lt;500&gt;\n\tat com.example.${module}.Service${suite}Test.${name}(Service${suite}Test.java:${10 + t})\n</failure>\n  </testcase>\n`;
      } else if (roll < 0.03) {
        buffer += `${open}>\n    <skipped message="disabled until ${module} v2"/>\n  </testcase>\n`;
      } else if (roll < 0.035) {
        buffer += `${open}>\n    <flakyFailure message="Connection refused" type="java.net.ConnectException"><stackTrace>java.net.ConnectException: Connection refused\n\tat com.example.${module}.Client.call(Client.java:88)</stackTrace></flakyFailure>\n  </testcase>\n`;
      } else {
        buffer += `${open}/>\n`;
      }
    }
    buffer += `<system-out><![CDATA[started ${className}\n]]></system-out>\n</testsuite>\n`;
    if (buffer.length > 1 << 20) {
      await write(buffer);
      buffer = "";
    }
  }
  await write(`${buffer}</testsuites>\n`);
  out.end();
  await once(out, "finish");
  return bytes;
}
