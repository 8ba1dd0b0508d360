/**
 * A full disk (ADR 0069): writes fail cleanly with 507 disk_full and a message that says so,
 * nothing acknowledged before is lost, and the platform keeps serving. On SQLite the real
 * SQLITE_FULL path (PRAGMA max_page_count); on PostgreSQL the driver's 53100 disk_full error,
 * raised by a database wrapper at the moment the disk "fills" (a real full disk on a shared test
 * server is not something a test can arrange).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SqlDb, SqlExecutor, SqlValue } from "../../src/db/sql-db.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { dialects, type TestDatabase } from "../support/dialects.ts";

const description = "Posts supplier invoices to SAP. ".repeat(30).trim();

/** Creates processes until one is refused; returns the names acknowledged and the refusal. */
async function fillUp(admin: Awaited<ReturnType<TestApp["admin"]>>) {
  const acknowledged: string[] = [];
  for (let i = 0; i < 500; i++) {
    const name = `Process ${i}`;
    const answer = await admin.request("POST", "/api/v1/processes", { name, description });
    if (answer.statusCode !== 201) return { acknowledged, refusal: answer };
    acknowledged.push(name);
  }
  assert.fail("the disk never filled up");
}

async function assertFullDiskHandled(t: TestApp, makeRoom: () => Promise<void>) {
  const admin = await t.admin();
  const { acknowledged, refusal } = await fillUp(admin);
  assert.ok(acknowledged.length > 0, "some writes fitted before the disk filled");
  assert.equal(refusal.statusCode, 507, refusal.body);
  const { error } = refusal.json();
  assert.equal(error.code, "disk_full");
  assert.match(error.message, /disk is full/);
  assert.match(error.hint, /free space/i);
  // Every acknowledged write is there, and reads are still served while the disk is full.
  const listed = (await admin.request("GET", "/api/v1/processes")).json();
  assert.deepEqual(
    listed.processes.map((p: { name: string }) => p.name).sort(),
    [...acknowledged].sort(),
  );
  // The refused one left nothing behind, not even half (its audit entry included).
  const audit = (await admin.request("GET", "/api/v1/audit?action=process.created")).json();
  assert.equal(audit.events.length, acknowledged.length);
  // Once there is room again, the same write goes through without a restart.
  await makeRoom();
  const again = await admin.request("POST", "/api/v1/processes", {
    name: `Process ${acknowledged.length}`,
    description,
  });
  assert.equal(again.statusCode, 201, again.body);
}

for (const dialect of dialects()) {
  if (dialect.name === "sqlite") {
    describe("a full disk on sqlite (SQLITE_FULL)", () => {
      it("refuses writes with 507 disk_full, loses nothing acknowledged and keeps serving", async () => {
        const t = await startTestApp(dialect);
        try {
          await t.admin();
          const pages = await t.db.get<{ page_count: number }>("PRAGMA page_count");
          assert.ok(pages !== undefined);
          // The database may not grow: the next write that needs a new page fails for real.
          await t.db.run(`PRAGMA max_page_count = ${pages.page_count + 2}`);
          await assertFullDiskHandled(t, async () => {
            await t.db.run("PRAGMA max_page_count = 1073741823");
          });
        } finally {
          await t.close();
        }
      });
    });
  } else {
    describe("a full disk on postgres (53100 disk_full)", () => {
      it("refuses writes with 507 disk_full, loses nothing acknowledged and keeps serving", async () => {
        const real = await dialect.create();
        let full = false;
        let inserts = 0;
        const failing = (executor: SqlExecutor): SqlExecutor => ({
          dialect: executor.dialect,
          all: (sql, params) => executor.all(sql, params),
          get: (sql, params) => executor.get(sql, params),
          values: (sql, params) => executor.values(sql, params),
          async run(sql: string, params?: readonly SqlValue[]) {
            if (/^\s*INSERT INTO processes/i.test(sql) && ++inserts > 3) full = true;
            if (full && /^\s*INSERT/i.test(sql)) {
              throw Object.assign(new Error('could not extend file "base/16384/2619"'), {
                code: "53100",
                severity: "ERROR",
              });
            }
            return executor.run(sql, params);
          },
        });
        const database: TestDatabase = {
          ...real,
          async connect() {
            const db = await real.connect();
            const wrapped: SqlDb = {
              ...failing(db),
              transaction: (fn) => db.transaction((tx) => fn(failing(tx))),
              exclusive: (fn) => db.exclusive(fn),
              close: () => db.close(),
            };
            return wrapped;
          },
        };
        const t = await startTestApp(dialect, { database });
        try {
          await assertFullDiskHandled(t, async () => {
            full = false;
            inserts = Number.NEGATIVE_INFINITY;
          });
        } finally {
          await t.close();
          await real.drop();
        }
      });
    });
  }
}
