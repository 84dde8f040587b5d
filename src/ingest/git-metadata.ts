import { execFile } from "node:child_process";

/** What the local git checkout says about the code under test. */
export interface GitMetadata {
  /** Full SHA of `HEAD` (40 hex characters, 64 in SHA-256 repositories), or `null`. */
  readonly commitSha: string | null;
  /** The checked-out branch without `refs/heads/`, or `null` on a detached `HEAD`. */
  readonly branch: string | null;
}

/** Options of {@link readGitMetadata}. */
export interface GitMetadataOptions {
  /** How long each `git` call may take before it is killed; {@link GIT_TIMEOUT_MS} by default. */
  readonly timeoutMs?: number;
  /** The git executable, looked up on `PATH` when it is a bare name; `git` by default. */
  readonly gitPath?: string;
}

/** Default time limit of one `git` call: a hung credential helper or network file system must not stall ingest. */
export const GIT_TIMEOUT_MS = 5_000;

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const HEADS = "refs/heads/";

/**
 * Reads the commit and branch of the git checkout at `cwd` (or any folder inside it), as
 * the fallback for what the CI environment does not say. Never throws: outside a
 * repository, without git, on an unborn branch, on a repository git refuses to read
 * (`safe.directory`) or past the timeout, the fields are `null`.
 *
 * The branch comes from `git rev-parse --symbolic-full-name HEAD` rather than
 * `--abbrev-ref`: both print `HEAD` when detached, but `--abbrev-ref` shortens
 * `refs/heads/main` to `heads/main` when a tag named `main` also exists.
 *
 * @example
 * ```ts
 * const { commitSha, branch } = await readGitMetadata(process.cwd());
 * ```
 */
export async function readGitMetadata(cwd: string, options: GitMetadataOptions = {}): Promise<GitMetadata> {
  const git = options.gitPath ?? "git";
  const timeoutMs = options.timeoutMs ?? GIT_TIMEOUT_MS;
  const [head, ref] = await Promise.all([
    runGit(git, ["rev-parse", "HEAD"], cwd, timeoutMs),
    runGit(git, ["rev-parse", "--symbolic-full-name", "HEAD"], cwd, timeoutMs),
  ]);
  return {
    commitSha: head !== null && FULL_SHA.test(head) ? head : null,
    branch: ref?.startsWith(HEADS) === true && ref.length > HEADS.length ? ref.slice(HEADS.length) : null,
  };
}

/** The trimmed standard output of a successful `git` call, `null` on any failure. */
function runGit(git: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    try {
      execFile(
        git,
        args,
        { cwd, timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 64 * 1024, windowsHide: true, encoding: "utf8" },
        (error, stdout) => resolve(error === null ? stdout.trim() : null),
      );
    } catch {
      // execFile throws synchronously on arguments it rejects outright (a NUL byte in cwd).
      resolve(null);
    }
  });
}
