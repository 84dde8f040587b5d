import { KaizenError } from "../domain/errors.js";
import type { CiProvider, RunMetadata } from "../domain/run-metadata.js";
import type { GitMetadata } from "./git-metadata.js";

/** Environment variables as `process.env` holds them; the functions here only read the object they are given. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * What a CI system's environment says about the run. A field is absent when the CI system
 * does not provide it (or provides a value that is not usable, such as Buildkite's
 * `BUILDKITE_COMMIT=HEAD`); {@link resolveRunMetadata} fills the gaps.
 */
export type CiEnvironment = Partial<Omit<RunMetadata, "project" | "provider">> & { readonly provider: CiProvider };

/** Recognises one CI system from its environment and reads its variables. */
export interface CiDetector {
  /** The CI system this detector reads. */
  readonly provider: Exclude<CiProvider, "local">;
  /** Whether `env` is this CI system's (from its marker variable, never from the shape of other values). */
  detects(env: Environment): boolean;
  /** The run metadata this CI system's variables provide. */
  read(env: Environment): Omit<CiEnvironment, "provider">;
}

/** A value that is missing, empty or blank counts as absent: CI systems export unset variables as `""`. */
function variable(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/** Marker variables are `true`/`True`; an explicit `false` switches detection off (tests of CI code set it so). */
function marker(env: Environment, name: string): boolean {
  const value = variable(env, name);
  return value !== undefined && value.toLowerCase() !== "false";
}

function positiveInteger(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

const COMMIT_SHA = /^[0-9a-f]{4,64}$/i;

function commitSha(text: string | undefined): string | undefined {
  return text !== undefined && COMMIT_SHA.test(text) ? text.toLowerCase() : undefined;
}

const ISO_CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/**
 * The instant `text` denotes, as ISO-8601 UTC. `Date.parse` alone is too lenient: it reads
 * "1" as 2001-01-01 and rolls 2024-02-30 over to March, so a year is required and an ISO
 * calendar date must exist. Without an offset, a time of day is local time, as in JavaScript.
 */
function isoInstant(text: string | undefined): string | undefined {
  if (text === undefined || !/\d{4}/.test(text)) return undefined;
  const time = Date.parse(text);
  if (Number.isNaN(time)) return undefined;
  const calendar = ISO_CALENDAR_DATE.exec(text);
  if (calendar !== null) {
    const [year, month, day] = [Number(calendar[1]), Number(calendar[2]), Number(calendar[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  }
  return new Date(time).toISOString();
}

function withoutHeadsPrefix(name: string): string {
  return name.startsWith("refs/heads/") ? name.slice("refs/heads/".length) : name;
}

/** The branch a git ref names: `refs/heads/x` is `x`, other `refs/` (tags, pull and merge refs) are no branch. */
function branchOfRef(ref: string | undefined): string | undefined {
  if (ref === undefined) return undefined;
  if (!ref.startsWith("refs/")) return ref;
  const branch = ref.startsWith("refs/heads/") ? withoutHeadsPrefix(ref) : "";
  return branch === "" ? undefined : branch;
}

/** The number at the end of a GitHub, GitLab or Bitbucket pull/merge request URL. */
function pullRequestOfUrl(url: string | undefined): string | undefined {
  return url === undefined
    ? undefined
    : /\/(?:pull|pulls|pull-requests|merge_requests)\/(\d+)(?:[/?#]|$)/.exec(url)?.[1];
}

/** A repository URL with any user name and password removed, so that a token in a clone URL is never stored. */
function withoutCredentials(repository: string | undefined): string | undefined {
  if (repository === undefined || !/^[a-z][a-z0-9+.-]*:\/\//i.test(repository)) return repository;
  try {
    const url = new URL(repository);
    if (url.username === "" && url.password === "") return repository;
    url.username = "";
    url.password = "";
    return url.toString();
  } catch {
    return repository;
  }
}

function trimTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

function githubBranch(env: Environment, ref: string | undefined): string | undefined {
  const headRef = variable(env, "GITHUB_HEAD_REF");
  if (headRef !== undefined) return headRef;
  if (ref !== undefined) return branchOfRef(ref);
  // On pull requests GITHUB_REF_NAME is `<n>/merge`, which names no branch whatever GITHUB_REF_TYPE says.
  const refName = variable(env, "GITHUB_REF_NAME");
  return variable(env, "GITHUB_REF_TYPE") === "branch" && !/^\d+\/merge$/.test(refName ?? "") ? refName : undefined;
}

/**
 * GitHub Actions. `GITHUB_REF` is `refs/heads/<branch>` on pushes, `refs/tags/<tag>` on
 * tags and `refs/pull/<n>/merge` on `pull_request` events (`GITHUB_EVENT_NAME`), where
 * `GITHUB_HEAD_REF` holds the PR's source branch, preferred here. On `pull_request`
 * events `GITHUB_SHA` is the merge commit GitHub built from the PR and its base, which is
 * the code the tests ran on but not a commit on the PR branch: the head SHA is only in
 * the event payload (`GITHUB_EVENT_PATH`), so pass `--commit` to record it. On
 * `pull_request_target` events the ref is the base branch and the PR number is not in
 * the environment. `GITHUB_RUN_ID` stays the same across re-runs, which count up in
 * `GITHUB_RUN_ATTEMPT`.
 */
const githubActions: CiDetector = {
  provider: "github-actions",
  detects: (env) => marker(env, "GITHUB_ACTIONS"),
  read(env) {
    const runId = variable(env, "GITHUB_RUN_ID");
    const attempt = positiveInteger(variable(env, "GITHUB_RUN_ATTEMPT"));
    const ref = variable(env, "GITHUB_REF");
    const server = variable(env, "GITHUB_SERVER_URL");
    const repository = variable(env, "GITHUB_REPOSITORY");
    return {
      ciRunId: runId,
      attempt,
      commitSha: commitSha(variable(env, "GITHUB_SHA")),
      branch: githubBranch(env, ref),
      pullRequest: ref === undefined ? undefined : /^refs\/pull\/(\d+)\//.exec(ref)?.[1],
      job: variable(env, "GITHUB_JOB"),
      workflow: variable(env, "GITHUB_WORKFLOW"),
      url:
        server === undefined || repository === undefined || runId === undefined
          ? undefined
          : `${trimTrailingSlash(server)}/${repository}/actions/runs/${runId}${attempt === undefined ? "" : `/attempts/${attempt}`}`,
      repository,
    };
  },
};

/**
 * GitLab CI. The run is the pipeline (`CI_PIPELINE_ID`). GitLab has no retry counter: a
 * retried job is a new job with a new `CI_JOB_ID` in the same pipeline, and nothing in
 * its environment says how many tries came before (gitlab-org/gitlab#340141). Counting
 * job ids would need the API, so the attempt is left to the default of 1, every try of a
 * job lands in the same run, and `--attempt` tells tries apart when the caller knows.
 * Merge request pipelines name the source branch in `CI_MERGE_REQUEST_SOURCE_BRANCH_NAME`;
 * in merged-results pipelines `CI_COMMIT_SHA` is the merge result, not the branch head.
 * Tag pipelines have no branch.
 */
const gitlabCi: CiDetector = {
  provider: "gitlab-ci",
  detects: (env) => marker(env, "GITLAB_CI"),
  read(env) {
    const tagged = variable(env, "CI_COMMIT_TAG") !== undefined;
    return {
      ciRunId: variable(env, "CI_PIPELINE_ID"),
      commitSha: commitSha(variable(env, "CI_COMMIT_SHA")),
      branch:
        variable(env, "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME") ??
        variable(env, "CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_NAME") ??
        variable(env, "CI_COMMIT_BRANCH") ??
        (tagged ? undefined : variable(env, "CI_COMMIT_REF_NAME")),
      pullRequest: variable(env, "CI_MERGE_REQUEST_IID") ?? variable(env, "CI_EXTERNAL_PULL_REQUEST_IID"),
      job: variable(env, "CI_JOB_NAME"),
      workflow: variable(env, "CI_PIPELINE_NAME"),
      url: variable(env, "CI_PIPELINE_URL") ?? variable(env, "CI_JOB_URL"),
      repository: variable(env, "CI_PROJECT_PATH"),
      startedAt: isoInstant(variable(env, "CI_PIPELINE_CREATED_AT")),
    };
  },
};

/**
 * CircleCI. The run is the workflow (`CIRCLE_WORKFLOW_ID`). CircleCI exposes no attempt:
 * "rerun workflow from failed" starts a new workflow with a new id, so each rerun is its
 * own run with attempt 1. Pull requests are only given as URLs (`CIRCLE_PULL_REQUEST`,
 * or the comma-separated `CIRCLE_PULL_REQUESTS`), plus `CIRCLE_PR_NUMBER` on forks.
 */
const circleci: CiDetector = {
  provider: "circleci",
  detects: (env) => marker(env, "CIRCLECI"),
  read(env) {
    const owner = variable(env, "CIRCLE_PROJECT_USERNAME");
    const name = variable(env, "CIRCLE_PROJECT_REPONAME");
    return {
      ciRunId: variable(env, "CIRCLE_WORKFLOW_ID") ?? variable(env, "CIRCLE_BUILD_NUM"),
      commitSha: commitSha(variable(env, "CIRCLE_SHA1")),
      branch: variable(env, "CIRCLE_BRANCH"),
      pullRequest:
        pullRequestOfUrl(variable(env, "CIRCLE_PULL_REQUEST")) ??
        pullRequestOfUrl(variable(env, "CIRCLE_PULL_REQUESTS")?.split(",")[0]?.trim()) ??
        positiveInteger(variable(env, "CIRCLE_PR_NUMBER"))?.toString(),
      job: variable(env, "CIRCLE_JOB"),
      url: variable(env, "CIRCLE_BUILD_URL"),
      repository:
        owner === undefined || name === undefined
          ? withoutCredentials(variable(env, "CIRCLE_REPOSITORY_URL"))
          : `${owner}/${name}`,
    };
  },
};

/**
 * Buildkite. The run is the build (`BUILDKITE_BUILD_ID`); retrying a job runs it again in
 * the same build with `BUILDKITE_RETRY_COUNT` counting from 0, so the attempt is that
 * count plus one. A "rebuild" is a new build, hence a new run. `BUILDKITE_COMMIT` may be
 * the symbolic `HEAD` for builds created without a commit: it is then ignored and git
 * tells the commit. On tag builds `BUILDKITE_BRANCH` holds the tag, which is no branch.
 */
const buildkite: CiDetector = {
  provider: "buildkite",
  detects: (env) => marker(env, "BUILDKITE"),
  read(env) {
    const retries = Number(/^\d+$/.exec(variable(env, "BUILDKITE_RETRY_COUNT") ?? "")?.[0] ?? Number.NaN);
    const branch = variable(env, "BUILDKITE_BRANCH");
    const pullRequest = variable(env, "BUILDKITE_PULL_REQUEST");
    return {
      ciRunId: variable(env, "BUILDKITE_BUILD_ID"),
      attempt: Number.isSafeInteger(retries) ? retries + 1 : undefined,
      commitSha: commitSha(variable(env, "BUILDKITE_COMMIT")),
      branch: branch !== undefined && branch === variable(env, "BUILDKITE_TAG") ? undefined : branch,
      pullRequest: pullRequest === "false" ? undefined : pullRequest,
      job: variable(env, "BUILDKITE_LABEL") ?? variable(env, "BUILDKITE_STEP_KEY"),
      workflow: variable(env, "BUILDKITE_PIPELINE_SLUG"),
      url: variable(env, "BUILDKITE_BUILD_URL"),
      repository: withoutCredentials(variable(env, "BUILDKITE_REPO")),
    };
  },
};

/** Jenkins' git plugin prefixes the remote (`origin/main`, sometimes `refs/remotes/origin/main`). */
function jenkinsGitBranch(name: string | undefined): string | undefined {
  return branchOfRef(name?.replace(/^(?:refs\/remotes\/)?origin\//, ""));
}

function jenkinsBranch(env: Environment): string | undefined {
  // In multibranch change builds BRANCH_NAME is the job's name for the change (PR-12), not a branch.
  if (variable(env, "CHANGE_ID") !== undefined) return variable(env, "CHANGE_BRANCH");
  if (variable(env, "TAG_NAME") !== undefined) return undefined;
  return variable(env, "BRANCH_NAME") ?? jenkinsGitBranch(variable(env, "GIT_BRANCH"));
}

/**
 * Jenkins, with the git plugin's `GIT_*` variables and the multibranch `BRANCH_NAME`,
 * `CHANGE_*` and `TAG_NAME`. Build numbers count per job, so the run id is
 * `<JOB_NAME>#<BUILD_NUMBER>`; a replay or rebuild is a new build, hence a new run, and
 * Jenkins has no attempt. For change builds that merge the target branch first,
 * `GIT_COMMIT` is that merge commit.
 */
const jenkins: CiDetector = {
  provider: "jenkins",
  detects: (env) => variable(env, "JENKINS_URL") !== undefined,
  read(env) {
    const jobName = variable(env, "JOB_NAME");
    const build = variable(env, "BUILD_NUMBER") ?? variable(env, "BUILD_ID");
    return {
      ciRunId: build === undefined || jobName === undefined ? build : `${jobName}#${build}`,
      commitSha: commitSha(variable(env, "GIT_COMMIT")),
      branch: jenkinsBranch(env),
      pullRequest: variable(env, "CHANGE_ID"),
      job: jobName,
      url: variable(env, "BUILD_URL"),
      repository: withoutCredentials(variable(env, "GIT_URL")),
    };
  },
};

function azureBranch(env: Environment): string | undefined {
  const pullRequestSource = variable(env, "SYSTEM_PULLREQUEST_SOURCEBRANCH");
  if (pullRequestSource !== undefined) return branchOfRef(pullRequestSource);
  const sourceBranch = variable(env, "BUILD_SOURCEBRANCH");
  // Build.SourceBranchName is only the last path segment (feature/login -> login): the last resort.
  return sourceBranch === undefined ? variable(env, "BUILD_SOURCEBRANCHNAME") : branchOfRef(sourceBranch);
}

/**
 * Azure Pipelines. `BUILD_BUILDID` stays the same when failed jobs are re-run, which
 * counts up `SYSTEM_JOBATTEMPT`. On GitHub pull requests `BUILD_SOURCEBRANCH` is
 * `refs/pull/<n>/merge` and `BUILD_SOURCEVERSION` the merge commit; the source branch is
 * `SYSTEM_PULLREQUEST_SOURCEBRANCH`. The PR number is `SYSTEM_PULLREQUEST_PULLREQUESTNUMBER`
 * (GitHub) or `SYSTEM_PULLREQUEST_PULLREQUESTID` (Azure Repos).
 */
const azurePipelines: CiDetector = {
  provider: "azure-pipelines",
  detects: (env) => marker(env, "TF_BUILD"),
  read(env) {
    const buildId = variable(env, "BUILD_BUILDID");
    const collection = variable(env, "SYSTEM_COLLECTIONURI");
    const project = variable(env, "SYSTEM_TEAMPROJECT");
    return {
      ciRunId: buildId,
      attempt: positiveInteger(variable(env, "SYSTEM_JOBATTEMPT")),
      commitSha: commitSha(variable(env, "BUILD_SOURCEVERSION")),
      branch: azureBranch(env),
      pullRequest:
        variable(env, "SYSTEM_PULLREQUEST_PULLREQUESTNUMBER") ?? variable(env, "SYSTEM_PULLREQUEST_PULLREQUESTID"),
      job: variable(env, "AGENT_JOBNAME") ?? variable(env, "SYSTEM_JOBDISPLAYNAME"),
      workflow: variable(env, "BUILD_DEFINITIONNAME"),
      url:
        collection === undefined || project === undefined || buildId === undefined
          ? undefined
          : `${trimTrailingSlash(collection)}/${encodeURIComponent(project)}/_build/results?buildId=${encodeURIComponent(buildId)}`,
      repository: variable(env, "BUILD_REPOSITORY_NAME"),
      startedAt: isoInstant(variable(env, "SYSTEM_PIPELINESTARTTIME")),
    };
  },
};

/**
 * The CI systems Kaizen recognises, in the order they are tried; the first whose
 * {@link CiDetector.detects} holds wins. Jenkins comes last because `JENKINS_URL` is the
 * one marker that also leaks into other environments (agents, developer shells).
 */
export const CI_DETECTORS: readonly CiDetector[] = [
  githubActions,
  gitlabCi,
  circleci,
  buildkite,
  azurePipelines,
  jenkins,
];

function withoutAbsent<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}

/**
 * Recognises the CI system from its environment variables and reads the run metadata it
 * provides; `{ provider: "local" }` when no CI system is recognised. Pure: it reads only `env`.
 *
 * @example
 * ```ts
 * const ci = detectCiEnvironment({ GITHUB_ACTIONS: "true", GITHUB_RUN_ID: "42", GITHUB_RUN_ATTEMPT: "2" });
 * // { provider: "github-actions", ciRunId: "42", attempt: 2 }
 * ```
 */
export function detectCiEnvironment(env: Environment): CiEnvironment {
  const detector = CI_DETECTORS.find((candidate) => candidate.detects(env));
  return detector === undefined
    ? { provider: "local" }
    : { provider: detector.provider, ...withoutAbsent(detector.read(env)) };
}

/**
 * Run metadata given explicitly (CLI flags, API fields). Each one overrides what the
 * environment says; an empty or blank value counts as not given.
 */
export interface RunMetadataFlags {
  /** `--project`: the project key. */
  readonly project?: string;
  /** `--run-id`: the CI run's id. */
  readonly runId?: string;
  /** `--attempt`: a positive integer. */
  readonly attempt?: string | number;
  /** `--commit`: a commit SHA (hex SHAs are lower-cased; anything without whitespace is kept as given). */
  readonly commit?: string;
  /** `--branch`: a branch name, with or without `refs/heads/`. */
  readonly branch?: string;
  /** `--job`: the CI job's name. */
  readonly job?: string;
  /** `--started-at`: any date `Date.parse` reads that has a 4-digit year; stored as ISO-8601 UTC. */
  readonly startedAt?: string;
}

/** Input of {@link resolveRunMetadata}. */
export interface RunMetadataInput {
  /** Explicit values, the highest precedence. */
  readonly flags: RunMetadataFlags;
  /** The environment (`process.env` in the CLI), read for `KAIZEN_*` overrides and the CI system. */
  readonly env: Environment;
  /** The local checkout (from `readGitMetadata`), or `null` when it was not read. */
  readonly git: GitMetadata | null;
}

function given(text: string | undefined): string | undefined {
  const value = text?.trim();
  return value === undefined || value === "" ? undefined : value;
}

function usage(message: string): KaizenError {
  return new KaizenError("USAGE", message, { httpStatus: 400 });
}

function attemptGiven(raw: string | number | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === "number") {
    if (Number.isSafeInteger(raw) && raw > 0) return raw;
  } else {
    const text = given(raw);
    if (text === undefined) return undefined;
    const value = positiveInteger(text);
    if (value !== undefined) return value;
  }
  throw usage(`--attempt must be a positive integer, got ${JSON.stringify(String(raw))}`);
}

function commitGiven(raw: string | undefined, name: string): string | undefined {
  const text = given(raw);
  if (text === undefined) return undefined;
  // An explicit value is the user's word: short SHAs and revision names are kept as given.
  if (!/^\S{1,200}$/.test(text))
    throw usage(`${name} must be a commit SHA without whitespace, got ${JSON.stringify(text)}`);
  return commitSha(text) ?? text;
}

function startedAtGiven(raw: string | undefined): string | undefined {
  const text = given(raw);
  if (text === undefined) return undefined;
  const instant = isoInstant(text);
  if (instant === undefined)
    throw usage(`--started-at must be a date such as 2024-05-01T12:00:00Z, got ${JSON.stringify(text)}`);
  return instant;
}

function branchGiven(raw: string | undefined): string | undefined {
  const text = given(raw);
  return text === undefined ? undefined : given(withoutHeadsPrefix(text));
}

/** `owner/name` of a repository slug, URL (`https://host/owner/name.git`) or scp-style address (`git@host:owner/name.git`). */
function repositorySlug(repository: string | undefined): string | undefined {
  if (repository === undefined) return undefined;
  const path =
    /^[a-z][a-z0-9+.-]*:\/\/[^/]*\/(.*)$/i.exec(repository)?.[1] ??
    /^[^/@:\s]+@[^:/\s]+:(.*)$/.exec(repository)?.[1] ??
    repository;
  return given(
    path
      .replace(/[?#].*$/, "")
      .replace(/\/+$/, "")
      .replace(/\.git$/, "")
      .replace(/^\/+/, ""),
  );
}

/**
 * Decides the {@link RunMetadata} of an ingest. Precedence, field by field: explicit
 * flags, then the `KAIZEN_RUN_ID` / `KAIZEN_COMMIT` / `KAIZEN_BRANCH` overrides, then the
 * CI system's variables, then the git checkout (commit and branch only), then defaults
 * (attempt 1, `null` elsewhere). The project is `--project`, else `KAIZEN_PROJECT`, else
 * the CI repository's `owner/name`, else `default`. Pure: it reads only its input.
 *
 * @throws KaizenError `USAGE` naming the flag (or `KAIZEN_COMMIT`) when an attempt is not
 * a positive integer, a start time is not a date, or a commit is not a hex SHA.
 *
 * @example
 * ```ts
 * const metadata = resolveRunMetadata({
 *   flags: { project: "shop" },
 *   env: process.env,
 *   git: await readGitMetadata(process.cwd()),
 * });
 * ```
 */
export function resolveRunMetadata(input: RunMetadataInput): RunMetadata {
  const { flags, env, git } = input;
  const ci = detectCiEnvironment(env);
  return {
    project:
      given(flags.project) ??
      variable(env, "KAIZEN_PROJECT") ??
      repositorySlug(ci.repository ?? undefined) ??
      "default",
    provider: ci.provider,
    ciRunId: given(flags.runId) ?? variable(env, "KAIZEN_RUN_ID") ?? ci.ciRunId ?? null,
    attempt: attemptGiven(flags.attempt) ?? ci.attempt ?? 1,
    commitSha:
      commitGiven(flags.commit, "--commit") ??
      commitGiven(variable(env, "KAIZEN_COMMIT"), "KAIZEN_COMMIT") ??
      ci.commitSha ??
      commitSha(given(git?.commitSha ?? undefined)) ??
      null,
    branch:
      branchGiven(flags.branch) ??
      branchGiven(variable(env, "KAIZEN_BRANCH")) ??
      ci.branch ??
      branchGiven(git?.branch ?? undefined) ??
      null,
    pullRequest: ci.pullRequest ?? null,
    job: given(flags.job) ?? ci.job ?? null,
    workflow: ci.workflow ?? null,
    url: ci.url ?? null,
    repository: ci.repository ?? null,
    startedAt: startedAtGiven(flags.startedAt) ?? ci.startedAt ?? null,
  };
}
