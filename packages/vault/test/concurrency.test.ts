/**
 * Several processes on one data dir at once: the first opens create one vault between them,
 * concurrent writes never lose an update or reuse a version number, and the audit chain
 * stays whole.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { acks, spawnWriter } from "./support/children.ts";
import { ANA, tempVault } from "./support/temp-vault.ts";

const CHILDREN = 3;
const WRITES = 40;
const NAMES = ["SAP_USER", "SAP_PASSWORD", "API_KEY"];

describe("concurrent processes", () => {
  it("create one vault, serialise writes, and never collide on a version", async () => {
    const t = tempVault();
    try {
      const children = Array.from({ length: CHILDREN }, () =>
        spawnWriter(["shared", t.dataDir, t.keyFile, String(WRITES), NAMES.join(",")]),
      );
      const ready = await Promise.all(children.map((c) => c.waitFor((l) => l.startsWith("ready"))));
      assert.equal(new Set(ready).size, 1, "all children opened the same vault");
      for (const child of children) child.process.stdin.end("go\n");

      // The parent reads and writes at the same time, through its own instance.
      const vault = t.open();
      let parentWrites = 0;
      const running = () => children.some((c) => !c.lines.includes("done"));
      for (let i = 0; i < 200 && running(); i++) {
        vault.setSecret(ANA, "PARENT_ONLY", `p-${i}`);
        parentWrites++;
        for (const name of NAMES) vault.getSecret(ANA, name);
        await new Promise((resolve) => setImmediate(resolve));
      }

      const results = await Promise.all(children.map((c) => c.exited));
      for (const r of results) assert.equal(r.code, 0, r.stderr);

      const all = children.flatMap((c) => acks(c.lines));
      assert.equal(all.length, CHILDREN * WRITES);
      const keys = all.map(([name, version]) => `${name}@${version}`);
      assert.equal(new Set(keys).size, keys.length, "no version was handed out twice");
      for (const name of NAMES) {
        const writes = all.filter(([n]) => n === name).length;
        assert.equal(vault.secretInfo(ANA, name)?.version, writes, `${name}: no lost update`);
      }
      assert.equal(vault.secretInfo(ANA, "PARENT_ONLY")?.version, parentWrites);
      const verification = vault.verifyAudit();
      assert.deepEqual(verification.problems, []);
      assert.equal(verification.count, CHILDREN * WRITES * 2);
    } finally {
      t.cleanup();
    }
  });

  it("keeps two instances in one process consistent", () => {
    const t = tempVault();
    try {
      const a = t.open();
      const b = t.open();
      a.setSecret(ANA, "SAP_USER", "from a");
      assert.equal(b.getSecret(ANA, "SAP_USER")?.value, "from a");
      assert.equal(b.setSecret(ANA, "SAP_USER", "from b").version, 2);
      assert.equal(a.getSecret(ANA, "SAP_USER")?.value, "from b");
      a.appendAudit({ type: "login" });
      b.appendAudit({ type: "logout" });
      assert.deepEqual(
        a.listAudit().map((e) => e.type),
        ["logout", "login"],
      );
      assert.equal(b.verifyAudit().ok, true);
    } finally {
      t.cleanup();
    }
  });
});
