import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readGitMetadata } from "../../src/ingest/git-metadata.js";

const run = promisify(execFile);

/** Git isolated from the machine's configuration, so that signing or hooks never interfere with the fixtures. */
async function git(cwd: string, ...args: string[]): Promise<string> {
  const env = {
    ...process.env,
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_AUTHOR_NAME: "Kaizen Test",
    GIT_AUTHOR_EMAIL: "test@kaizen.invalid",
    GIT_COMMITTER_NAME: "Kaizen Test",
    GIT_COMMITTER_EMAIL: "test@kaizen.invalid",
  };
  const { stdout } = await run("git", args, { cwd, env });
  return stdout.trim();
}

async function repository(root: string, name: string, branch: string): Promise<{ dir: string; sha: string }> {
  const dir = join(root, name);
  await mkdir(dir);
  await git(dir, "init", "--quiet", `--initial-branch=${branch}`);
  await writeFile(join(dir, "README.md"), `# ${name}\n`);
  await git(dir, "add", "README.md");
  await git(dir, "commit", "--quiet", "--no-gpg-sign", "-m", "first");
  return { dir, sha: await git(dir, "rev-parse", "HEAD") };
}

async function fakeGit(root: string, name: string, script: string): Promise<string> {
  const path = join(root, name);
  await writeFile(path, `#!/bin/sh\n${script}\n`);
  await chmod(path, 0o755);
  return path;
}

describe("readGitMetadata", () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "kaizen-git-"));
    // Keeps git from finding a repository above the fixtures (a temp dir inside a checkout).
    vi.stubEnv("GIT_CEILING_DIRECTORIES", root);
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await rm(root, { recursive: true, force: true });
  });

  it("reads the commit and branch of a repository", async () => {
    const { dir, sha } = await repository(root, "plain", "main");
    expect(await readGitMetadata(dir)).toStrictEqual({ commitSha: sha, branch: "main" });
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
  });

  it("reads them from a folder inside the repository", async () => {
    const { dir, sha } = await repository(root, "nested", "main");
    await mkdir(join(dir, "packages", "web"), { recursive: true });
    expect(await readGitMetadata(join(dir, "packages", "web"))).toStrictEqual({ commitSha: sha, branch: "main" });
  });

  it("keeps slashes in branch names, and is not confused by a tag named like the branch", async () => {
    const { dir, sha } = await repository(root, "tagged", "feature/login");
    await git(dir, "tag", "feature/login");
    expect(await readGitMetadata(dir)).toStrictEqual({ commitSha: sha, branch: "feature/login" });
  });

  it("has no branch on a detached HEAD", async () => {
    const { dir, sha } = await repository(root, "detached", "main");
    await git(dir, "checkout", "--quiet", "--detach");
    expect(await readGitMetadata(dir)).toStrictEqual({ commitSha: sha, branch: null });
  });

  it("has neither on an unborn branch (a repository without commits)", async () => {
    const dir = join(root, "unborn");
    await mkdir(dir);
    await git(dir, "init", "--quiet", "--initial-branch=main");
    expect(await readGitMetadata(dir)).toStrictEqual({ commitSha: null, branch: null });
  });

  it("gives nulls outside a repository and for a folder that does not exist", async () => {
    const dir = join(root, "not-a-repo");
    await mkdir(dir);
    expect(await readGitMetadata(dir)).toStrictEqual({ commitSha: null, branch: null });
    expect(await readGitMetadata(join(root, "missing"))).toStrictEqual({ commitSha: null, branch: null });
  });

  it("gives nulls for a working directory the OS rejects outright", async () => {
    expect(await readGitMetadata(`${root}/bad\0dir`)).toStrictEqual({ commitSha: null, branch: null });
  });

  it("gives nulls when git is not installed", async () => {
    const { dir } = await repository(root, "no-git", "main");
    expect(await readGitMetadata(dir, { gitPath: join(root, "bin", "git") })).toStrictEqual({
      commitSha: null,
      branch: null,
    });
  });

  it("gives nulls when git prints something that is not a commit or a branch ref", async () => {
    const gitPath = await fakeGit(root, "odd-git", "echo not-a-sha");
    expect(await readGitMetadata(root, { gitPath })).toStrictEqual({ commitSha: null, branch: null });
  });

  it("gives up after the timeout", async () => {
    const gitPath = await fakeGit(root, "hung-git", "exec sleep 30");
    const started = Date.now();
    expect(await readGitMetadata(root, { gitPath, timeoutMs: 200 })).toStrictEqual({ commitSha: null, branch: null });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
