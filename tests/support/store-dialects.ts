import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { openStore, type StoreLocation } from "../../src/store/open-store.js";

/** One database the store tests run against: a fresh, empty database per call of `create`. */
export interface DialectUnderTest {
  readonly name: "sqlite" | "postgres";
  /** A fresh empty database location. */
  create(): Promise<StoreLocation>;
  /** Removes everything `create` made. */
  cleanup(): Promise<void>;
}

let counter = 0;

function sqliteDialect(): DialectUnderTest {
  const dirs: string[] = [];
  return {
    name: "sqlite",
    create: () => {
      const dir = mkdtempSync(join(tmpdir(), "kaizen-sqlite-"));
      dirs.push(dir);
      return Promise.resolve({ sqlitePath: join(dir, "kaizen.db") });
    },
    cleanup: () => {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

function postgresDialect(): DialectUnderTest {
  const admin = inject("postgresUrl");
  const created: string[] = [];
  return {
    name: "postgres",
    create: async () => {
      const name = `kaizen_test_${process.pid}_${Date.now()}_${counter++}`;
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(`create database ${name}`);
      } finally {
        await client.end();
      }
      created.push(name);
      const url = new URL(admin);
      url.pathname = `/${name}`;
      return { databaseUrl: url.toString() };
    },
    cleanup: async () => {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        for (const name of created.splice(0)) await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Both dialects; every store test runs once per entry (use with `describe.each`). */
export function dialectsUnderTest(): DialectUnderTest[] {
  return [sqliteDialect(), postgresDialect()];
}

/** Opens a fresh store on `dialect`. */
export async function freshStore(dialect: DialectUnderTest): Promise<KyselyStore> {
  return openStore(await dialect.create());
}
