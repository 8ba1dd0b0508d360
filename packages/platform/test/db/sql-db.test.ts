import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { migrate } from "../../src/db/migrate.ts";
import { MIGRATIONS, migrationSql } from "../../src/db/migrations.ts";
import { isUniqueViolation } from "../../src/db/sql-db.ts";
import { dialects } from "../support/dialects.ts";

for (const dialect of dialects()) {
  describe(`SqlDb on ${dialect.name}`, () => {
    it("runs the same statements, with $n placeholders, on the dialect", async () => {
      const tdb = await dialect.create();
      try {
        const db = await tdb.connect();
        await db.run("CREATE TABLE t (id TEXT PRIMARY KEY, n BIGINT NOT NULL)");
        await db.run("INSERT INTO t (id, n) VALUES ($1, $2), ($3, $2)", [
          "a",
          1_700_000_000_000,
          "b",
        ]);
        const rows = await db.all<{ id: string; n: number }>(
          "SELECT id, n FROM t WHERE n = $1 ORDER BY id",
          [1_700_000_000_000],
        );
        assert.deepEqual(
          rows.map((r) => ({ ...r })),
          [
            { id: "a", n: 1_700_000_000_000 },
            { id: "b", n: 1_700_000_000_000 },
          ],
        );
        assert.deepEqual(await db.values("SELECT id, n FROM t ORDER BY id"), [
          ["a", 1_700_000_000_000],
          ["b", 1_700_000_000_000],
        ]);
        const count = await db.get<{ c: number }>("SELECT COUNT(*) AS c FROM t");
        assert.equal(count?.c, 2);
        await assert.rejects(db.run("INSERT INTO t (id, n) VALUES ($1, $2)", ["a", 1]), (error) =>
          isUniqueViolation(error),
        );
      } finally {
        await tdb.drop();
      }
    });

    it("rolls a transaction back when it throws, and commits otherwise", async () => {
      const tdb = await dialect.create();
      try {
        const db = await tdb.connect();
        await db.run("CREATE TABLE t (id TEXT PRIMARY KEY)");
        await assert.rejects(
          db.transaction(async (tx) => {
            await tx.run("INSERT INTO t (id) VALUES ($1)", ["gone"]);
            throw new Error("boom");
          }),
          /boom/,
        );
        await db.transaction(async (tx) => {
          await tx.run("INSERT INTO t (id) VALUES ($1)", ["kept"]);
        });
        const rows = await db.all<{ id: string }>("SELECT id FROM t");
        assert.deepEqual(
          rows.map((r) => r.id),
          ["kept"],
        );
      } finally {
        await tdb.drop();
      }
    });

    it("keeps other statements out of an open transaction", async () => {
      const tdb = await dialect.create();
      try {
        const db = await tdb.connect();
        await db.run("CREATE TABLE t (id TEXT PRIMARY KEY)");
        let release: () => void = () => undefined;
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        const tx = db
          .transaction(async (t) => {
            await t.run("INSERT INTO t (id) VALUES ($1)", ["in-tx"]);
            await gate;
            throw new Error("rolled back");
          })
          .catch(() => "rolled back");
        const outside = db.run("INSERT INTO t (id) VALUES ($1)", ["outside"]);
        release();
        assert.equal(await tx, "rolled back");
        await outside;
        const rows = await db.all<{ id: string }>("SELECT id FROM t");
        assert.deepEqual(
          rows.map((r) => r.id),
          ["outside"],
        );
      } finally {
        await tdb.drop();
      }
    });

    it("migrates once when two instances start at the same time", async () => {
      const tdb = await dialect.create();
      try {
        const [a, b] = await Promise.all([tdb.connect(), tdb.connect()]);
        // connect() already migrated both; running again on both at once applies nothing.
        const results = await Promise.all([migrate(a), migrate(b)]);
        assert.deepEqual(
          results.map((r) => r.applied),
          [[], []],
        );
        const versions = await a.all<{ version: number }>(
          "SELECT version FROM schema_migrations ORDER BY version",
        );
        assert.deepEqual(
          versions.map((v) => v.version),
          MIGRATIONS.map((m) => m.version),
        );
      } finally {
        await tdb.drop();
      }
    });

    it("migration 4 gives a robot's existing status report to its current owner", async () => {
      const tdb = await dialect.create();
      try {
        const db = await tdb.connect();
        // Back to the schema-3 shape of the report, with a report in it.
        await db.run("DROP TABLE robot_reports");
        await db.run("DROP TABLE robot_secrets");
        await db.run(`CREATE TABLE robot_secrets (
          robot_id TEXT NOT NULL REFERENCES robots (id) ON DELETE CASCADE,
          name TEXT NOT NULL,
          is_set INTEGER NOT NULL,
          updated_at BIGINT,
          PRIMARY KEY (robot_id, name)
        )`);
        await db.run("INSERT INTO organizations (id, name, created_at) VALUES ('o', 'O', 0)");
        await db.run(
          `INSERT INTO users (id, org_id, email, role, created_at, updated_at)
           VALUES ('u', 'o', 'ana@example.com', 'member', 0, 0)`,
        );
        await db.run(
          `INSERT INTO robots (id, user_id, name, machine_id, created_at, status_at)
           VALUES ('r', 'u', 'pc', 'm', 0, 42)`,
        );
        await db.run(
          "INSERT INTO robot_secrets (robot_id, name, is_set, updated_at) VALUES ('r', 'A', 1, 7), ('r', 'B', 0, NULL)",
        );
        const v4 = MIGRATIONS.find((m) => m.version === 4);
        assert.ok(v4);
        await db.transaction(async (tx) => {
          for (const sql of migrationSql(v4, tdb.dialect)) await tx.run(sql);
        });
        const rows = await db.all<Record<string, unknown>>(
          "SELECT robot_id, user_id, name, is_set, updated_at FROM robot_secrets ORDER BY name",
        );
        assert.deepEqual(
          rows.map((r) => ({ ...r })),
          [
            { robot_id: "r", user_id: "u", name: "A", is_set: 1, updated_at: 7 },
            { robot_id: "r", user_id: "u", name: "B", is_set: 0, updated_at: null },
          ],
        );
        const reports = await db.all<Record<string, unknown>>("SELECT * FROM robot_reports");
        assert.deepEqual(
          reports.map((r) => ({ ...r })),
          [{ robot_id: "r", user_id: "u", reported_at: 42 }],
        );
      } finally {
        await tdb.drop();
      }
    });

    it("gives existing variables a distinct id when migrating to version 5", async () => {
      const tdb = await dialect.create();
      try {
        const db = await tdb.connect();
        // Back to version 4: no variable ids.
        await db.run("DROP INDEX variables_id");
        await db.run("ALTER TABLE variables DROP COLUMN id");
        await db.run("DELETE FROM schema_migrations WHERE version = 5");
        await db.run("INSERT INTO organizations (id, name, created_at) VALUES ('o', 'Org', 0)");
        await db.run(
          `INSERT INTO processes (id, org_id, name, name_key, created_at, updated_at)
           VALUES ('p', 'o', 'P', 'p', 0, 0)`,
        );
        for (const [i, name] of ["A", "B", "C"].entries()) {
          await db.run(
            `INSERT INTO variables (process_id, name, secret, position, created_at, updated_at)
             VALUES ('p', $1, 1, $2, 0, 0)`,
            [name, i + 1],
          );
        }
        assert.deepEqual((await migrate(db)).applied, [5]);
        const rows = await db.all<{ id: string }>("SELECT id FROM variables ORDER BY name");
        assert.equal(rows.length, 3);
        assert.ok(rows.every((r) => /^[0-9a-f]{32}$/.test(r.id)));
        assert.equal(new Set(rows.map((r) => r.id)).size, 3);
      } finally {
        await tdb.drop();
      }
    });

    it("refuses a database whose schema is newer than this build", async () => {
      const tdb = await dialect.create();
      try {
        const db = await tdb.connect();
        await db.run(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'x', 0)",
        );
        await assert.rejects(migrate(db), { code: "service_unavailable" });
      } finally {
        await tdb.drop();
      }
    });
  });
}
