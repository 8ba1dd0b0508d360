/**
 * Backup archives and restore (docs/adr/0080), at the vault's face: a round trip onto a new data
 * dir and key file keeps every person's values, history, settings, run records and the audit
 * chain; a flipped byte anywhere, a cut archive, a wrong passphrase or a data dir with a vault
 * restore nothing at all.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { restoreBackup } from "../src/index.ts";
import { ANA, tempVault } from "./support/temp-vault.ts";

const BEA = "bea@example.com";
const PASSPHRASE = "correct horse battery staple";

function codeOfRestore(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    return String((error as { code?: unknown }).code);
  }
  return "restored";
}

describe("vault backup and restore", () => {
  const source = tempVault("heptora-backup-");
  const target = tempVault("heptora-restore-");
  const archive = join(source.root, "robot.heptora-backup");

  it("restores every person's values, history, settings and audit onto a new data dir", async () => {
    const vault = source.open();
    vault.setSecret(ANA, "SAP_USER", "ana-1");
    vault.setSecret(ANA, "SAP_USER", "ana-2");
    vault.setSecret(BEA, "SAP_USER", "bea-1");
    vault.setSetting("robot.email", ANA);
    vault.addRecoverySlot();
    vault.runRecords.start({
      runId: "run-1",
      person: ANA,
      process: { id: "p1", name: "Invoices" },
      command: ["python", "main.py"],
      startedAt: new Date().toISOString(),
    });
    await vault.recordAudit({ type: "secret.read", name: "SAP_USER", outcome: "ok" });

    const summary = vault.writeBackup(archive, PASSPHRASE, { actor: "cli" });
    assert.deepEqual(
      { values: summary.values, persons: summary.persons, versions: summary.versions },
      { values: 2, persons: 2, versions: 3 },
    );
    assert.equal(statSync(archive).mode & 0o777, 0o600);
    assert.equal(vault.listAudit({ type: "vault.backed_up" }).length, 1);
    // No value, name or key in the archive's bytes; no temporary file left in the data dir.
    const bytes = readFileSync(archive);
    for (const clear of ["ana-1", "ana-2", "bea-1", "SAP_USER", ANA]) {
      assert.equal(bytes.includes(clear), false, clear);
    }
    assert.deepEqual(
      readdirSync(source.dataDir).filter((f) => f.startsWith(".")),
      [],
    );
    const vaultId = vault.id;
    vault.close();

    const restored = restoreBackup({
      file: archive,
      dataDir: target.dataDir,
      keyFile: target.keyFile,
      passphrase: PASSPHRASE,
    });
    assert.equal(restored.vaultId, vaultId);
    assert.equal(restored.values, 2);
    assert.equal(restored.persons, 2);
    assert.equal(restored.createdAt, summary.createdAt);

    const opened = target.open();
    assert.equal(opened.id, vaultId);
    assert.equal(opened.getSecret(ANA, "SAP_USER")?.value, "ana-2");
    assert.equal(opened.getSecret(BEA, "SAP_USER")?.value, "bea-1");
    assert.deepEqual(
      opened.history(ANA, "SAP_USER").map((v) => v.version),
      [2, 1],
    );
    assert.equal(opened.getSetting("robot.email"), ANA);
    assert.deepEqual(opened.runRecords.get(ANA, "run-1")?.command, ["python", "main.py"]);
    assert.deepEqual(opened.verifyAudit().problems, []);
    assert.deepEqual(opened.integrity().problems, []);
    assert.equal(opened.listAudit({ type: "vault.restored" }).length, 1);
    // This machine's key file, and the recovery slot came along; the old key file's slot did not.
    assert.deepEqual(
      opened
        .keySlots()
        .map((s) => s.kind)
        .sort(),
      ["keyfile", "recovery"],
    );
    opened.close();
  });

  it("refuses a data dir that already holds a vault", () => {
    assert.equal(
      codeOfRestore(() =>
        restoreBackup({
          file: archive,
          dataDir: target.dataDir,
          keyFile: target.keyFile,
          passphrase: PASSPHRASE,
        }),
      ),
      "restore_refused",
    );
  });

  it("refuses a wrong passphrase, a flipped byte anywhere and a cut archive, restoring nothing", () => {
    const bytes = readFileSync(archive);
    const spoiled = join(source.root, "spoiled");
    const attempt = (content: Buffer, passphrase = PASSPHRASE) => {
      const empty = tempVault("heptora-restore-bad-");
      try {
        writeFileSync(spoiled, content);
        const code = codeOfRestore(() =>
          restoreBackup({
            file: spoiled,
            dataDir: empty.dataDir,
            keyFile: empty.keyFile,
            passphrase,
          }),
        );
        assert.equal(existsSync(join(empty.dataDir, "vault.db")), false);
        assert.equal(existsSync(empty.keyFile), false);
        return code;
      } finally {
        empty.cleanup();
      }
    };
    assert.equal(attempt(bytes, "not the passphrase"), "backup_passphrase_wrong");
    const headerEnd = 20 + bytes.readUInt32BE(16);
    // The magic, the header's length, its JSON, the first ciphertext byte, the middle, the tag.
    for (const at of [
      0,
      17,
      headerEnd - 3,
      headerEnd,
      Math.floor(bytes.length / 2),
      bytes.length - 1,
    ]) {
      const flipped = Buffer.from(bytes);
      flipped[at] = (flipped[at] as number) ^ 0x01;
      assert.match(attempt(flipped), /^backup_(damaged|passphrase_wrong)$/, `byte ${at}`);
    }
    for (const length of [0, 10, headerEnd, headerEnd + 1, bytes.length - 17, bytes.length - 1]) {
      assert.equal(attempt(bytes.subarray(0, length)), "backup_damaged", `cut at ${length}`);
    }
    assert.equal(attempt(Buffer.concat([bytes, Buffer.of(0)])), "backup_damaged", "a byte added");
  });

  it("cleans up", () => {
    source.cleanup();
    target.cleanup();
  });
});
