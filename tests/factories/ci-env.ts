import { faker } from "@faker-js/faker";
import { Factory } from "fishery";

/** An environment as a CI system exports it to a job's processes. */
export type CiEnv = Record<string, string | undefined>;

/** Transient parameters every CI environment factory understands. */
export interface CiEnvTransient {
  /** The pull/merge request the run builds; `null` (the default) for a push build. */
  readonly pullRequest: number | null;
  /** 1-based re-run attempt, where the CI system counts attempts. */
  readonly attempt: number;
  /** The tag a tag build builds; `null` (the default) otherwise. */
  readonly tag: string | null;
}

/** A factory of CI environments with traits for pull requests, re-runs and tags. */
export class CiEnvFactory extends Factory<CiEnv, CiEnvTransient> {
  /** A pull/merge request build. */
  pullRequest(number: number = faker.number.int({ min: 1, max: 9_999 })): this {
    return this.transient({ pullRequest: number });
  }

  /** A re-run: the given attempt of the same run. */
  rerun(attempt: number): this {
    return this.transient({ attempt });
  }

  /** A tag build. */
  tag(name = `v${faker.system.semver()}`): this {
    return this.transient({ tag: name });
  }
}

interface Shared {
  readonly pullRequest: number | null;
  readonly attempt: number;
  readonly tag: string | null;
  readonly owner: string;
  readonly name: string;
  readonly branch: string;
  readonly sha: string;
}

function shared(transient: Partial<CiEnvTransient>): Shared {
  return {
    pullRequest: transient.pullRequest ?? null,
    attempt: transient.attempt ?? 1,
    tag: transient.tag ?? null,
    owner: faker.helpers.slugify(faker.company.buzzNoun()).toLowerCase(),
    name: `${faker.helpers.slugify(faker.word.noun()).toLowerCase()}-${faker.string.alphanumeric({ length: 4, casing: "lower" })}`,
    // A slash in every branch name: several CI systems mangle nested names (Azure's SourceBranchName).
    branch: `${faker.helpers.arrayElement(["feature", "fix", "chore"])}/${faker.git.branch()}`,
    sha: faker.git.commitSha(),
  };
}

/** Variables every runner has, so that detectors are tested against noise, not against a bare object. */
function runner(home: string): CiEnv {
  return { CI: "true", HOME: home, PATH: "/usr/local/bin:/usr/bin:/bin", LANG: "C.UTF-8", SHELL: "/bin/bash" };
}

function compact(env: CiEnv): CiEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
}

function timestamp(): string {
  return faker.date
    .recent({ days: 3 })
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");
}

function buildNumber(): string {
  return String(faker.number.int({ min: 1, max: 50_000 }));
}

/** GitHub Actions on a GitHub-hosted runner (push, `pull_request` or tag events). */
export const githubActionsEnv = CiEnvFactory.define(({ transientParams }) => {
  const { pullRequest, attempt, tag, owner, name, branch, sha } = shared(transientParams);
  const ref =
    pullRequest !== null
      ? `refs/pull/${pullRequest}/merge`
      : tag !== null
        ? `refs/tags/${tag}`
        : `refs/heads/${branch}`;
  return compact({
    ...runner("/home/runner"),
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: pullRequest !== null ? "pull_request" : "push",
    GITHUB_RUN_ID: faker.string.numeric({ length: 10, allowLeadingZeros: false }),
    GITHUB_RUN_NUMBER: buildNumber(),
    GITHUB_RUN_ATTEMPT: String(attempt),
    GITHUB_SHA: sha,
    GITHUB_REF: ref,
    GITHUB_REF_NAME: pullRequest !== null ? `${pullRequest}/merge` : (tag ?? branch),
    GITHUB_REF_TYPE: tag !== null ? "tag" : "branch",
    // GitHub exports both as empty strings outside pull_request events.
    GITHUB_HEAD_REF: pullRequest !== null ? branch : "",
    GITHUB_BASE_REF: pullRequest !== null ? "main" : "",
    GITHUB_JOB: faker.helpers.arrayElement(["test", "unit-tests", "e2e"]),
    GITHUB_WORKFLOW: faker.helpers.arrayElement(["CI", "Tests", ".github/workflows/ci.yml"]),
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: "https://api.github.com",
    GITHUB_REPOSITORY: `${owner}/${name}`,
    GITHUB_REPOSITORY_OWNER: owner,
    GITHUB_ACTOR: faker.internet.username(),
    GITHUB_WORKSPACE: `/home/runner/work/${name}/${name}`,
    GITHUB_EVENT_PATH: "/home/runner/work/_temp/_github_workflow/event.json",
    RUNNER_OS: "Linux",
    RUNNER_ARCH: "X64",
  });
});

