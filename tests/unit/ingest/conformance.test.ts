import { readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { isKaizenError } from "../../../src/domain/errors.js";
import { outcomeOf } from "../../../src/domain/test-result.js";
import { ReportNormalizer } from "../../../src/ingest/normalize.js";
import type { NormalizedTestResult } from "../../../src/domain/test-result.js";
import { prepareReport } from "../../../src/ingest/ingest.js";
import { PARSERS } from "../../../src/ingest/parsers/registry.js";
import { fileSource } from "../../../src/ingest/report-source.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const FIXTURES = join(ROOT, "tests/fixtures");
const SNAPSHOTS = join(ROOT, "tests/snapshots");
const CORPUS = resolve(ROOT, "../shared/corpus");

function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .map((rel) => join(dir, rel))
    .filter((file) => statSync(file).isFile() && !/(README\.md|LICENSE)$/.test(file))
    .sort();
}

/** The normalized model of a report, read with the given format's parser, as `kaizen parse --json` shapes it. */
async function normalizedModel(file: string, format: string) {
  const parser = PARSERS.find((p) => p.format === format);
  if (parser === undefined) throw new Error(`no parser for fixture folder ${format}`);
  const normalizer = new ReportNormalizer({ project: "fixtures", rootDirs: [ROOT] });
  const tests: NormalizedTestResult[] = [];
  await parser.parse(await fileSource(file, relative(ROOT, file)), {
    emit: (record) => {
      const result = normalizer.accept(record);
      if (result !== undefined) tests.push(result);
    },
  });
  return {
    format,
    summary: normalizer.summary(),
    tests: tests.map((t) => ({
      ...t.test,
      outcome: outcomeOf(t.attempts),
      attempts: t.attempts,
      properties: t.properties,
      tags: t.tags,
    })),
  };
}

const fixtures = filesUnder(FIXTURES).map((file) => {
  const [format = "", group = ""] = relative(FIXTURES, file).split("/");
  return { file, format, group, name: relative(FIXTURES, file) };
});

describe("fixtures: detection and normalized snapshots", () => {
  it("has fixtures of every format", () => {
    expect(new Set(fixtures.map((f) => f.format))).toEqual(new Set(PARSERS.map((p) => p.format)));
  });

  it.each(fixtures.filter((f) => f.group === "well-defined"))(
    "detects $name as its format",
    async ({ file, format }) => {
      expect((await prepareReport(file)).parser.format).toBe(format);
    },
  );

  it.each(fixtures.filter((f) => f.group !== "invalid"))(
    "normalizes $name as its snapshot says",
    async ({ file, format, name }) => {
      const model = await normalizedModel(file, format);
      await expect(`${JSON.stringify(model, null, 2)}\n`).toMatchFileSnapshot(join(SNAPSHOTS, `${name}.json`));
    },
  );

  it.each(fixtures.filter((f) => f.group === "invalid"))(
    "rejects $name with an error naming the file",
    async ({ file, format, name }) => {
      // Invalid is invalid either way: not recognised at all, or recognised and then refused by its parser.
      const error: unknown = await prepareReport(relative(ROOT, file), ROOT)
        .then(() => normalizedModel(file, format))
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(isKaizenError(error), `${name} should fail with a KaizenError`).toBe(true);
      if (isKaizenError(error)) expect(error.describe()).toContain(name);
    },
  );
});

describe("the real-world corpus", () => {
  it("parses every file, or names the file and the problem when the file itself is broken", async () => {
    const outcomes: Record<string, unknown> = {};
    for (const file of filesUnder(CORPUS)) {
      const name = relative(CORPUS, file);
      if (/\.(md|xsd|txt)$/.test(name)) continue;
      try {
        const { parser, source } = await prepareReport(file);
        const normalizer = new ReportNormalizer({ project: "corpus" });
        await parser.parse(source, { emit: (record) => void normalizer.accept(record) });
        outcomes[name] = { format: parser.format, ...normalizer.summary() };
      } catch (error) {
        if (!isKaizenError(error)) throw error;
        expect(error.describe()).toContain(file);
        outcomes[name] = { error: error.code, message: error.message };
      }
    }
    await expect(`${JSON.stringify(outcomes, null, 2)}\n`).toMatchFileSnapshot(join(SNAPSHOTS, "corpus.json"));
  });
});
