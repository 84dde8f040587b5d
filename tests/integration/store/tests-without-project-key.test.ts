import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KyselyStore } from "../../../src/store/kysely-store.js";
import { up as dropTestsProjectKey } from "../../../src/store/migrations/0008-tests-without-project-key.js";
import { normalizedResultFactory } from "../../factories/test-report.js";
import { dialectsUnderTest, freshStore } from "../../support/store-dialects.js";
import { PROJECT, runKey, storeRun } from "../../support/stored-runs.js";

/** The foreign keys of `tests`, as the database describes them. */
async function testsKeys(store: KyselyStore): Promise<string[]> {
  const rows =
    store.dialect === "sqlite"
      ? await sql<{ name: string }>`select "table" as name from pragma_foreign_key_list('tests')`.execute(store.db)
      : await sql<{ name: string }>`select conname as name from pg_constraint
                                    where conrelid = 'tests'::regclass and contype = 'f'`.execute(store.db);
  return rows.rows.map((row) => row.name);
}

const testsOf = (store: KyselyStore) => store.db.selectFrom("tests").selectAll().orderBy("id").execute();

describe.each(dialectsUnderTest())("tests without a project key on $name", (dialect) => {
  let store: KyselyStore;

  beforeAll(async () => {
    store = await freshStore(dialect);
    await storeRun(
      store,
      runKey("first"),
      normalizedResultFactory.buildList(6, {}, { transient: { project: PROJECT } }),
    );
  });

  afterAll(async () => {
    await store.close();
    await dialect.cleanup();
  });

  it("leaves tests without a foreign key on SQLite, and keeps it on PostgreSQL", async () => {
    expect(await testsKeys(store)).toEqual(store.dialect === "sqlite" ? [] : [expect.any(String)]);
  });

  it("rebuilds a SQLite tests table that has the key, keeping every test, and finds itself done when run again", async () => {
    const before = await testsOf(store);
    expect(before).toHaveLength(6);
    if (store.dialect === "sqlite") {
      // The table as migration 0001 made it.
      await sql`create table tests_keyed (id text primary key, project_id integer not null references projects (id) on delete cascade,
                suite text not null, name text not null, file text, line integer, first_seen_at text not null)`.execute(
        store.db,
      );
      await sql`insert into tests_keyed select * from tests`.execute(store.db);
      await sql`drop table tests`.execute(store.db);
      await sql`alter table tests_keyed rename to tests`.execute(store.db);
      expect(await testsKeys(store)).toEqual(["projects"]);
    }
    const db = store.db as unknown as Kysely<unknown>;
    await dropTestsProjectKey(db, store.dialect);
    await dropTestsProjectKey(db, store.dialect);
    expect(await testsOf(store)).toEqual(before);
    expect(await testsKeys(store)).toEqual(store.dialect === "sqlite" ? [] : [expect.any(String)]);
    // Ingest goes on as before on the rebuilt table: known tests stay, new ones join them.
    await storeRun(
      store,
      runKey("second"),
      normalizedResultFactory.buildList(2, {}, { transient: { project: PROJECT } }),
    );
    expect(await testsOf(store)).toHaveLength(8);
  });
});