/** GitLab CI on gitlab.com (branch, merge request or tag pipelines). */
export const gitlabCiEnv = CiEnvFactory.define(({ transientParams }) => {
  const { pullRequest, tag, owner, name, branch, sha } = shared(transientParams);
  const server = "https://gitlab.com";
  const path = `${owner}/${name}`;
  const pipelineId = faker.string.numeric({ length: 10, allowLeadingZeros: false });
  const jobId = faker.string.numeric({ length: 10, allowLeadingZeros: false });
  const refName = tag ?? branch;
  return compact({
    ...runner("/root"),
    GITLAB_CI: "true",
    CI_SERVER_URL: server,
    CI_PIPELINE_ID: pipelineId,
    CI_PIPELINE_IID: buildNumber(),
    CI_PIPELINE_SOURCE: pullRequest !== null ? "merge_request_event" : "push",
    CI_PIPELINE_URL: `${server}/${path}/-/pipelines/${pipelineId}`,
    CI_PIPELINE_CREATED_AT: timestamp(),
    CI_JOB_ID: jobId,
    CI_JOB_NAME: faker.helpers.arrayElement(["rspec", "unit tests", "jest 1/3"]),
    CI_JOB_STAGE: "test",
    CI_JOB_URL: `${server}/${path}/-/jobs/${jobId}`,
    CI_JOB_STARTED_AT: timestamp(),
    CI_COMMIT_SHA: sha,
    CI_COMMIT_SHORT_SHA: sha.slice(0, 8),
    CI_COMMIT_REF_NAME: refName,
    CI_COMMIT_REF_SLUG: faker.helpers.slugify(refName).toLowerCase(),
    CI_COMMIT_BRANCH: pullRequest === null && tag === null ? branch : undefined,
    CI_COMMIT_TAG: tag ?? undefined,
    CI_MERGE_REQUEST_IID: pullRequest === null ? undefined : String(pullRequest),
    CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: pullRequest === null ? undefined : branch,
    CI_MERGE_REQUEST_TARGET_BRANCH_NAME: pullRequest === null ? undefined : "main",
    CI_PROJECT_PATH: path,
    CI_PROJECT_NAMESPACE: owner,
    CI_PROJECT_NAME: name,
    CI_PROJECT_URL: `${server}/${path}`,
    CI_PROJECT_DIR: `/builds/${path}`,
  });
});

/** CircleCI cloud with a GitHub project (branch, pull request or tag builds). */
export const circleciEnv = CiEnvFactory.define(({ transientParams }) => {
  const { pullRequest, tag, owner, name, branch, sha } = shared(transientParams);
  const workflowId = faker.string.uuid();
  const build = buildNumber();
  const pullRequestUrl = pullRequest === null ? undefined : `https://github.com/${owner}/${name}/pull/${pullRequest}`;
  return compact({
    ...runner("/home/circleci"),
    CIRCLECI: "true",
    CIRCLE_WORKFLOW_ID: workflowId,
    CIRCLE_WORKFLOW_WORKSPACE_ID: workflowId,
    CIRCLE_WORKFLOW_JOB_ID: faker.string.uuid(),
    CIRCLE_BUILD_NUM: build,
    CIRCLE_BUILD_URL: `https://circleci.com/gh/${owner}/${name}/${build}`,
    CIRCLE_JOB: faker.helpers.arrayElement(["test", "unit-tests", "integration"]),
    CIRCLE_SHA1: sha,
    CIRCLE_BRANCH: tag === null ? branch : undefined,
    CIRCLE_TAG: tag ?? undefined,
    CIRCLE_PULL_REQUEST: pullRequestUrl,
    CIRCLE_PULL_REQUESTS: pullRequestUrl,
    CIRCLE_PROJECT_USERNAME: owner,
    CIRCLE_PROJECT_REPONAME: name,
    CIRCLE_REPOSITORY_URL: `git@github.com:${owner}/${name}.git`,
    CIRCLE_USERNAME: faker.internet.username(),
    CIRCLE_NODE_INDEX: "0",
    CIRCLE_NODE_TOTAL: "1",
    CIRCLE_WORKING_DIRECTORY: "~/project",
  });
});

