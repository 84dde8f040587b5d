import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expandInputs, type InputFile } from "../../../src/ingest/expand-inputs.js";

let cwd: string;

const FILES = [
  "single.xml",
  "reports/a.xml",
  "reports/b.json",
  "reports/z.txt",
  "reports/sub/c.xml",
  "reports/sub/deeper/d.xml",
  "reports/A-upper.xml",
  "reports/node_modules/pkg/e.xml",
  "reports/sub/node_modules/f.xml",
  "reports/.git/g.xml",
  "reports/.kaizen/h.xml",
  "reports/.hidden.xml",
  "reports/.cache/i.xml",
  "other/j.xml",
];

beforeAll(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), "kaizen-inputs-"));
  for (const file of FILES) {
    await mkdir(path.join(cwd, path.dirname(file)), { recursive: true });
    await writeFile(path.join(cwd, file), "<testsuites/>");
  }
  await mkdir(path.join(cwd, "empty"));
});

afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const found = (...paths: string[]): InputFile[] => paths.map((file) => ({ path: file, explicit: false }));
const named = (...paths: string[]): InputFile[] => paths.map((file) => ({ path: file, explicit: true }));

describe("expandInputs", () => {
  it("takes a file as given, as named by the user", async () => {
    expect(await expandInputs(["single.xml"], cwd)).toEqual({ files: named("single.xml"), errors: [] });
    const absolute = path.join(cwd, "single.xml");
    expect(await expandInputs([absolute], "/")).toEqual({ files: named(absolute), errors: [] });
  });

  it("walks a folder recursively in sorted order, skipping node_modules, .git, .kaizen and dot files", async () => {
    const { files, errors } = await expandInputs(["reports"], cwd);
    expect(errors).toEqual([]);
    expect(files).toEqual(
      found(
        "reports/A-upper.xml",
        "reports/a.xml",
        "reports/b.json",
        "reports/sub/c.xml",
        "reports/sub/deeper/d.xml",
        "reports/z.txt",
      ),
    );
  });

  it("names the files of an absolute folder absolutely", async () => {
    const folder = path.join(cwd, "reports", "sub");
    const { files } = await expandInputs([folder], "/");
    expect(files).toEqual(found(path.join(folder, "c.xml"), path.join(folder, "deeper", "d.xml")));
  });

  it("finds nothing, and no error, in an empty folder", async () => {
    expect(await expandInputs(["empty"], cwd)).toEqual({ files: [], errors: [] });
  });

  it("expands glob patterns into sorted files named by the user, skipping node_modules", async () => {
    const { files, errors } = await expandInputs(["reports/**/*.xml"], cwd);
    expect(errors).toEqual([]);
    expect(files).toEqual(
      named("reports/A-upper.xml", "reports/a.xml", "reports/sub/c.xml", "reports/sub/deeper/d.xml"),
    );
    expect((await expandInputs(["*/j.{xml,json}"], cwd)).files).toEqual(named("other/j.xml"));
  });

  it("expands an absolute glob pattern into absolute paths", async () => {
    const { files } = await expandInputs([path.join(cwd, "reports", "*.json")], "/");
    expect(files).toEqual(named(path.join(cwd, "reports", "b.json")));
  });

  it("reports a pattern that matches nothing and a path that does not exist, and goes on", async () => {
    const { files, errors } = await expandInputs(["missing.xml", "reports/**/*.trx", "single.xml"], cwd);
    expect(files).toEqual(named("single.xml"));
    expect(errors.map((error) => [error.code, error.file, error.message, error.httpStatus])).toEqual([
      ["INPUT_UNREADABLE", "missing.xml", "no such file or directory", 400],
      ["INPUT_UNREADABLE", "reports/**/*.trx", "no file matches this pattern", 400],
    ]);
  });

  it("lists a file given twice, or reached twice, once, as first met", async () => {
    const absolute = path.join(cwd, "reports", "a.xml");
    const { files, errors } = await expandInputs(
      [
        "reports/a.xml",
        "./reports/a.xml",
        absolute,
        // Not path.join, which would normalize the "./" away.
        `${cwd}/reports/./a.xml`,
        `${cwd}//reports/a.xml`,
        "reports/sub/../a.xml",
        "reports/*.xml",
        "reports",
        "reports/a.xml",
      ],
      cwd,
    );
    expect(errors).toEqual([]);
    expect(files).toEqual([
      ...named("reports/a.xml", "reports/A-upper.xml"),
      ...found("reports/b.json", "reports/sub/c.xml", "reports/sub/deeper/d.xml", "reports/z.txt"),
    ]);
  });

  it("keeps the order of the inputs", async () => {
    const { files } = await expandInputs(["other", "single.xml", "reports/sub"], cwd);
    expect(files.map((file) => file.path)).toEqual([
      "other/j.xml",
      "single.xml",
      "reports/sub/c.xml",
      "reports/sub/deeper/d.xml",
    ]);
  });

  it("returns nothing for no inputs", async () => {
    expect(await expandInputs([], cwd)).toEqual({ files: [], errors: [] });
  });
});
