import { describe, expect, it } from "vitest";
import { CI_PROVIDERS, type RunMetadata } from "../../../src/domain/run-metadata.js";
import {
  CI_DETECTORS,
  detectCiEnvironment,
  resolveRunMetadata,
  type Environment,
  type RunMetadataFlags,
} from "../../../src/ingest/ci-env.js";
import type { GitMetadata } from "../../../src/ingest/git-metadata.js";
import {
  azurePipelinesEnv,
  buildkiteEnv,
  circleciEnv,
  githubActionsEnv,
  gitlabCiEnv,
  jenkinsEnv,
  jenkinsFreestyleEnv,
  localEnv,
} from "../../factories/ci-env.js";
import { thrownKaizenError } from "../../support/kaizen-error.js";

const LOCAL_GIT: GitMetadata = { commitSha: "0123456789abcdef0123456789abcdef01234567", branch: "local-branch" };

function resolve(env: Environment, flags: RunMetadataFlags = {}, git: GitMetadata | null = null): RunMetadata {
  return resolveRunMetadata({ flags, env, git });
}

describe("detectCiEnvironment", () => {
  it("is local in a developer shell, an empty environment, or with only CI=true", () => {
    expect(detectCiEnvironment(localEnv.build())).toStrictEqual({ provider: "local" });
    expect(detectCiEnvironment({})).toStrictEqual({ provider: "local" });
    expect(detectCiEnvironment({ CI: "true" })).toStrictEqual({ provider: "local" });
  });

  it("does not take empty, blank or false markers for a CI system", () => {
    const env = {
      GITHUB_ACTIONS: "false",
      GITLAB_CI: "",
      CIRCLECI: "  ",
      BUILDKITE: "FALSE",
      TF_BUILD: "",
      JENKINS_URL: "",
    };
    expect(detectCiEnvironment(env)).toStrictEqual({ provider: "local" });
  });

  it("has one detector per CI provider", () => {
    const providers = CI_DETECTORS.map((detector) => detector.provider);
    expect(new Set(providers).size).toBe(providers.length);
    expect([...providers].sort()).toEqual(CI_PROVIDERS.filter((provider) => provider !== "local").sort());
  });

  it.each([
    ["github-actions", githubActionsEnv],
    ["gitlab-ci", gitlabCiEnv],
    ["circleci", circleciEnv],
    ["buildkite", buildkiteEnv],
    ["jenkins", jenkinsEnv],
    ["jenkins", jenkinsFreestyleEnv],
    ["azure-pipelines", azurePipelinesEnv],
  ] as const)("recognises %s", (provider, factory) => {
    expect(detectCiEnvironment(factory.build()).provider).toBe(provider);
  });

  it("prefers a specific CI system to Jenkins, whose JENKINS_URL leaks into other environments", () => {
    const env = { ...jenkinsEnv.build(), ...githubActionsEnv.build() };
    expect(detectCiEnvironment(env).provider).toBe("github-actions");
  });

  describe("GitHub Actions", () => {
    it("reads a push build", () => {
      const env = githubActionsEnv.build();
      const branch = env.GITHUB_REF?.replace("refs/heads/", "");
      expect(detectCiEnvironment(env)).toStrictEqual({
        provider: "github-actions",
        ciRunId: env.GITHUB_RUN_ID,
        attempt: 1,
        commitSha: env.GITHUB_SHA,
        branch,
        job: env.GITHUB_JOB,
        workflow: env.GITHUB_WORKFLOW,
        url: `https://github.com/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}/attempts/1`,
        repository: env.GITHUB_REPOSITORY,
      });
      expect(branch).toContain("/");
    });

    it("reads a pull_request build: the PR's head branch, the PR number, and GITHUB_SHA (the merge commit)", () => {
      const env = githubActionsEnv.pullRequest(482).build();
      const ci = detectCiEnvironment(env);
      expect(ci.branch).toBe(env.GITHUB_HEAD_REF);
      expect(ci.branch).not.toContain("merge");
      expect(ci.pullRequest).toBe("482");
      expect(ci.commitSha).toBe(env.GITHUB_SHA);
    });

    it("reads refs/pull/N/head refs too", () => {
      const env = githubActionsEnv.pullRequest(7).build({ GITHUB_REF: "refs/pull/7/head" });
      expect(detectCiEnvironment(env).pullRequest).toBe("7");
    });

    it("counts re-run attempts of the same run", () => {
      const first = githubActionsEnv.build();
      const rerun = githubActionsEnv.rerun(3).build({ GITHUB_RUN_ID: first.GITHUB_RUN_ID });
      const ci = detectCiEnvironment(rerun);
      expect(ci.ciRunId).toBe(detectCiEnvironment(first).ciRunId);
      expect(ci.attempt).toBe(3);
      expect(ci.url).toMatch(/\/actions\/runs\/\d+\/attempts\/3$/);
    });

    it("has no branch on tag builds", () => {
      const ci = detectCiEnvironment(githubActionsEnv.tag("v1.2.3").build());
      expect(ci.branch).toBeUndefined();
      expect(ci.pullRequest).toBeUndefined();
    });

    it("takes the head branch on pull_request_target events, whose ref is the base branch", () => {
      const env = githubActionsEnv.build({
        GITHUB_EVENT_NAME: "pull_request_target",
        GITHUB_REF: "refs/heads/main",
        GITHUB_HEAD_REF: "feature/login",
      });
      const ci = detectCiEnvironment(env);
      expect(ci.branch).toBe("feature/login");
      expect(ci.pullRequest).toBeUndefined();
    });

    it("falls back to GITHUB_REF_NAME when GITHUB_REF is missing, unless it is a tag or a PR merge ref", () => {
      const branch = githubActionsEnv.build({
        GITHUB_REF: undefined,
        GITHUB_REF_NAME: "main",
        GITHUB_REF_TYPE: "branch",
      });
      const merge = githubActionsEnv.build({
        GITHUB_REF: undefined,
        GITHUB_REF_NAME: "12/merge",
        GITHUB_REF_TYPE: "branch",
      });
      const tag = githubActionsEnv.build({ GITHUB_REF: undefined, GITHUB_REF_NAME: "v1", GITHUB_REF_TYPE: "tag" });
      expect(detectCiEnvironment(branch).branch).toBe("main");
      expect(detectCiEnvironment(merge).branch).toBeUndefined();
      expect(detectCiEnvironment(tag).branch).toBeUndefined();
      expect(detectCiEnvironment({ ...branch, GITHUB_REF_NAME: undefined }).branch).toBeUndefined();
    });

    it("builds the URL for GitHub Enterprise servers, and only from all its parts", () => {
      const env = githubActionsEnv.build({ GITHUB_SERVER_URL: "https://github.example.com/", GITHUB_RUN_ID: "99" });
      expect(detectCiEnvironment(env).url).toBe(
        `https://github.example.com/${env.GITHUB_REPOSITORY}/actions/runs/99/attempts/1`,
      );
      expect(detectCiEnvironment({ ...env, GITHUB_RUN_ATTEMPT: "" }).url).toBe(
        `https://github.example.com/${env.GITHUB_REPOSITORY}/actions/runs/99`,
      );
      expect(detectCiEnvironment({ ...env, GITHUB_SERVER_URL: undefined }).url).toBeUndefined();
      expect(detectCiEnvironment({ ...env, GITHUB_REPOSITORY: "" }).url).toBeUndefined();
    });

    it("ignores values that are not what the variable promises", () => {
      const env = githubActionsEnv.build({ GITHUB_RUN_ATTEMPT: "0", GITHUB_SHA: "not-a-sha" });
      const ci = detectCiEnvironment(env);
      expect(ci.attempt).toBeUndefined();
      expect(ci.commitSha).toBeUndefined();
      expect(detectCiEnvironment({ ...env, GITHUB_RUN_ATTEMPT: "2.5" }).attempt).toBeUndefined();
      expect(detectCiEnvironment({ ...env, GITHUB_RUN_ATTEMPT: "99999999999999999999" }).attempt).toBeUndefined();
    });

    it("lower-cases commit SHAs and trims values", () => {
      const env = githubActionsEnv.build({
        GITHUB_SHA: " ABCDEF0123456789ABCDEF0123456789ABCDEF01 ",
        GITHUB_JOB: " test ",
      });
      const ci = detectCiEnvironment(env);
      expect(ci.commitSha).toBe("abcdef0123456789abcdef0123456789abcdef01");
      expect(ci.job).toBe("test");
    });
  });

  describe("GitLab CI", () => {
    it("reads a branch pipeline", () => {
      const env = gitlabCiEnv.build();
      expect(detectCiEnvironment(env)).toStrictEqual({
        provider: "gitlab-ci",
        ciRunId: env.CI_PIPELINE_ID,
        commitSha: env.CI_COMMIT_SHA,
        branch: env.CI_COMMIT_BRANCH,
        job: env.CI_JOB_NAME,
        url: env.CI_PIPELINE_URL,
        repository: env.CI_PROJECT_PATH,
        startedAt: new Date(env.CI_PIPELINE_CREATED_AT ?? "").toISOString(),
      });
    });

    it("reads a merge request pipeline: the source branch and the MR's project-level IID", () => {
      const env = gitlabCiEnv.pullRequest(31).build();
      const ci = detectCiEnvironment(env);
      expect(ci.branch).toBe(env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME);
      expect(ci.pullRequest).toBe("31");
    });

    it("reads external pull request pipelines (GitHub repositories mirrored to GitLab CI/CD)", () => {
      const env = gitlabCiEnv.build({
        CI_COMMIT_BRANCH: undefined,
        CI_EXTERNAL_PULL_REQUEST_IID: "12",
        CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_NAME: "feature/x",
      });
      expect(detectCiEnvironment(env)).toMatchObject({ branch: "feature/x", pullRequest: "12" });
    });

    it("puts every retry of a job in the same run, with the attempt left to flags", () => {
      const first = gitlabCiEnv.build();
      const retry = gitlabCiEnv.build({ CI_PIPELINE_ID: first.CI_PIPELINE_ID, CI_PIPELINE_URL: first.CI_PIPELINE_URL });
      expect(retry.CI_JOB_ID).not.toBe(first.CI_JOB_ID);
      expect(detectCiEnvironment(retry).ciRunId).toBe(first.CI_PIPELINE_ID);
      expect(detectCiEnvironment(retry).attempt).toBeUndefined();
      expect(resolve(retry).attempt).toBe(1);
      expect(resolve(retry, { attempt: "2" }).attempt).toBe(2);
    });

    it("has no branch on tag pipelines, where CI_COMMIT_REF_NAME is the tag", () => {
      const env = gitlabCiEnv.tag("v2.0.0").build();
      expect(env.CI_COMMIT_REF_NAME).toBe("v2.0.0");
      expect(detectCiEnvironment(env).branch).toBeUndefined();
    });

    it("falls back to CI_COMMIT_REF_NAME, the job URL, and reads the pipeline name", () => {
      const env = gitlabCiEnv.build({
        CI_COMMIT_BRANCH: undefined,
        CI_COMMIT_REF_NAME: "release/1.x",
        CI_PIPELINE_URL: "",
        CI_PIPELINE_NAME: "Nightly",
      });
      expect(detectCiEnvironment(env)).toMatchObject({
        branch: "release/1.x",
        url: env.CI_JOB_URL,
        workflow: "Nightly",
      });
    });

    it("ignores a pipeline creation time that is not a date", () => {
      expect(detectCiEnvironment(gitlabCiEnv.build({ CI_PIPELINE_CREATED_AT: "yesterday" })).startedAt).toBeUndefined();
    });
  });

  describe("CircleCI", () => {
    it("reads a branch build", () => {
      const env = circleciEnv.build();
      expect(detectCiEnvironment(env)).toStrictEqual({
        provider: "circleci",
        ciRunId: env.CIRCLE_WORKFLOW_ID,
        commitSha: env.CIRCLE_SHA1,
        branch: env.CIRCLE_BRANCH,
        job: env.CIRCLE_JOB,
        url: env.CIRCLE_BUILD_URL,
        repository: `${env.CIRCLE_PROJECT_USERNAME}/${env.CIRCLE_PROJECT_REPONAME}`,
      });
    });

    it("takes the PR number from the pull request URL", () => {
      const env = circleciEnv.pullRequest(5120).build();
      expect(detectCiEnvironment(env).pullRequest).toBe("5120");
    });

    it("falls back to the first of CIRCLE_PULL_REQUESTS, then to CIRCLE_PR_NUMBER on forks", () => {
      const list = circleciEnv.build({
        CIRCLE_PULL_REQUEST: undefined,
        CIRCLE_PULL_REQUESTS:
          "https://bitbucket.org/acme/shop/pull-requests/8, https://bitbucket.org/acme/shop/pull-requests/9",
      });
      const fork = circleciEnv.build({ CIRCLE_PULL_REQUEST: "", CIRCLE_PULL_REQUESTS: "", CIRCLE_PR_NUMBER: "77" });
      expect(detectCiEnvironment(list).pullRequest).toBe("8");
      expect(detectCiEnvironment(fork).pullRequest).toBe("77");
    });

    it("does not take a number from an URL that is not a pull request", () => {
      const env = circleciEnv.build({ CIRCLE_PULL_REQUEST: "https://github.com/acme/shop/pull/12abc" });
      expect(detectCiEnvironment(env).pullRequest).toBeUndefined();
    });

    it("has no branch on tag builds", () => {
      const env = circleciEnv.tag().build();
      expect(detectCiEnvironment(env).branch).toBeUndefined();
    });

    it("falls back to the build number and the repository URL, without credentials", () => {
      const env = circleciEnv.build({
        CIRCLE_WORKFLOW_ID: undefined,
        CIRCLE_PROJECT_USERNAME: undefined,
        CIRCLE_REPOSITORY_URL: "https://x-access-token:ghs_secret@github.com/acme/shop.git",
      });
      const ci = detectCiEnvironment(env);
      expect(ci.ciRunId).toBe(env.CIRCLE_BUILD_NUM);
      expect(ci.repository).toBe("https://github.com/acme/shop.git");
    });
  });

  describe("Buildkite", () => {
    it("reads a branch build, where BUILDKITE_PULL_REQUEST is the string false", () => {
      const env = buildkiteEnv.build();
      expect(env.BUILDKITE_PULL_REQUEST).toBe("false");
      expect(detectCiEnvironment(env)).toStrictEqual({
        provider: "buildkite",
        ciRunId: env.BUILDKITE_BUILD_ID,
        attempt: 1,
        commitSha: env.BUILDKITE_COMMIT,
        branch: env.BUILDKITE_BRANCH,
        job: env.BUILDKITE_LABEL,
        workflow: env.BUILDKITE_PIPELINE_SLUG,
        url: env.BUILDKITE_BUILD_URL,
        repository: env.BUILDKITE_REPO,
      });
    });

    it("reads a pull request build", () => {
      const env = buildkiteEnv.pullRequest(64).build();
      expect(detectCiEnvironment(env)).toMatchObject({ pullRequest: "64", branch: env.BUILDKITE_BRANCH });
    });

    it("counts job retries from BUILDKITE_RETRY_COUNT, which starts at 0", () => {
      const env = buildkiteEnv.rerun(3).build();
      expect(env.BUILDKITE_RETRY_COUNT).toBe("2");
      expect(detectCiEnvironment(env).attempt).toBe(3);
      expect(detectCiEnvironment({ ...env, BUILDKITE_RETRY_COUNT: "-1" }).attempt).toBeUndefined();
      expect(detectCiEnvironment({ ...env, BUILDKITE_RETRY_COUNT: undefined }).attempt).toBeUndefined();
    });

    it("ignores the symbolic BUILDKITE_COMMIT=HEAD", () => {
      expect(detectCiEnvironment(buildkiteEnv.build({ BUILDKITE_COMMIT: "HEAD" })).commitSha).toBeUndefined();
    });

    it("has no branch on tag builds, where BUILDKITE_BRANCH holds the tag", () => {
      const env = buildkiteEnv.tag("v3.1.0").build();
      expect(env.BUILDKITE_BRANCH).toBe("v3.1.0");
      expect(detectCiEnvironment(env).branch).toBeUndefined();
    });

    it("names the job by its step key when the step has no label", () => {
      const env = buildkiteEnv.build({ BUILDKITE_LABEL: "" });
      expect(detectCiEnvironment(env).job).toBe(env.BUILDKITE_STEP_KEY);
    });
  });

  describe("Jenkins", () => {
    it("reads a multibranch branch build; the run id is qualified by the job, as build numbers count per job", () => {
      const env = jenkinsEnv.build();
      expect(detectCiEnvironment(env)).toStrictEqual({
        provider: "jenkins",
        ciRunId: `${env.JOB_NAME}#${env.BUILD_NUMBER}`,
        commitSha: env.GIT_COMMIT,
        branch: env.BRANCH_NAME,
        job: env.JOB_NAME,
        url: env.BUILD_URL,
        repository: env.GIT_URL,
      });
    });

    it("reads a change build: CHANGE_BRANCH, not the PR-N job name, and CHANGE_ID", () => {
      const env = jenkinsEnv.pullRequest(19).build();
      expect(env.BRANCH_NAME).toBe("PR-19");
      expect(detectCiEnvironment(env)).toMatchObject({ branch: env.CHANGE_BRANCH, pullRequest: "19" });
      expect(detectCiEnvironment({ ...env, CHANGE_BRANCH: undefined }).branch).toBeUndefined();
    });

    it("has no branch on tag builds, where BRANCH_NAME is the tag", () => {
      expect(detectCiEnvironment(jenkinsEnv.tag().build()).branch).toBeUndefined();
    });

    it("strips the remote from GIT_BRANCH in freestyle jobs", () => {
      const env = jenkinsFreestyleEnv.build();
      const branch = env.GIT_BRANCH?.replace("origin/", "");
      expect(detectCiEnvironment(env).branch).toBe(branch);
      expect(detectCiEnvironment({ ...env, GIT_BRANCH: `refs/remotes/origin/${branch}` }).branch).toBe(branch);
      expect(detectCiEnvironment({ ...env, GIT_BRANCH: "refs/heads/main" }).branch).toBe("main");
      expect(detectCiEnvironment(env).repository).toBe(env.GIT_URL);
      expect(detectCiEnvironment({ ...env, GIT_BRANCH: undefined }).branch).toBeUndefined();
    });

    it("uses the build number alone without a job name, and BUILD_ID without a build number", () => {
      const env = jenkinsFreestyleEnv.build({ JOB_NAME: undefined });
      expect(detectCiEnvironment(env).ciRunId).toBe(env.BUILD_NUMBER);
      expect(detectCiEnvironment({ ...env, BUILD_NUMBER: undefined, BUILD_ID: "77" }).ciRunId).toBe("77");
      expect(detectCiEnvironment({ ...env, BUILD_NUMBER: undefined, BUILD_ID: undefined }).ciRunId).toBeUndefined();
    });

    it("never stores credentials of the clone URL", () => {
      const env = jenkinsEnv.build({ GIT_URL: "https://jenkins:s3cr3t@git.example.com/acme/shop.git" });
      expect(detectCiEnvironment(env).repository).toBe("https://git.example.com/acme/shop.git");
    });
  });

  describe("Azure Pipelines", () => {
    it("reads a CI build", () => {
      const env = azurePipelinesEnv.build({ SYSTEM_TEAMPROJECT: "Web Shop", BUILD_BUILDID: "1234" });
      expect(detectCiEnvironment(env)).toStrictEqual({
        provider: "azure-pipelines",
        ciRunId: "1234",
        attempt: 1,
        commitSha: env.BUILD_SOURCEVERSION,
        branch: env.BUILD_SOURCEBRANCH?.replace("refs/heads/", ""),
        job: "Unit tests",
        workflow: env.BUILD_DEFINITIONNAME,
        url: `${env.SYSTEM_COLLECTIONURI}Web%20Shop/_build/results?buildId=1234`,
        repository: env.BUILD_REPOSITORY_NAME,
        startedAt: "2024-05-01T10:15:42.000Z",
      });
    });

    it("reads a GitHub pull request build: the source branch and the PR number, not its id", () => {
      const env = azurePipelinesEnv.pullRequest(58).build();
      expect(env.BUILD_SOURCEBRANCH).toBe("refs/pull/58/merge");
      expect(detectCiEnvironment(env)).toMatchObject({
        branch: env.SYSTEM_PULLREQUEST_SOURCEBRANCH,
        pullRequest: "58",
      });
    });

    it("reads an Azure Repos pull request build: refs/heads/ source branch and the PR id", () => {
      const env = azurePipelinesEnv.pullRequest(58).build({
        SYSTEM_PULLREQUEST_PULLREQUESTNUMBER: undefined,
        SYSTEM_PULLREQUEST_PULLREQUESTID: "311",
        SYSTEM_PULLREQUEST_SOURCEBRANCH: "refs/heads/feature/login",
        BUILD_SOURCEBRANCH: "refs/heads/feature/login",
      });
      expect(detectCiEnvironment(env)).toMatchObject({ branch: "feature/login", pullRequest: "311" });
    });

    it("counts re-runs of failed jobs in SYSTEM_JOBATTEMPT", () => {
      expect(detectCiEnvironment(azurePipelinesEnv.rerun(2).build()).attempt).toBe(2);
    });

    it("has no branch on tag builds, although Build.SourceBranchName holds the tag", () => {
      const env = azurePipelinesEnv.tag("v9.0.0").build();
      expect(env.BUILD_SOURCEBRANCHNAME).toBe("v9.0.0");
      expect(detectCiEnvironment(env).branch).toBeUndefined();
    });

    it("uses Build.SourceBranchName only when Build.SourceBranch is missing", () => {
      const env = azurePipelinesEnv.build({ BUILD_SOURCEBRANCH: undefined, BUILD_SOURCEBRANCHNAME: "main" });
      expect(detectCiEnvironment(env).branch).toBe("main");
    });

    it("falls back to the job display name, and builds the URL only from all its parts", () => {
      const env = azurePipelinesEnv.build({
        AGENT_JOBNAME: undefined,
        SYSTEM_JOBDISPLAYNAME: "Lint",
        SYSTEM_COLLECTIONURI: "https://tfs.example.com/DefaultCollection",
      });
      const ci = detectCiEnvironment(env);
      expect(ci.job).toBe("Lint");
      expect(ci.url).toMatch(/^https:\/\/tfs\.example\.com\/DefaultCollection\/[^/]+\/_build\/results\?buildId=\d+$/);
      expect(detectCiEnvironment({ ...env, SYSTEM_TEAMPROJECT: undefined }).url).toBeUndefined();
    });
  });
});

