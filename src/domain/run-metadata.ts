/** The CI systems whose environment Kaizen reads; `local` when none is detected. */
export type CiProvider =
  "github-actions" | "gitlab-ci" | "circleci" | "buildkite" | "jenkins" | "azure-pipelines" | "local";

/** Every {@link CiProvider}. */
export const CI_PROVIDERS: readonly CiProvider[] = [
  "github-actions",
  "gitlab-ci",
  "circleci",
  "buildkite",
  "jenkins",
  "azure-pipelines",
  "local",
];

/**
 * What Kaizen records about the CI run a report came from. Fields a CI system does not
 * provide are `null`, never guessed.
 */
export interface RunMetadata {
  /** Project key (from `--project`, `KAIZEN_PROJECT`, the CI repository slug, or `default`). */
  readonly project: string;
  /** The CI system. */
  readonly provider: CiProvider;
  /** The CI run's id (stable across re-run attempts), or `null` when run locally without `--run-id`. */
  readonly ciRunId: string | null;
  /** 1-based attempt of the CI run (re-runs of the same run count up). */
  readonly attempt: number;
  /** Full commit SHA, or `null`. */
  readonly commitSha: string | null;
  /** Branch name without `refs/heads/`, or `null`. */
  readonly branch: string | null;
  /** Pull/merge request number or id, or `null`. */
  readonly pullRequest: string | null;
  /** The CI job's name or id, or `null`. */
  readonly job: string | null;
  /** The workflow or pipeline name, or `null`. */
  readonly workflow: string | null;
  /** Web URL of the run, or `null`. */
  readonly url: string | null;
  /** Repository slug or URL, or `null`. */
  readonly repository: string | null;
  /** ISO-8601 start of the run, or `null`. */
  readonly startedAt: string | null;
}
