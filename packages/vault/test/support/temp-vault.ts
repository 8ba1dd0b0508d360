/** Temporary vaults for tests: a fresh root with a data dir and a key dir outside it. */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { type OpenVaultOptions, openVault, type Vault } from "../../src/index.ts";

export interface TempVault {
  root: string;
  dataDir: string;
  keyFile: string;
  dbPath: string;
  open(options?: Partial<OpenVaultOptions>): Vault;
  /** A second, raw connection to the vault file, to play the attacker. */
  raw(): DatabaseSync;
  cleanup(): void;
}

export function tempVault(prefix = "heptora-vault-"): TempVault {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const dataDir = join(root, "data");
  const keyFile = join(root, "config", "keys", "robot.key");
  const opened: Vault[] = [];
  return {
    root,
    dataDir,
    keyFile,
    dbPath: join(dataDir, "vault.db"),
    open(options = {}) {
      const vault = openVault({ dataDir, keyFile, ...options });
      opened.push(vault);
      return vault;
    },
    raw() {
      return new DatabaseSync(join(dataDir, "vault.db"), { timeout: 10_000 });
    },
    cleanup() {
      for (const vault of opened) vault.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Runs `work` and returns the HeptoraError code it threw (fails when it did not throw). */
export function codeOf(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    return String((error as { code?: unknown }).code);
  }
  throw new Error("expected an error");
}

/** Flips one bit of a blob column of a row, through a raw connection. */
export function flipBlobBit(
  db: DatabaseSync,
  table: string,
  column: string,
  where: string,
  params: (string | number)[],
  byte = -1,
): void {
  const row = db.prepare(`SELECT ${column} AS v FROM ${table} WHERE ${where}`).get(...params) as
    | { v: Uint8Array | string }
    | undefined;
  if (row === undefined) throw new Error(`no row in ${table} where ${where}`);
  if (typeof row.v === "string") {
    const chars = [...row.v];
    const i = byte < 0 ? chars.length + byte : byte;
    chars[i] = String.fromCharCode((chars[i] ?? "a").charCodeAt(0) ^ 1);
    db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${where}`).run(chars.join(""), ...params);
    return;
  }
  const copy = Buffer.from(row.v);
  const i = byte < 0 ? copy.length + byte : byte;
  copy[i] = (copy[i] ?? 0) ^ 0x01;
  db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${where}`).run(copy, ...params);
}

/** The person the tests' values belong to (docs/adr/0066). */
export const ANA = "ana@example.com";

/**
 * Copies the vault made by the code of schema 3 (before values per person; test/fixtures/v3-vault,
 * made once with that code: SAP_USER "ana" (actor cli), SAP_PASSWORD "first" then "second", OLD
 * set then unset, the setting robot.email "Ana@Example.com") into `t`, key file included.
 */
export function copyV3Fixture(t: TempVault): void {
  const fixture = join(import.meta.dirname, "..", "fixtures", "v3-vault");
  mkdirSync(t.dataDir, { recursive: true, mode: 0o700 });
  mkdirSync(dirname(t.keyFile), { recursive: true, mode: 0o700 });
  copyFileSync(join(fixture, "data", "vault.db"), t.dbPath);
  copyFileSync(join(fixture, "robot.key"), t.keyFile);
  chmodSync(t.dbPath, 0o600);
  chmodSync(t.keyFile, 0o600);
}
