/**
 * Every storage and API test loops over `dialects()`: SQLite in a temp file always, PostgreSQL
 * in a fresh schema when HEPTORA_TEST_DATABASE_URL is set (test files run in parallel, so each
 * database gets its own schema, dropped at the end).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openDatabase } from "../../src/db/open-db.ts";
import type { Dialect, SqlDb } from "../../src/db/sql-db.ts";

export interface TestDatabase {
  readonly dialect: Dialect;
  /** What `--db` takes: a file path or a postgres URL bound to the test schema. */
  readonly target: string;
  /** Opens (and migrates) a connection; closed by `drop()`. */
  connect(): Promise<SqlDb>;
  /** Closes every connection and removes the database. */
  drop(): Promise<void>;
}

export interface DialectCase {
  readonly name: Dialect;
  create(): Promise<TestDatabase>;
}

function tracked(target: string, dialect: Dialect, remove: () => Promise<void>): TestDatabase {
  const open: SqlDb[] = [];
  return {
    dialect,
    target,
    async connect() {
      const db = await openDatabase(target);
      open.push(db);
      return db;
    },
    async drop() {
      for (const db of open.splice(0)) await db.close().catch(() => undefined);
      await remove();
    },
  };
}

const sqlite: DialectCase = {
  name: "sqlite",
  async create() {
    const dir = mkdtempSync(join(tmpdir(), "heptora-platform-test-"));
    return tracked(join(dir, "platform.db"), "sqlite", async () => {
      rmSync(dir, { recursive: true, force: true });
    });
  },
};

function postgres(baseUrl: string): DialectCase {
  return {
    name: "postgres",
    async create() {
      const schema = `t_${randomBytes(6).toString("hex")}`;
      const admin = new pg.Client({ connectionString: baseUrl });
      await admin.connect();
      try {
        await admin.query(`CREATE SCHEMA ${schema}`);
      } finally {
        await admin.end();
      }
      const url = new URL(baseUrl);
      url.searchParams.set("options", `-c search_path=${schema}`);
      return tracked(url.toString(), "postgres", async () => {
        const cleaner = new pg.Client({ connectionString: baseUrl });
        await cleaner.connect();
        try {
          await cleaner.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        } finally {
          await cleaner.end();
        }
      });
    },
  };
}

/** The dialects to test on, SQLite first. */
export function dialects(): DialectCase[] {
  const url = process.env.HEPTORA_TEST_DATABASE_URL;
  return url ? [sqlite, postgres(url)] : [sqlite];
}