describe("resolveRunMetadata", () => {
  it("outside CI, takes commit and branch from git and defaults the rest", () => {
    expect(resolve(localEnv.build(), {}, LOCAL_GIT)).toStrictEqual({
      project: "default",
      provider: "local",
      ciRunId: null,
      attempt: 1,
      commitSha: LOCAL_GIT.commitSha,
      branch: LOCAL_GIT.branch,
      pullRequest: null,
      job: null,
      workflow: null,
      url: null,
      repository: null,
      startedAt: null,
    });
  });

  it("is all nulls without CI, git or flags", () => {
    const metadata = resolve({}, {}, null);
    expect(metadata).toMatchObject({
      project: "default",
      provider: "local",
      attempt: 1,
      commitSha: null,
      branch: null,
    });
  });

  it("prefers the CI system's values to git, and falls back to git where the CI has none", () => {
    const env = githubActionsEnv.tag().build();
    const metadata = resolve(env, {}, LOCAL_GIT);
    expect(metadata.commitSha).toBe(env.GITHUB_SHA);
    expect(metadata.branch).toBe(LOCAL_GIT.branch);
    expect(resolve(buildkiteEnv.build({ BUILDKITE_COMMIT: "HEAD" }), {}, LOCAL_GIT).commitSha).toBe(
      LOCAL_GIT.commitSha,
    );
  });

  it("copies every field the CI system provides", () => {
    const env = gitlabCiEnv.pullRequest(4).build({ CI_PIPELINE_NAME: "MR pipeline" });
    expect(resolve(env, {}, LOCAL_GIT)).toStrictEqual({
      project: env.CI_PROJECT_PATH,
      provider: "gitlab-ci",
      ciRunId: env.CI_PIPELINE_ID,
      attempt: 1,
      commitSha: env.CI_COMMIT_SHA,
      branch: env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME,
      pullRequest: "4",
      job: env.CI_JOB_NAME,
      workflow: "MR pipeline",
      url: env.CI_PIPELINE_URL,
      repository: env.CI_PROJECT_PATH,
      startedAt: new Date(env.CI_PIPELINE_CREATED_AT ?? "").toISOString(),
    });
  });

  it("lets flags override everything, KAIZEN_* variables included", () => {
    const env = {
      ...gitlabCiEnv.pullRequest().build(),
      KAIZEN_PROJECT: "env-project",
      KAIZEN_RUN_ID: "env-run",
      KAIZEN_COMMIT: "aaaaaaa",
      KAIZEN_BRANCH: "env-branch",
    };
    const metadata = resolve(
      env,
      {
        project: "flag-project",
        runId: "flag-run",
        attempt: "4",
        commit: "BBBBBBBBBB",
        branch: "refs/heads/flag/branch",
        job: "flag-job",
        startedAt: "2024-05-01T12:30:00+02:00",
      },
      LOCAL_GIT,
    );
    expect(metadata).toMatchObject({
      project: "flag-project",
      ciRunId: "flag-run",
      attempt: 4,
      commitSha: "bbbbbbbbbb",
      branch: "flag/branch",
      job: "flag-job",
      startedAt: "2024-05-01T10:30:00.000Z",
    });
  });

  it("lets KAIZEN_* variables override the CI system and git", () => {
    const env = {
      ...circleciEnv.build(),
      KAIZEN_PROJECT: "env-project",
      KAIZEN_RUN_ID: "env-run",
      KAIZEN_COMMIT: "ABCDEF1",
      KAIZEN_BRANCH: "refs/heads/env-branch",
    };
    expect(resolve(env, {}, LOCAL_GIT)).toMatchObject({
      project: "env-project",
      ciRunId: "env-run",
      commitSha: "abcdef1",
      branch: "env-branch",
    });
  });

  it("treats empty and blank flags as not given", () => {
    const env = githubActionsEnv.rerun(2).build();
    const metadata = resolve(env, {
      project: "",
      runId: " ",
      attempt: "",
      commit: "",
      branch: "  ",
      job: "",
      startedAt: "",
    });
    expect(metadata).toMatchObject({
      project: env.GITHUB_REPOSITORY,
      ciRunId: env.GITHUB_RUN_ID,
      attempt: 2,
      commitSha: env.GITHUB_SHA,
      job: env.GITHUB_JOB,
      startedAt: null,
    });
    expect(resolve(env, { branch: "refs/heads/" }).branch).toBe(env.GITHUB_REF?.replace("refs/heads/", ""));
  });

  it("accepts an attempt as a number or a string", () => {
    expect(resolve({}, { attempt: 3 }).attempt).toBe(3);
    expect(resolve({}, { attempt: " 12 " }).attempt).toBe(12);
  });

  it("normalizes start times to ISO-8601 UTC", () => {
    expect(resolve({}, { startedAt: "2024-05-01" }).startedAt).toBe("2024-05-01T00:00:00.000Z");
    expect(resolve({}, { startedAt: "2024-05-01T23:59:59.5-05:00" }).startedAt).toBe("2024-05-02T04:59:59.500Z");
    expect(resolve({}, { startedAt: "Wed, 01 May 2024 10:00:00 GMT" }).startedAt).toBe("2024-05-01T10:00:00.000Z");
  });

  it("keeps the CI system's start time unless a flag gives one", () => {
    const env = azurePipelinesEnv.build();
    expect(resolve(env).startedAt).toBe("2024-05-01T10:15:42.000Z");
    expect(resolve(env, { startedAt: "2024-06-01T00:00:00Z" }).startedAt).toBe("2024-06-01T00:00:00.000Z");
  });

  it.each<[string, RunMetadataFlags, string]>([
    ["a zero attempt", { attempt: "0" }, "--attempt"],
    ["a negative attempt", { attempt: "-1" }, "--attempt"],
    ["a fractional attempt", { attempt: "1.5" }, "--attempt"],
    ["a word as attempt", { attempt: "two" }, "--attempt"],
    ["a numeric zero attempt", { attempt: 0 }, "--attempt"],
    ["a numeric fractional attempt", { attempt: 2.5 }, "--attempt"],
    ["a non-finite attempt", { attempt: Number.NaN }, "--attempt"],
    ["a start time that is no date", { startedAt: "last tuesday" }, "--started-at"],
    ["a start time without a year", { startedAt: "1" }, "--started-at"],
    ["a day that does not exist", { startedAt: "2024-02-30T00:00:00Z" }, "--started-at"],
    ["a month that does not exist", { startedAt: "2024-13-01" }, "--started-at"],
    ["a commit with whitespace", { commit: "abc def" }, "--commit"],
    ["a commit longer than 200 characters", { commit: "a".repeat(201) }, "--commit"],
  ])("rejects %s with a USAGE error naming the flag", (_, flags, flag) => {
    const error = thrownKaizenError(() => resolve({}, flags));
    expect(error.code).toBe("USAGE");
    expect(error.message).toContain(flag);
    expect(error.httpStatus).toBe(400);
  });

  it("keeps an explicit short or symbolic commit as given, lower-casing hex SHAs", () => {
    expect(resolve({}, { commit: "abc" }).commitSha).toBe("abc");
    expect(resolve({}, { commit: "ABCDEF12" }).commitSha).toBe("abcdef12");
    expect(resolve({}, { commit: "v1.2.3" }).commitSha).toBe("v1.2.3");
  });

  it("rejects an invalid KAIZEN_COMMIT naming the variable, unless --commit overrides it", () => {
    const error = thrownKaizenError(() => resolve({ KAIZEN_COMMIT: "not a sha" }));
    expect(error.code).toBe("USAGE");
    expect(error.message).toContain("KAIZEN_COMMIT");
    expect(resolve({ KAIZEN_COMMIT: "not a sha" }, { commit: "abcd" }).commitSha).toBe("abcd");
  });

  it("normalizes what git gives, and ignores a commit that is not a SHA", () => {
    const git = { commitSha: "not a sha", branch: "refs/heads/main" };
    expect(resolve({}, {}, git)).toMatchObject({ commitSha: null, branch: "main" });
  });

  describe("project", () => {
    it("is --project, then KAIZEN_PROJECT, then the CI repository slug, then default", () => {
      const env = githubActionsEnv.build();
      expect(resolve({ ...env, KAIZEN_PROJECT: "from-env" }, { project: "from-flag" }).project).toBe("from-flag");
      expect(resolve({ ...env, KAIZEN_PROJECT: "from-env" }).project).toBe("from-env");
      expect(resolve(env).project).toBe(env.GITHUB_REPOSITORY);
      expect(resolve(localEnv.build()).project).toBe("default");
    });

    it.each([
      ["git@github.com:acme/shop.git", "acme/shop"],
      ["https://github.com/acme/shop.git", "acme/shop"],
      ["https://github.com/acme/shop/", "acme/shop"],
      ["ssh://git@bitbucket.example.com:7999/acme/shop.git", "acme/shop"],
      ["https://gitlab.com/group/subgroup/shop", "group/subgroup/shop"],
      ["https://token:x-oauth@github.com/acme/shop.git?ref=main", "acme/shop"],
      ["https://github.com/", "default"],
    ])("takes the owner/name of %s", (repository, project) => {
      expect(resolve(buildkiteEnv.build({ BUILDKITE_REPO: repository })).project).toBe(project);
    });

    it("uses the repository name as it is when the CI gives no owner (Azure Repos)", () => {
      expect(resolve(azurePipelinesEnv.build({ BUILD_REPOSITORY_NAME: "shop" })).project).toBe("shop");
    });

    it("keeps a repository address that is not a valid URL as it is", () => {
      const metadata = resolve(buildkiteEnv.build({ BUILDKITE_REPO: "https://[broken/acme/shop.git" }));
      expect(metadata.repository).toBe("https://[broken/acme/shop.git");
      expect(metadata.project).toBe("acme/shop");
    });
  });
});
