import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { caseSpecFactory, junitXml } from "../../factories/test-report.js";
import { runCli, scratchDir } from "../../support/cli-harness.js";

interface RunsJson {
  runs: {
    id: number;
    ciRunId: string;
    attempt: number;
    tests: number;
    failed: number;
    flaky: number;
    branch: string | null;
  }[];
}
interface TestsJson {
  tests: { name: string; lastOutcome: string; lastAttempts: number; lastFailure: string | null }[];
}

function reportWith(dir: string, name: string, cases = caseSpecFactory.buildList(3)): string {
  const path = join(dir, name);
  writeFileSync(path, junitXml(cases));
  return path;
}

const runFlags = ["--run-id", "ci-77", "--commit", "0123abcd", "--branch", "main"];

describe("kaizen CLI (in process)", () => {
  it("ingests good files, names the bad ones, and exits 1", async () => {
    const cwd = scratchDir();
    const good = reportWith(cwd, "good.xml", [
      ...caseSpecFactory.buildList(2),
      caseSpecFactory.build({ statuses: ["failed"] }),
      caseSpecFactory.build({ statuses: ["failed", "passed"] }),
      caseSpecFactory.build({ statuses: ["skipped"] }),
    ]);
    writeFileSync(join(cwd, "broken.xml"), "<testsuite><testcase name='x'>");
    const result = await runCli(["ingest", good, "broken.xml", "missing.xml", "--db", "k.db", ...runFlags], { cwd });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Ingested 1 report into run ci-77");
    expect(result.stdout).toMatch(/tests 5 · passed 2 · failed 1 · skipped 1 · retried-then-passed 1/);
    expect(result.stdout).toContain("Failing in this run (1)");
    expect(result.stdout).toContain("Passed only on retry (1)");
    expect(result.stderr).toMatch(/broken\.xml:1:\d+: malformed XML: unexpected end of file/);
    expect(result.stderr).toContain("missing.xml: no such file or directory");

    const runs = JSON.parse((await runCli(["runs", "--json", "--db", "k.db"], { cwd })).stdout) as RunsJson;
    expect(runs.runs).toHaveLength(1);
    expect(runs.runs[0]).toMatchObject({ ciRunId: "ci-77", attempt: 1, tests: 5, failed: 1, flaky: 1, branch: "main" });

    const again = await runCli(["ingest", good, "--db", "k.db", ...runFlags], { cwd });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already stored for this run and added nothing");
    const after = JSON.parse((await runCli(["runs", "--json", "--db", "k.db"], { cwd })).stdout) as RunsJson;
    expect(after.runs[0]?.tests).toBe(5);

    const failing = JSON.parse(
      (await runCli(["tests", "--failing", "--json", "--db", "k.db"], { cwd })).stdout,
    ) as TestsJson;
    expect(failing.tests).toHaveLength(1);
    expect(failing.tests[0]?.lastFailure).toMatch(/^expected: <\d+> but was: <\d+>$/);
    const inRun = JSON.parse(
      (await runCli(["tests", "--run", "ci-77", "--json", "--db", "k.db"], { cwd })).stdout,
    ) as TestsJson;
    expect(inRun.tests.map((t) => t.lastOutcome).sort()).toEqual(["failed", "flaky", "passed", "passed", "skipped"]);
    const table = await runCli(["tests", "--db", "k.db"], { cwd });
    expect(table.stdout.split("\n")[0]).toMatch(/^last\s+suite\s+name\s+file\s+runs\s+failed\s+flaky$/);
    const runsTable = await runCli(["runs", "--db", "k.db"], { cwd });
    expect(runsTable.stdout).toMatch(/ci-77\s+1\s+main\s+0123abcd/);
  });

  it("prints the ingest result as JSON", async () => {
    const cwd = scratchDir();
    const good = reportWith(cwd, "r.xml");
    writeFileSync(join(cwd, "empty.xml"), "");
    const result = await runCli(["ingest", good, "empty.xml", "--json", "--db", "k.db", "--run-id", "j1"], { cwd });
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as {
      run: { ciRunId: string };
      totals: { tests: number };
      files: { status: string; error?: { code: string } }[];
    };
    expect(json.run.ciRunId).toBe("j1");
    expect(json.totals.tests).toBe(3);
    expect(json.files.map((f) => f.status)).toEqual(["stored", "failed"]);
    expect(json.files[1]?.error?.code).toBe("PARSE_ERROR");
  });

  it("walks folders, passing over files that are not reports, and keeps build logs", async () => {
    const cwd = scratchDir();
    mkdirSync(join(cwd, "results", "nested"), { recursive: true });
    reportWith(join(cwd, "results"), "a.xml");
    reportWith(join(cwd, "results", "nested"), "b.xml");
    writeFileSync(join(cwd, "results", "screenshot.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    writeFileSync(join(cwd, "results", "notes.txt"), "just some notes\n");
    writeFileSync(join(cwd, "build.log"), "compiling...\nok\n");
    const result = await runCli(["ingest", "results", "--log", "build.log", "--db", "k.db"], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Ingested 2 reports into run local-");
    expect(result.stdout).toContain("2 file(s) in the folders given are not test reports");
    const again = await runCli(["ingest", "results", "--db", "k.db"], { cwd });
    expect(again.stdout).toContain("2 report(s) were already stored");
    const runs = JSON.parse((await runCli(["runs", "--json", "--db", "k.db"], { cwd })).stdout) as RunsJson;
    expect(runs.runs).toHaveLength(1);
  });

  it("reads run metadata from the CI environment", async () => {
    const cwd = scratchDir();
    const good = reportWith(cwd, "r.xml");
    const env = {
      GITHUB_ACTIONS: "true",
      GITHUB_RUN_ID: "987654",
      GITHUB_RUN_ATTEMPT: "2",
      GITHUB_SHA: "89abcdef0123456789abcdef0123456789abcdef",
      GITHUB_REF: "refs/heads/feature/x",
      GITHUB_REF_NAME: "feature/x",
      GITHUB_REPOSITORY: "acme/shop",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_JOB: "unit",
      GITHUB_WORKSPACE: cwd,
    };
    const result = await runCli(["ingest", good, "--db", "k.db"], { cwd, env });
    expect(result.code).toBe(0);
    const runs = JSON.parse((await runCli(["runs", "--json", "--db", "k.db"], { cwd })).stdout) as RunsJson & {
      runs: { project: string; job: string; url: string }[];
    };
    expect(runs.runs[0]).toMatchObject({
      ciRunId: "987654",
      attempt: 2,
      branch: "feature/x",
      project: "acme/shop",
      job: "unit",
    });
    expect(runs.runs[0]?.url).toContain("/acme/shop/actions/runs/987654");
  });

  it("parses without storing, as a table and as JSON", async () => {
    const cwd = scratchDir();
    const good = reportWith(cwd, "r.xml", [
      caseSpecFactory.build({ statuses: ["failed", "passed"] }),
      caseSpecFactory.build(),
    ]);
    const table = await runCli(["parse", good], { cwd });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("junit-xml");
    expect(table.stdout).toContain("2 tests · passed 1 · failed 0 · errors 0 · skipped 0 · retried-then-passed 1");
    const json = JSON.parse((await runCli(["parse", good, "--json", "--project", "p"], { cwd })).stdout) as {
      format: string;
      tests: { outcome: string; attempts: { attempt: number; status: string; failure: unknown }[]; id: string }[];
    };
    expect(json.format).toBe("junit-xml");
    expect(json.tests[0]?.outcome).toBe("flaky");
    expect(json.tests[0]?.attempts.map((a) => a.status)).toEqual(["failed", "passed"]);
    expect(json.tests[0]?.id).toMatch(/^[0-9a-f]{16}$/);
    const bad = await runCli(["parse", "nothing-here.xml"], { cwd });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("nothing-here.xml");
  });

  it("maps usage errors, missing runs and unreachable databases to their exit codes", async () => {
    const cwd = scratchDir();
    expect((await runCli(["ingest", "--bogus"], { cwd })).code).toBe(2);
    expect((await runCli(["runs", "--limit", "zero"], { cwd })).code).toBe(2);
    expect((await runCli(["frobnicate"], { cwd })).code).toBe(2);
    const attempt = await runCli(["ingest", reportWith(cwd, "r.xml"), "--attempt", "0", "--db", "k.db"], { cwd });
    expect(attempt.code).toBe(2);
    expect(attempt.stderr).toContain("--attempt");
    const missing = await runCli(["tests", "--run", "nope", "--db", "k.db"], { cwd });
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('no run "nope"');
    const down = await runCli(["runs"], {
      cwd,
      env: { KAIZEN_DATABASE_URL: "postgres://kaizen:pw@127.0.0.1:1/kaizen" },
    });
    expect(down.code).toBe(3);
    expect(down.stderr).toContain("cannot reach the database at postgres://kaizen:***@127.0.0.1:1/kaizen");
    const help = await runCli(["ingest", "--help"], { cwd });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--run-id <id>");
    expect((await runCli(["--version"], { cwd })).stdout).toMatch(/^\d+\.\d+\.\d+$/);
    expect((await runCli(["runs", "--db", "empty.db"], { cwd })).stdout).toContain("No runs stored yet");
    expect((await runCli(["tests", "--failing", "--db", "empty.db"], { cwd })).stdout).toContain("No failing tests.");
    expect((await runCli(["tests", "--db", "empty.db"], { cwd })).stdout).toContain("No tests stored yet");
  });

  it("stores the reports when a --log cannot be read, names the log, and exits 1", async () => {
    const cwd = scratchDir();
    const result = await runCli(
      ["ingest", reportWith(cwd, "r.xml"), "--log", "missing.log", "--db", "k.db", "--run-id", "l1"],
      { cwd },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("missing.log");
    expect(result.stdout).toContain("tests 3");
    const runs = JSON.parse((await runCli(["runs", "--json", "--db", "k.db"], { cwd })).stdout) as RunsJson;
    expect(runs.runs[0]?.tests).toBe(3);
  });

  it("exits 2 when a command is missing, 0 when help is asked for", async () => {
    const cwd = scratchDir();
    expect((await runCli([], { cwd })).code).toBe(2);
    expect((await runCli(["db"], { cwd })).code).toBe(2);
    expect((await runCli(["--help"], { cwd })).code).toBe(0);
  });

  it("keeps a NUL character out of what it stores, so PostgreSQL accepts the report too", async () => {
    const cwd = scratchDir();
    const path = join(cwd, "nul.json");
    writeFileSync(
      path,
      JSON.stringify({
        stats: { suites: 1, tests: 1, passes: 0, pending: 0, failures: 1 },
        tests: [
          {
            title: "nul\u0000name",
            fullTitle: "suite nul\u0000name",
            file: "a.js",
            duration: 1,
            err: { message: "bad\u0000byte" },
          },
        ],
        pending: [],
        failures: [
          {
            title: "nul\u0000name",
            fullTitle: "suite nul\u0000name",
            file: "a.js",
            duration: 1,
            err: { message: "bad\u0000byte" },
          },
        ],
        passes: [],
      }),
    );
    const url = inject("postgresUrl");
    const result = await runCli(["ingest", path, "--run-id", `nul-${Date.now()}`, "--json"], {
      cwd,
      env: { KAIZEN_DATABASE_URL: url },
    });
    expect(result.code).toBe(0);
    const tests = JSON.parse(
      (await runCli(["tests", "--failing", "--json"], { cwd, env: { KAIZEN_DATABASE_URL: url } })).stdout,
    ) as TestsJson;
    const stored = tests.tests.find((t) => t.name.startsWith("nul"));
    expect(stored?.name).toBe("nul\uFFFDname");
    expect(stored?.lastFailure).toBe("bad\uFFFDbyte");
  });

  it("migrates, on SQLite and on PostgreSQL", async () => {
    const cwd = scratchDir();
    const first = await runCli(["db", "migrate", "--db", "m.db"], { cwd });
    expect(first.stdout).toContain("applied 0001-history");
    expect((await runCli(["db", "migrate", "--db", "m.db"], { cwd })).stdout).toContain("schema is up to date");
    const json = JSON.parse((await runCli(["db", "migrate", "--json", "--db", "m.db"], { cwd })).stdout) as {
      dialect: string;
      applied: unknown[];
    };
    expect(json).toMatchObject({ dialect: "sqlite", applied: [] });

    const url = inject("postgresUrl");
    const pg = await runCli(["db", "migrate", "--json"], { cwd, env: { KAIZEN_DATABASE_URL: url } });
    expect(pg.code).toBe(0);
    expect((JSON.parse(pg.stdout) as { dialect: string }).dialect).toBe("postgres");
    const ingest = await runCli(["ingest", reportWith(cwd, "pg.xml"), "--run-id", `pg-${Date.now()}`], {
      cwd,
      env: { KAIZEN_DATABASE_URL: url },
    });
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toContain("tests 3");
  });

  it("shows a progress bar only on a terminal", async () => {
    const cwd = scratchDir();
    const result = await runCli(["ingest", reportWith(cwd, "r.xml"), "--db", "k.db"], { cwd, interactive: true });
    expect(result.code).toBe(0);
  });
});
