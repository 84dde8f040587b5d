import { sql, type Kysely } from "kysely";
import type { DialectName } from "../dialect-name.js";

/**
 * On SQLite, rebuilds `tests` without the foreign key from `project_id` to `projects`.
 * SQLite checks an immediate foreign key as each row is written, so a statement that writes
 * many rows into `tests` may have to undo itself half-way and copies every page it changes to
 * a statement journal first: on a report of a million new tests that was half a gigabyte of
 * temporary writes. Ingest is the only writer of `tests` and resolves the project itself, as
 * it already does for `results`, which never had foreign keys. PostgreSQL keeps the key: it
 * pays nothing of the kind.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect !== "sqlite") return;
  // Kysely runs SQLite migrations outside a transaction: this one takes its own, and finds
  // itself done if it committed before the migration was recorded.
  await db.transaction().execute(async (trx) => {
    const keys = await sql<{ table: string }>`select "table" from pragma_foreign_key_list('tests')`.execute(trx);
    if (keys.rows.length === 0) return;
    await trx.schema
      .createTable("tests_rebuilt")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("project_id", "integer", (c) => c.notNull())
      .addColumn("suite", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("file", "text")
      .addColumn("line", "integer")
      .addColumn("first_seen_at", "text", (c) => c.notNull())
      .execute();
    await sql`insert into tests_rebuilt (id, project_id, suite, name, file, line, first_seen_at)
              select id, project_id, suite, name, file, line, first_seen_at from tests order by id`.execute(trx);
    await trx.schema.dropTable("tests").execute();
    await trx.schema.alterTable("tests_rebuilt").renameTo("tests").execute();
  });
}
