import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ensureDemoAccount } from "../src/demo.ts";
import { ORIGIN, startTestApp } from "./support/app.ts";
import { dialects } from "./support/dialects.ts";

for (const dialect of dialects()) {
  describe(`the npm start demo account on ${dialect.name}`, () => {
    it("is created once with a sample process, and its password shown again later", async () => {
      const t = await startTestApp(dialect);
      const dataDir = mkdtempSync(join(tmpdir(), "heptora-demo-"));
      try {
        const first = await ensureDemoAccount(t.db, t.app, dataDir, ORIGIN);
        assert.equal(first.created, true);
        assert.equal(first.email, "admin@example.com");
        assert.ok((first.password?.length ?? 0) >= 12);
        assert.equal(statSync(first.credentialsFile).mode & 0o777, 0o600);
        const again = await ensureDemoAccount(t.db, t.app, dataDir, ORIGIN);
        assert.deepEqual(again, { ...first, created: false });
        const admin = await t.login(first.email, first.password ?? "");
        const { processes } = (await admin.request("GET", "/api/v1/processes")).json();
        assert.equal(processes.length, 1);
        assert.equal(processes[0].name, "Invoice Processing");
        assert.deepEqual(processes[0].assigneeIds, [admin.user.id]);
      } finally {
        await t.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}
