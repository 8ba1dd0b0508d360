/**
 * Opens the database named by `--db` (a SQLite path or a postgres:// URL) and, unless told not
 * to (`serve --no-migrate`), migrates it.
 */
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { migrate } from "./migrate.ts";
import { openPostgresDb } from "./postgres-db.ts";
import type { SqlDb } from "./sql-db.ts";
import { openSqliteDb } from "./sqlite-db.ts";

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** The target without credentials, for messages and logs. */
export function describeDbTarget(target: string): string {
  if (!isPostgresUrl(target)) return resolve(target);
  try {
    const url = new URL(target);
    return `postgres://${url.hostname}${url.port ? `:${url.port}` : ""}${url.pathname}`;
  } catch {
    return "postgres://(unparsable URL)";
  }
}

export async function openDatabase(
  target: string,
  options: { readonly migrate?: boolean } = {},
): Promise<SqlDb> {
  let db: SqlDb;
  if (isPostgresUrl(target)) {
    db = openPostgresDb(target);
  } else {
    const path = resolve(target);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const fresh = !existsSync(path);
    db = openSqliteDb(path);
    if (fresh) chmodSync(path, 0o600);
  }
  if (options.migrate === false) return db;
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
}