/** Buildkite with a GitHub repository (branch, pull request or tag builds; job retries). */
export const buildkiteEnv = CiEnvFactory.define(({ transientParams }) => {
  const { pullRequest, attempt, tag, owner, name, branch, sha } = shared(transientParams);
  const organization = faker.helpers.slugify(faker.company.buzzNoun()).toLowerCase();
  const pipeline = `${name}-ci`;
  const build = buildNumber();
  return compact({
    ...runner("/var/lib/buildkite-agent"),
    BUILDKITE: "true",
    BUILDKITE_BUILD_ID: faker.string.uuid(),
    BUILDKITE_BUILD_NUMBER: build,
    BUILDKITE_BUILD_URL: `https://buildkite.com/${organization}/${pipeline}/builds/${build}`,
    BUILDKITE_JOB_ID: faker.string.uuid(),
    BUILDKITE_RETRY_COUNT: String(attempt - 1),
    BUILDKITE_COMMIT: sha,
    BUILDKITE_BRANCH: tag ?? branch,
    BUILDKITE_TAG: tag ?? "",
    BUILDKITE_PULL_REQUEST: pullRequest === null ? "false" : String(pullRequest),
    BUILDKITE_PULL_REQUEST_BASE_BRANCH: pullRequest === null ? "" : "main",
    BUILDKITE_LABEL: faker.helpers.arrayElement([":jest: Unit tests", ":rspec: RSpec", "Integration"]),
    BUILDKITE_STEP_KEY: faker.helpers.arrayElement(["unit", "rspec", "integration"]),
    BUILDKITE_PIPELINE_SLUG: pipeline,
    BUILDKITE_ORGANIZATION_SLUG: organization,
    BUILDKITE_REPO: `git@github.com:${owner}/${name}.git`,
    BUILDKITE_AGENT_NAME: `agent-${faker.string.alphanumeric(6)}`,
  });
});

/** Jenkins multibranch pipeline with the GitHub branch source (branch, change or tag jobs). */
export const jenkinsEnv = CiEnvFactory.define(({ transientParams }) => {
  const { pullRequest, tag, owner, name, branch, sha } = shared(transientParams);
  const jenkinsUrl = "https://jenkins.example.com/";
  const branchJob = pullRequest !== null ? `PR-${pullRequest}` : (tag ?? branch);
  const jobName = `${name}/${encodeURIComponent(branchJob)}`;
  const build = buildNumber();
  return compact({
    ...runner("/var/jenkins_home"),
    JENKINS_URL: jenkinsUrl,
    JENKINS_HOME: "/var/jenkins_home",
    BUILD_NUMBER: build,
    BUILD_ID: build,
    BUILD_TAG: `jenkins-${jobName.replaceAll("/", "-")}-${build}`,
    BUILD_URL: `${jenkinsUrl}job/${name}/job/${encodeURIComponent(encodeURIComponent(branchJob))}/${build}/`,
    JOB_NAME: jobName,
    JOB_BASE_NAME: encodeURIComponent(branchJob),
    JOB_URL: `${jenkinsUrl}job/${name}/job/${encodeURIComponent(encodeURIComponent(branchJob))}/`,
    BRANCH_NAME: branchJob,
    CHANGE_ID: pullRequest === null ? undefined : String(pullRequest),
    CHANGE_BRANCH: pullRequest === null ? undefined : branch,
    CHANGE_TARGET: pullRequest === null ? undefined : "main",
    CHANGE_URL: pullRequest === null ? undefined : `https://github.com/${owner}/${name}/pull/${pullRequest}`,
    TAG_NAME: tag ?? undefined,
    GIT_COMMIT: sha,
    GIT_BRANCH: branchJob,
    GIT_URL: `https://github.com/${owner}/${name}.git`,
    NODE_NAME: "built-in",
    EXECUTOR_NUMBER: "0",
    WORKSPACE: `/var/jenkins_home/workspace/${name}_${faker.string.alphanumeric(8)}`,
  });
});

