/**
 * kill -9 during a burst of writes: every write the child acknowledged (after the call returned)
 * is there after a reopen, the vault opens, and the audit chain verifies.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { acks, spawnWriter } from "./support/children.ts";
import { ANA, tempVault } from "./support/temp-vault.ts";

describe("durability", () => {
  it("loses no acknowledged write when the writer is killed with SIGKILL", async () => {
    const t = tempVault();
    try {
      t.open().close();
      for (const [round, killAfter] of [
        [0, 25],
        [1, 60],
        [2, 3],
      ] as const) {
        const prefix = `R${round}`;
        const child = spawnWriter(["burst", t.dataDir, t.keyFile, "5000", prefix]);
        await child.waitFor((l) => l.startsWith("ready"));
        child.process.stdin.end("go\n");
        let seen = 0;
        await child.waitFor((l) => l.startsWith("ack ") && ++seen >= killAfter);
        child.process.kill("SIGKILL");
        const exit = await child.exited;
        assert.equal(exit.signal, "SIGKILL", "the child was killed mid-burst");

        const acknowledged = acks(child.lines);
        assert.ok(acknowledged.length >= killAfter);
        assert.ok(acknowledged.length < 5000);
        const vault = t.open();
        for (const [name] of acknowledged) {
          const i = Number(name.split("_")[1]);
          assert.equal(vault.getSecret(ANA, name)?.value, `value-${prefix}-${i}`, name);
          assert.equal(vault.listAudit({ name, type: "secret.set" }).length, 1, name);
        }
        assert.deepEqual(vault.verifyAudit().problems, []);
        vault.close();
      }
    } finally {
      t.cleanup();
    }
  });
});
