import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { logCorpus, logEventFactory } from "../../factories/log-lines.js";
import { runCli, scratchDir } from "../../support/cli-harness.js";

interface LineTemplate {
  readonly line: number;
  readonly template_id: string;
  readonly template: string;
}

const parseLines = (stdout: string): LineTemplate[] =>
  stdout.split("\n").map((line) => JSON.parse(line) as LineTemplate);

describe("kaizen templates", () => {
  it("prints one JSON object per input line, in order, grouping the lines of each event", async () => {
    const cwd = scratchDir();
    const { lines, truth } = logCorpus(logEventFactory.buildList(3), 1200);
    writeFileSync(join(cwd, "app.log"), `${lines.join("\n")}\n`);
    const run = await runCli(["templates", "app.log", "--json"], { cwd });
    expect(run.code).toBe(0);
    const out = parseLines(run.stdout);
    expect(out.map((o) => o.line)).toEqual(lines.map((_, i) => i + 1));
    for (let event = 0; event < 3; event++) {
      const ids = new Set(out.filter((_, i) => truth[i] === event).map((o) => o.template_id));
      expect(ids.size).toBe(1);
    }
    expect(new Set(out.map((o) => o.template_id)).size).toBe(3);
    expect(out[0]?.template).toContain("<*>");
  });

  it("reads standard input for - and prints a table of templates without --json", async () => {
    const cwd = scratchDir();
    const stdin = "disk sda1 full\ndisk sdb2 full\n\nbackup done in 3s\n";
    const json = await runCli(["templates", "-", "--json"], { cwd, stdin });
    expect(parseLines(json.stdout).map((o) => o.template_id)).toEqual(["1", "1", "0", "2"]);
    const table = await runCli(["templates"], { cwd, stdin });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^id\s+lines\s+template$/m);
    expect(table.stdout).toMatch(/^1\s+2\s+disk <\*> full$/m);
    expect(table.stdout).toContain("4 lines · 3 templates");
  });

  it("names a file it cannot read and exits 1", async () => {
    const cwd = scratchDir();
    const run = await runCli(["templates", "missing.log"], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/missing\.log: cannot read/);
  });

  it("refuses a similarity outside (0, 1] as a usage error", async () => {
    const cwd = scratchDir();
    for (const value of ["0", "1.5", "abc"]) {
      const run = await runCli(["templates", "-", "--similarity", value], { cwd, stdin: "a\n" });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("--similarity must be a number in (0, 1]");
    }
    const ok = await runCli(["templates", "-", "--similarity", "0.8", "--json"], { cwd, stdin: "a 1\na 2\n" });
    expect(parseLines(ok.stdout)).toHaveLength(2);
  });

  it("refuses a binary file, naming it and the line, with exit code 1", async () => {
    const cwd = scratchDir();
    writeFileSync(join(cwd, "core.bin"), Buffer.from([0x61, 0x0a, 0x62, 0x00, 0xff, 0x0a]));
    const run = await runCli(["templates", "core.bin", "--json"], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("core.bin:2: binary content (a NUL byte): not a text file");
  });

  it("reports a directory given as the input as unreadable", async () => {
    const cwd = scratchDir();
    const run = await runCli(["templates", "."], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("cannot read");
  });
});
