/**
 * Applies pending migrations, at start-up or as `heptora-platform migrate`. Safe when several
 * instances start at once: the whole run holds the database-wide lock (a PostgreSQL advisory
 * lock; SQLite's BEGIN IMMEDIATE), and each migration re-checks its version inside its own
 * transaction before applying, so the second instance waits and then finds nothing to do.
 */
import { HeptoraError } from "@heptora/protocol";
import { MIGRATIONS, type Migration, migrationSql } from "./migrations.ts";
import type { SqlDb } from "./sql-db.ts";

export async function migrate(
  db: SqlDb,
  migrations: readonly Migration[] = MIGRATIONS,
  now: () => number = Date.now,
): Promise<{ applied: number[] }> {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  const latest = ordered.at(-1)?.version ?? 0;
  return db.exclusive(async (locked) => {
    await locked.run(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at BIGINT NOT NULL
      )`,
    );
    const newest = await locked.get<{ version: number | null }>(
      "SELECT MAX(version) AS version FROM schema_migrations",
    );
    if ((newest?.version ?? 0) > latest) {
      throw new HeptoraError("service_unavailable", {
        message: `The database has schema version ${newest?.version}, newer than this Heptora knows (${latest}).`,
        hint: "Upgrade heptora-platform, or point --db at another database.",
      });
    }
    const applied: number[] = [];
    for (const migration of ordered) {
      await locked.transaction(async (tx) => {
        const done = await tx.get("SELECT 1 AS done FROM schema_migrations WHERE version = $1", [
          migration.version,
        ]);
        if (done !== undefined) return;
        for (const sql of migrationSql(migration, tx.dialect)) await tx.run(sql);
        await tx.run(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
          [migration.version, migration.name, now()],
        );
        applied.push(migration.version);
      });
    }
    return { applied };
  });
}

/** The newest migration this build knows. */
export const LATEST_SCHEMA_VERSION = Math.max(0, ...MIGRATIONS.map((m) => m.version));

/**
 * The schema version the database is at (0 when it was never migrated). Throws when the database
 * does not answer at all.
 */
export async function schemaVersion(db: SqlDb): Promise<number> {
  await db.get("SELECT 1 AS one");
  try {
    const row = await db.get<{ version: number | string | null }>(
      "SELECT MAX(version) AS version FROM schema_migrations",
    );
    return Number(row?.version ?? 0);
  } catch {
    // The database answers, but has no schema_migrations table: never migrated.
    return 0;
  }
}