/** Jenkins freestyle job with the git plugin: no multibranch variables, remote-prefixed GIT_BRANCH. */
export const jenkinsFreestyleEnv = CiEnvFactory.define(({ transientParams }) => {
  const { owner, name, branch, sha } = shared(transientParams);
  const jenkinsUrl = "http://jenkins.internal:8080/";
  const build = buildNumber();
  return compact({
    ...runner("/var/lib/jenkins"),
    JENKINS_URL: jenkinsUrl,
    BUILD_NUMBER: build,
    BUILD_ID: build,
    BUILD_URL: `${jenkinsUrl}job/${name}-tests/${build}/`,
    JOB_NAME: `${name}-tests`,
    JOB_BASE_NAME: `${name}-tests`,
    GIT_COMMIT: sha,
    GIT_BRANCH: `origin/${branch}`,
    GIT_URL: `git@github.com:${owner}/${name}.git`,
    NODE_NAME: "linux-agent-1",
  });
});

/** Azure Pipelines building a GitHub repository (CI, pull request or tag builds; job re-runs). */
export const azurePipelinesEnv = CiEnvFactory.define(({ transientParams }) => {
  const { pullRequest, attempt, tag, owner, name, branch, sha } = shared(transientParams);
  const sourceBranch =
    pullRequest !== null
      ? `refs/pull/${pullRequest}/merge`
      : tag !== null
        ? `refs/tags/${tag}`
        : `refs/heads/${branch}`;
  return compact({
    ...runner("/home/vsts"),
    TF_BUILD: "True",
    BUILD_BUILDID: buildNumber(),
    BUILD_BUILDNUMBER: `${faker.date.recent().toISOString().slice(0, 10).replaceAll("-", "")}.${faker.number.int({ min: 1, max: 9 })}`,
    BUILD_REASON: pullRequest !== null ? "PullRequest" : "IndividualCI",
    BUILD_SOURCEVERSION: sha,
    BUILD_SOURCEBRANCH: sourceBranch,
    BUILD_SOURCEBRANCHNAME: sourceBranch.split("/").at(-1),
    BUILD_DEFINITIONNAME: `${name}-ci`,
    BUILD_REPOSITORY_NAME: `${owner}/${name}`,
    BUILD_REPOSITORY_PROVIDER: "GitHub",
    BUILD_REPOSITORY_URI: `https://github.com/${owner}/${name}`,
    SYSTEM_JOBATTEMPT: String(attempt),
    SYSTEM_STAGEATTEMPT: String(attempt),
    SYSTEM_JOBNAME: "unit",
    SYSTEM_JOBDISPLAYNAME: "Unit tests",
    AGENT_JOBNAME: "Unit tests",
    SYSTEM_COLLECTIONURI: `https://dev.azure.com/${owner}/`,
    SYSTEM_TEAMPROJECT: faker.helpers.arrayElement(["Web Shop", "Platform", "R&D"]),
    SYSTEM_PIPELINESTARTTIME: "2024-05-01 10:15:42+00:00",
    SYSTEM_PULLREQUEST_PULLREQUESTNUMBER: pullRequest === null ? undefined : String(pullRequest),
    SYSTEM_PULLREQUEST_PULLREQUESTID: pullRequest === null ? undefined : faker.string.numeric(10),
    SYSTEM_PULLREQUEST_SOURCEBRANCH: pullRequest === null ? undefined : branch,
    SYSTEM_PULLREQUEST_TARGETBRANCH: pullRequest === null ? undefined : "main",
    SYSTEM_PULLREQUEST_SOURCECOMMITID: pullRequest === null ? undefined : faker.git.commitSha(),
  });
});

/** A developer's shell: no CI system. */
export const localEnv = Factory.define<CiEnv>(() => ({
  HOME: `/home/${faker.internet.username()}`,
  PATH: "/usr/local/bin:/usr/bin:/bin",
  SHELL: "/bin/zsh",
  TERM: "xterm-256color",
  EDITOR: "vim",
}));
