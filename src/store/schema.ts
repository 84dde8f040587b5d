import type { ColumnType, Generated } from "kysely";

/**
 * The tables of the history store, as Kysely sees them. Times are ISO-8601 UTC strings in
 * both dialects (they sort as text), durations are milliseconds, ids are integers except
 * test ids, which are content hashes (see `domain/test-identity.ts`).
 */
export interface Database {
  projects: ProjectsTable;
  runs: RunsTable;
  reports: ReportsTable;
  tests: TestsTable;
  results: ResultsTable;
  test_executions: TestExecutionsTable;
  failures: FailuresTable;
  clusters: ClustersTable;
  cluster_keys: ClusterKeysTable;
  labels: LabelsTable;
  models: ModelsTable;
  artifacts: ArtifactsTable;
  artifact_chunks: ArtifactChunksTable;
  run_artifacts: RunArtifactsTable;
}

/** One project (a repository, usually); everything else belongs to one. */
export interface ProjectsTable {
  id: Generated<number>;
  key: string;
  created_at: string;
}

/** One attempt of one CI run. A re-run of the same CI run is another row with the next attempt. */
export interface RunsTable {
  id: Generated<number>;
  project_id: number;
  ci_run_id: string;
  attempt: number;
  provider: string;
  commit_sha: string | null;
  branch: string | null;
  pull_request: string | null;
  job: string | null;
  workflow: string | null;
  url: string | null;
  repository: string | null;
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
}

/** One report file ingested into a run, identified by its content hash. */
export interface ReportsTable {
  id: Generated<number>;
  run_id: number;
  sha256: string;
  format: string;
  path: string;
  size: number;
  tool: string | null;
  tool_version: string | null;
  started_at: string | null;
  duration_ms: number | null;
  tests: number;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  flaky: number;
  attempts: number;
  created_at: string;
  /** The first of the report's result ids (`null` while it is written, and for a report without results). */
  first_result_id: number | null;
  /** The last of the report's result ids; on SQLite every id between the two is the report's. */
  last_result_id: number | null;
}

/** A test's stable identity. */
export interface TestsTable {
  id: string;
  project_id: number;
  suite: string;
  name: string;
  file: string | null;
  line: number | null;
  first_seen_at: string;
}

/** One attempt of one test in one run. */
export interface ResultsTable {
  id: Generated<number>;
  run_id: number;
  report_id: number;
  test_id: string;
  seq: number;
  attempt: number;
  status: string;
  duration_ms: number | null;
  started_at: string | null;
  skip_reason: string | null;
  stdout: string | null;
  stderr: string | null;
  properties: string | null;
  tags: string | null;
}

/** One execution of a test: its attempts in one report taken together (see migration 0006). */
export interface TestExecutionsTable {
  report_id: number;
  test_id: string;
  run_id: number;
  attempts: number;
  /** Attempts that failed or errored. */
  failing: number;
  /** The execution's last attempt (highest id), whose status is its outcome. */
  last_result_id: number;
  status: string;
}

/**
 * The failure of one failed or errored attempt. The learning columns (fingerprint, template,
 * cluster, category, confidence, source) are filled by analysis, not by ingest.
 */
export interface FailuresTable {
  id: Generated<number>;
  result_id: number;
  run_id: number;
  test_id: string;
  type: string | null;
  message: string;
  stack: string | null;
  fingerprint: string | null;
  template: string | null;
  cluster_id: number | null;
  category: string | null;
  confidence: number | null;
  source: string | null;
  /** 1 when a later attempt of the same test in the same report passed. */
  passed_on_retry: Generated<number>;
}

/** A failure cluster: the failures of one root cause, across tests and runs. */
export interface ClustersTable {
  id: Generated<number>;
  project_id: number;
  /** Hash of the exception type and project frames: the code site the failures come from. */
  site: string;
  exception_type: string | null;
  /** The message template (values as `<*>`), widened as near-duplicates join. */
  template: string;
  /** JSON array of the project frames, `file:function`. */
  frames: string;
  title: string;
  category: string | null;
  /** `rule`, `model` or `human`. */
  category_source: string | null;
  confidence: number | null;
  failures: number;
  first_seen_run_id: number;
  first_seen_at: string;
  last_seen_run_id: number;
  last_seen_at: string;
}

/** A version of a learned model, its evaluation and parameters (JSON). */
export interface ModelsTable {
  id: Generated<number>;
  project_id: number;
  version: number;
  kind: string;
  created_at: string;
  training_examples: number;
  human_examples: number;
  labelled_clusters: number;
  failures_seen: number;
  accuracy: number;
  macro_f1: number;
  evaluation: string;
  parameters: string;
  promoted: number;
  reason: string;
}

/** A person's category for the cluster of a failure. */
export interface LabelsTable {
  id: Generated<number>;
  failure_id: number;
  category: string;
  note: string | null;
  created_at: string;
}

/** Which cluster a failure fingerprint belongs to. */
export interface ClusterKeysTable {
  project_id: number;
  fingerprint: string;
  cluster_id: number;
}

/** A content-addressed, compressed blob: a raw report or a build log. */
export interface ArtifactsTable {
  sha256: string;
  media_type: string;
  encoding: string;
  size: number;
  stored_size: number;
  created_at: string;
}

/** The compressed bytes of an artifact, in order. */
export interface ArtifactChunksTable {
  sha256: string;
  seq: number;
  data: ColumnType<Buffer, Buffer, never>;
}

/** Which artifacts belong to a run, and as what. */
export interface RunArtifactsTable {
  run_id: number;
  sha256: string;
  kind: string;
  name: string;
}
