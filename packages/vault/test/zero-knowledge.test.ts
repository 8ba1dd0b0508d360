/**
 * No file of the data dir (the database, its -wal and -shm) ever holds a value in a readable form:
 * plain, base64, hex or UTF-16, while the vault is open and after it closed.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ANA, tempVault } from "./support/temp-vault.ts";

function forms(value: string): Buffer[] {
  const bytes = Buffer.from(value, "utf8");
  return [
    bytes,
    Buffer.from(bytes.toString("base64")),
    Buffer.from(bytes.toString("base64url")),
    Buffer.from(bytes.toString("hex")),
    Buffer.from(bytes.toString("hex").toUpperCase()),
    Buffer.from(value, "utf16le"),
  ];
}

function assertNoValueIn(dir: string, values: string[]): number {
  let scanned = 0;
  for (const file of readdirSync(dir)) {
    const content = readFileSync(join(dir, file));
    scanned++;
    for (const value of values) {
      for (const form of forms(value)) {
        assert.equal(content.includes(form), false, `${file} holds a form of a value`);
      }
    }
  }
  return scanned;
}

describe("zero knowledge on disk", () => {
  it("keeps every value, old versions and settings out of the data dir's files", () => {
    const t = tempVault();
    try {
      const vault = t.open();
      const values = Array.from(
        { length: 20 },
        (_, i) => `value-${i}-${randomBytes(12).toString("hex")}`,
      );
      values.push("correct horse battery staple", "ä-ö-ü 🔑 unicode secret");
      values.forEach((value, i) => {
        vault.setSecret(ANA, `NAME_${i % 7}`, value);
      });
      vault.restoreSecret(ANA, "NAME_0", 1);
      const token = `robot-token-${randomBytes(16).toString("hex")}`;
      vault.setSetting("robot.token", token);
      vault.appendAudit({ type: "secret.reveal", name: "NAME_1" });
      const all = [...values, token];

      assert.ok(existsSync(join(t.dataDir, "vault.db-wal")));
      assert.equal(assertNoValueIn(t.dataDir, all), 3);

      vault.close();
      assertNoValueIn(t.dataDir, all);
      assertNoValueIn(join(t.root, "config", "keys"), all);
    } finally {
      t.cleanup();
    }
  });
});
