/**
 * Rotating the data key (docs/adr/0080), at the vault's face: values, history, settings,
 * definitions, run records and the audit chain survive it; nothing opens with the old key; slots
 * that cannot take the new key are refused or dropped; a tampered vault is not re-keyed.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { ANA, codeOf, flipBlobBit, tempVault } from "./support/temp-vault.ts";

const BEA = "bea@example.com";

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: { code?: string }) => error.code === code);
}

describe("vault rotateKey", () => {
  it("re-seals values, history, settings, definitions and run commands under a new key", async () => {
    const t = tempVault();
    try {
      const vault = t.open();
      vault.setSecret(ANA, "SAP_USER", "ana-1");
      vault.setSecret(ANA, "SAP_USER", "ana-2");
      vault.setSecret(BEA, "SAP_USER", "bea-1");
      vault.setSecret(ANA, "OLD", "gone");
      vault.unsetSecret(ANA, "OLD");
      vault.setSetting("robot.token", "tok-123");
      vault.applyDefinitions({
        cursor: "c1",
        full: true,
        processes: [
          {
            id: "p1",
            name: "Invoices",
            description: "",
            variables: [{ name: "SAP_USER", secret: true, description: "" }],
          },
        ],
        removedProcessIds: [],
      });
      vault.runRecords.start({
        runId: "run-1",
        person: ANA,
        process: { id: "p1", name: "Invoices" },
        command: ["python", "main.py"],
        startedAt: new Date().toISOString(),
      });
      await vault.recordAudit({ type: "secret.read", name: "SAP_USER", outcome: "ok" });
      const keyFileBefore = readFileSync(t.keyFile, "utf8");
      const blobsBefore = t
        .raw()
        .prepare("SELECT ciphertext FROM secret_versions ORDER BY person, name, version")
        .all();
      const progress: number[] = [];

      const result = await vault.rotateKey({
        actor: "cli",
        onProgress: (p) => progress.push(p.done),
      });

      // Every stored blob changed, and the key file holds a new key for a new slot.
      const blobsAfter = t
        .raw()
        .prepare("SELECT ciphertext FROM secret_versions ORDER BY person, name, version")
        .all();
      assert.equal(blobsAfter.length, blobsBefore.length);
      for (const [i, row] of blobsAfter.entries()) assert.notDeepEqual(row, blobsBefore[i]);
      assert.equal(result.values, 2);
      assert.equal(result.versions, 4);
      assert.equal(result.persons, 2);
      assert.equal(result.runRecords, 1);
      assert.deepEqual(progress.at(-1), 4);
      // Same connection, new key: every read goes on.
      assert.equal(vault.getSecret(ANA, "SAP_USER")?.value, "ana-2");
      assert.equal(vault.getSecret(BEA, "SAP_USER")?.value, "bea-1");
      assert.equal(vault.getSecret(ANA, "OLD"), undefined);
      assert.deepEqual(
        vault.history(ANA, "SAP_USER").map((v) => v.version),
        [2, 1],
      );
      assert.equal(vault.restoreSecret(ANA, "SAP_USER", 1).version, 3);
      assert.equal(vault.getSecret(ANA, "SAP_USER")?.value, "ana-1");
      assert.equal(vault.getSetting("robot.token"), "tok-123");
      assert.equal(vault.definitions().cursor, "c1");
      assert.deepEqual(vault.runRecords.get(ANA, "run-1")?.command, ["python", "main.py"]);
      assert.deepEqual(vault.verifyAudit().problems, []);
      const rotated = vault.listAudit({ type: "vault.key_rotated" });
      assert.equal(rotated.length, 1);
      assert.equal(rotated[0]?.actor, "cli");
      assert.equal(vault.integrity().ok, true);
      assert.notEqual(readFileSync(t.keyFile, "utf8"), keyFileBefore);
      assert.equal(existsSync(`${t.keyFile}.next`), false);
      assert.equal(existsSync(`${t.keyFile}.checkpoint.next`), false);
      vault.close();

      // Reopened from disk: the new key file opens it, the chain verifies across the rotation,
      // and nothing reports tampering (the checkpoint moved with the key).
      const again = t.open();
      assert.equal(again.getSecret(ANA, "SAP_USER")?.value, "ana-1");
      assert.deepEqual(again.verifyAudit().problems, []);
      assert.deepEqual(again.integrity().problems, []);
      again.close();
    } finally {
      t.cleanup();
    }
  });

  it("keeps detecting an audit entry edited before the rotation", async () => {
    const t = tempVault();
    try {
      const vault = t.open();
      vault.setSecret(ANA, "A_NAME", "value-1");
      await vault.rotateKey();
      vault.setSecret(ANA, "A_NAME", "value-2");
      const raw = t.raw();
      const first = raw.prepare("SELECT seq, entry FROM audit ORDER BY seq LIMIT 1").get() as {
        seq: number;
        entry: string;
      };
      raw
        .prepare("UPDATE audit SET entry = ? WHERE seq = ?")
        .run(first.entry.replace('"ok"', '"failed"'), first.seq);
      raw.close();
      const problems = vault.verifyAudit().problems;
      assert.deepEqual(
        problems.map((p) => [p.seq, p.kind]),
        [[first.seq, "edited"]],
      );
    } finally {
      t.cleanup();
    }
  });

  it("re-wraps a passphrase slot given its passphrase, and issues a new recovery key", async () => {
    const t = tempVault();
    try {
      const vault = t.open();
      vault.setSecret(ANA, "SAP_USER", "ana");
      vault.addPassphraseSlot("correct horse battery");
      const { recoveryKey: oldRecovery } = vault.addRecoverySlot();
      await rejectsWith(vault.rotateKey(), "key_slots_not_rewrapped");
      await rejectsWith(
        vault.rotateKey({ passphrases: ["wrong passphrase"] }),
        "key_slots_not_rewrapped",
      );
      // Refused: nothing changed, the vault goes on.
      assert.equal(vault.getSecret(ANA, "SAP_USER")?.value, "ana");

      const result = await vault.rotateKey({ passphrases: ["correct horse battery"] });
      assert.equal(result.slots.length, 3);
      assert.match(result.recoveryKey ?? "", /^([0-9A-Z]{7}-){7}[0-9A-Z]{7}$/);
      vault.close();

      const byPassphrase = t.open({ passphrase: "correct horse battery" });
      assert.equal(byPassphrase.getSecret(ANA, "SAP_USER")?.value, "ana");
      byPassphrase.close();
      assert.equal(
        codeOf(() => t.open({ recoveryKey: oldRecovery })),
        "vault_locked",
      );
      const byRecovery = t.open({ recoveryKey: result.recoveryKey as string });
      assert.equal(byRecovery.getSecret(ANA, "SAP_USER")?.value, "ana");
      byRecovery.close();
    } finally {
      t.cleanup();
    }
  });

  it("drops the slots it cannot re-wrap only when asked to", async () => {
    const t = tempVault();
    try {
      const vault = t.open();
      vault.setSecret(ANA, "SAP_USER", "ana");
      vault.addPassphraseSlot("correct horse battery");
      const result = await vault.rotateKey({ dropSlots: true });
      assert.deepEqual(
        result.dropped.map((s) => s.kind),
        ["passphrase"],
      );
      assert.deepEqual(
        vault.keySlots().map((s) => s.kind),
        ["keyfile"],
      );
      vault.close();
      assert.equal(
        codeOf(() => t.open({ passphrase: "correct horse battery" })),
        "vault_locked",
      );
    } finally {
      t.cleanup();
    }
  });

  it("refuses to re-key a vault whose values were changed outside Heptora", async () => {
    const t = tempVault();
    try {
      const vault = t.open();
      vault.setSecret(ANA, "SAP_USER", "ana");
      vault.setSecret(ANA, "SAP_PASSWORD", "pw-1");
      vault.close();
      const raw = t.raw();
      flipBlobBit(raw, "secret_versions", "ciphertext", "name = ?", ["SAP_PASSWORD"]);
      raw.close();
      const keyFile = readFileSync(t.keyFile, "utf8");
      const reopened = t.open();
      await rejectsWith(reopened.rotateKey(), "vault_integrity");
      assert.equal(readFileSync(t.keyFile, "utf8"), keyFile);
      assert.equal(reopened.getSecret(ANA, "SAP_USER")?.value, "ana");
      assert.equal(reopened.listAudit({ type: "vault.key_rotated" }).length, 0);
    } finally {
      t.cleanup();
    }
  });

  it("makes a run's read wait for the rotation, then serves it with the new key", async () => {
    const t = tempVault();
    try {
      const vault = t.open();
      vault.applyDefinitions({
        cursor: "c1",
        full: true,
        processes: [
          {
            id: "p1",
            name: "Invoices",
            description: "",
            variables: [{ name: "SECRET_0", secret: true, description: "" }],
          },
        ],
        removedProcessIds: [],
      });
      vault.setSecrets(
        ANA,
        Array.from({ length: 50 }, (_, i) => ({ name: `SECRET_${i}`, value: `value-${i}` })),
      );
      const rotation = vault.rotateKey({ chunkRows: 10 });
      assert.equal(
        codeOf(() => vault.getSecret(ANA, "SECRET_0")),
        "key_rotation_in_progress",
      );
      const read = vault.readForRun({
        name: "SECRET_0",
        processId: "p1",
        process: "Invoices",
        actor: "run:Invoices",
        person: ANA,
      });
      await rotation;
      const answer = await read;
      assert.equal(answer.outcome === "ok" ? answer.secret.value : answer.outcome, "value-0");
      assert.deepEqual(vault.verifyAudit().problems, []);
    } finally {
      t.cleanup();
    }
  });
});
