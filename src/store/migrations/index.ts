import type { Migration, MigrationProvider } from "kysely";
import type { DialectName } from "../dialect-name.js";
import * as history from "./0001-history.js";
import * as resultsByReport from "./0002-results-by-report.js";
import * as clusters from "./0003-clusters.js";
import * as labels from "./0004-labels.js";
import * as models from "./0005-models.js";
import * as testExecutions from "./0006-test-executions.js";
import * as reportResultRanges from "./0007-report-result-ranges.js";
import * as testsWithoutProjectKey from "./0008-tests-without-project-key.js";

/**
 * The migrations, in order, one set for both dialects. Each module's `up` receives the
 * dialect for the few column types that differ (serial ids, blobs).
 */
export function migrationProvider(dialect: DialectName): MigrationProvider {
  const all: Record<string, Migration> = {
    "0001-history": { up: (db) => history.up(db, dialect) },
    "0002-results-by-report": { up: (db) => resultsByReport.up(db) },
    "0003-clusters": { up: (db) => clusters.up(db, dialect) },
    "0004-labels": { up: (db) => labels.up(db, dialect) },
    "0005-models": { up: (db) => models.up(db, dialect) },
    "0006-test-executions": { up: (db) => testExecutions.up(db, dialect) },
    "0007-report-result-ranges": { up: (db) => reportResultRanges.up(db, dialect) },
    "0008-tests-without-project-key": { up: (db) => testsWithoutProjectKey.up(db, dialect) },
  };
  return { getMigrations: () => Promise.resolve(all) };
}
