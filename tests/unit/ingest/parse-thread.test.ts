import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { NormalizedTestResult } from "../../../src/domain/test-result.js";
import {
  BATCH_RESULTS,
  MAX_IN_FLIGHT,
  receiveParse,
  serveParse,
  type ParseJob,
  type ParseMessage,
} from "../../../src/ingest/parse-thread.js";
import { junitXmlParser } from "../../../src/ingest/parsers/junit-xml.js";
import { fileSource } from "../../../src/ingest/report-source.js";
import { runParse } from "../../../src/ingest/run-parse.js";
import { caseSpecFactory, junitXml } from "../../factories/test-report.js";
import { kaizenRejection } from "../../support/kaizen-error.js";

let dir: string;
const ports: MessagePort[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kaizen-parse-thread-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

function channel(): { serving: MessagePort; receiving: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  return { serving: port1, receiving: port2 };
}

async function reportFile(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

const job = (file: string, overrides: Partial<ParseJob> = {}): ParseJob => ({
  file,
  displayPath: `reports/${path.basename(file)}`,
  format: "junit-xml",
  project: "thread",
  rootDirs: [],
  ...overrides,
});

describe("parsing in another thread", () => {
  it("hands over every result in report order, with the outcome the parse gives in this thread", async () => {
    const cases = caseSpecFactory.buildList(1_600);
    cases[7] = { ...(cases[7] as (typeof cases)[number]), statuses: ["failed", "passed"] };
    cases[1_200] = { ...(cases[1_200] as (typeof cases)[number]), statuses: ["error"] };
    const file = await reportFile("many.xml", junitXml(cases));
    const here: NormalizedTestResult[] = [];
    const expected = await runParse(await fileSource(file, job(file).displayPath), junitXmlParser, job(file), (r) => {
      here.push(r);
    });

    const { serving, receiving } = channel();
    const received: { result: NormalizedTestResult; known: boolean | undefined }[] = [];
    const served = serveParse(serving, job(file));
    const outcome = await receiveParse(receiving, (result, known) => {
      received.push({ result, known });
    });
    await served;
    expect(outcome).toEqual(expected);
    expect(received.map((r) => r.result)).toEqual(here);
    // Without a store to look tests up in, no test is said to be known or new.
    expect(received.every((r) => r.known === undefined)).toBe(true);
  });

  it("rejects with the parser's error, naming the file and the line", async () => {
    const file = await reportFile("broken.xml", `<testsuites>\n<testsuite name="s">\n<testcase name="a"></testsuite>`);
    const { serving, receiving } = channel();
    const served = serveParse(serving, job(file));
    const error = await kaizenRejection(receiveParse(receiving, () => undefined));
    await served;
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.file).toBe("reports/broken.xml");
    expect(error.position?.line).toBe(3);
  });

  it("rejects with a plain error for a failure that is not Kaizen's", async () => {
    const file = await reportFile("odd.xml", junitXml(caseSpecFactory.buildList(2)));
    const { serving, receiving } = channel();
    const served = serveParse(serving, job(file, { format: "no-such-format" as ParseJob["format"] }));
    await expect(receiveParse(receiving, () => undefined)).rejects.toThrow("no parser for no-such-format");
    await served;
  });

  it("holds the parser back while its limit of batches waits to be stored", async () => {
    const total = MAX_IN_FLIGHT + 6;
    const file = await reportFile("held.xml", junitXml(caseSpecFactory.buildList(total * BATCH_RESULTS)));
    const { serving, receiving } = channel();
    const batches: ParseMessage[] = [];
    let acking = false;
    receiving.on("message", (message: ParseMessage) => {
      batches.push(message);
      if (acking && message.kind === "results") receiving.postMessage("ack");
    });
    const served = serveParse(serving, job(file));
    // Nobody acknowledges: the parse stops at the limit, six batches short of the end, and stays stopped.
    await vi.waitFor(() => expect(batches).toHaveLength(MAX_IN_FLIGHT), { timeout: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(batches.map((b) => b.kind)).toEqual(new Array(MAX_IN_FLIGHT).fill("results"));
    acking = true;
    for (let i = 0; i < MAX_IN_FLIGHT; i++) receiving.postMessage("ack");
    await served;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(batches.filter((b) => b.kind === "results")).toHaveLength(total);
    expect(batches.at(-1)?.kind).toBe("done");
  });

  it("stops waiting when told the other thread is gone", async () => {
    const { receiving } = channel();
    const gone = new AbortController();
    const waiting = receiveParse(receiving, () => undefined, gone.signal);
    gone.abort();
    await expect(waiting).rejects.toThrow(/abort/i);
  });
});
