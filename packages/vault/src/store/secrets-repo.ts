/**
 * SQL for the secrets and secret_versions tables, keyed by (person, name) since schema 4 (docs/adr/
 * 0066). No rules here: see secret-store.ts.
 */
import type { SecretInfo } from "../types.ts";
import type { Db } from "./database.ts";

export interface SecretRow {
  name: string;
  currentVersion: number | null;
  latestVersion: number;
  updatedAt: string;
}

export interface CurrentValueRow {
  /** PRAGMA data_version as of this read (docs/adr/0074: the integrity check's cache key). */
  dataVersion: number;
  currentVersion: number | null;
  ciphertext: Uint8Array | null;
  createdAt: string | null;
}

export interface VersionRow {
  version: number;
  ciphertext: Uint8Array;
  createdAt: string;
}

type Row = Record<string, unknown>;

function toSecretRow(row: Row): SecretRow {
  return {
    name: row.name as string,
    currentVersion: (row.current_version as number | null) ?? null,
    latestVersion: row.latest_version as number,
    updatedAt: row.updated_at as string,
  };
}

export function createSecretsRepo(db: Db) {
  const byName = db.prepare(
    `SELECT name, current_version, latest_version, updated_at FROM secrets
      WHERE person = ? AND name = ?`,
  );
  const all = db.prepare(
    `SELECT name, current_version, latest_version, updated_at FROM secrets
      WHERE person = ? ORDER BY name`,
  );
  all.setReturnArrays(true);
  const dataVersion = db.prepare("PRAGMA data_version");
  const current = db.prepare(
    `SELECT s.current_version, v.ciphertext, v.created_at,
            (SELECT data_version FROM pragma_data_version()) AS data_version
       FROM secrets s
       LEFT JOIN secret_versions v
         ON v.person = s.person AND v.name = s.name AND v.version = s.current_version
      WHERE s.person = ? AND s.name = ?`,
  );
  const nextChange = "(SELECT coalesce(max(change_seq), 0) + 1 FROM secrets)";
  const upsert = db.prepare(
    `INSERT INTO secrets (person, name, current_version, latest_version, updated_at, change_seq)
     VALUES (?, ?, ?, ?, ?, ${nextChange})
     ON CONFLICT (person, name) DO UPDATE SET current_version = excluded.current_version,
       latest_version = excluded.latest_version, updated_at = excluded.updated_at,
       change_seq = excluded.change_seq`,
  );
  const lastChange = db.prepare("SELECT coalesce(max(change_seq), 0) AS seq FROM secrets");
  const changedSince = db.prepare(
    `SELECT name, current_version, latest_version, updated_at, change_seq FROM secrets
      WHERE person = ? AND change_seq > ? ORDER BY change_seq`,
  );
  changedSince.setReturnArrays(true);
  const insertVersion = db.prepare(
    `INSERT INTO secret_versions (person, name, version, ciphertext, created_at)
     VALUES (?, ?, ?, ?, ?)`,
  );
  const prune = db.prepare(
    "DELETE FROM secret_versions WHERE person = ? AND name = ? AND version <= ?",
  );
  const unset = db.prepare(
    `UPDATE secrets SET current_version = NULL, updated_at = ?, change_seq = ${nextChange}
      WHERE person = ? AND name = ? AND current_version IS NOT NULL`,
  );
  const versions = db.prepare(
    `SELECT version, created_at FROM secret_versions
      WHERE person = ? AND name = ? ORDER BY version DESC`,
  );
  const oneVersion = db.prepare(
    `SELECT version, ciphertext, created_at FROM secret_versions
      WHERE person = ? AND name = ? AND version = ?`,
  );
  const forgetVersions = db.prepare("DELETE FROM secret_versions WHERE person = ?");
  const forgetSecrets = db.prepare("DELETE FROM secrets WHERE person = ?");
  const allVersions = db.prepare(
    `SELECT name, version, ciphertext, created_at FROM secret_versions WHERE person = ?
      ORDER BY name, version`,
  );
  const movePerson = db.prepare("UPDATE secrets SET person = ? WHERE person = ? AND name = ?");
  const reseal = db.prepare(
    "UPDATE secret_versions SET ciphertext = ? WHERE person = ? AND name = ? AND version = ?",
  );
  const people = db.prepare("SELECT DISTINCT person FROM secrets ORDER BY person");
  const peopleWith = db.prepare("SELECT person FROM secrets WHERE name = ? ORDER BY person");
  const renameOne = db.prepare(
    `UPDATE secrets SET name = ?, change_seq = ${nextChange} WHERE person = ? AND name = ?`,
  );

  return {
    find(person: string, name: string): SecretRow | undefined {
      const row = byName.get(person, name) as Row | undefined;
      return row === undefined ? undefined : toSecretRow(row);
    },
    /**
     * Every secret as SecretInfo, sorted by name. Rows come back as arrays (no per-row object
     * from the driver) and are mapped once: this is what keeps 100k names fast.
     */
    listInfo(person: string): SecretInfo[] {
      const rows = all.all(person) as unknown as [string, number | null, number, string][];
      const out: SecretInfo[] = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i] as [string, number | null, number, string];
        out[i] = { name: r[0], version: r[1] ?? r[2], updatedAt: r[3], set: r[1] !== null };
      }
      return out;
    },
    /** The highest change_seq: every later write to a secret gets a higher one. */
    lastChange(): number {
      return (lastChange.get() as { seq: number }).seq;
    },
    /** Secrets written after change `seq`, oldest change first, with their change_seq. */
    changedSince(person: string, seq: number): { info: SecretInfo; seq: number }[] {
      const rows = changedSince.all(person, seq) as unknown as [
        string,
        number | null,
        number,
        string,
        number,
      ][];
      return rows.map((r) => ({
        info: { name: r[0], version: r[1] ?? r[2], updatedAt: r[3], set: r[1] !== null },
        seq: r[4],
      }));
    },
    /** Changes whenever another connection (another process) commits. */
    dataVersion(): number {
      return (dataVersion.get() as { data_version: number }).data_version;
    },
    current(person: string, name: string): CurrentValueRow | undefined {
      const row = current.get(person, name) as Row | undefined;
      if (row === undefined) return undefined;
      return {
        dataVersion: row.data_version as number,
        currentVersion: (row.current_version as number | null) ?? null,
        ciphertext: (row.ciphertext as Uint8Array | null) ?? null,
        createdAt: (row.created_at as string | null) ?? null,
      };
    },
    save(person: string, row: SecretRow): void {
      upsert.run(person, row.name, row.currentVersion, row.latestVersion, row.updatedAt);
    },
    insertVersion(person: string, name: string, version: VersionRow): void {
      insertVersion.run(person, name, version.version, version.ciphertext, version.createdAt);
    },
    /** Drops versions up to and including `version`. */
    pruneThrough(person: string, name: string, version: number): void {
      prune.run(person, name, version);
    },
    unset(person: string, name: string, at: string): boolean {
      return Number(unset.run(at, person, name).changes) > 0;
    },
    versions(person: string, name: string): { version: number; createdAt: string }[] {
      return (versions.all(person, name) as Row[]).map((r) => ({
        version: r.version as number,
        createdAt: r.created_at as string,
      }));
    },
    version(person: string, name: string, version: number): VersionRow | undefined {
      const row = oneVersion.get(person, name, version) as Row | undefined;
      if (row === undefined) return undefined;
      return {
        version: row.version as number,
        ciphertext: row.ciphertext as Uint8Array,
        createdAt: row.created_at as string,
      };
    },
    /** Deletes every value and version of `person`; the number of names removed. */
    forget(person: string): number {
      forgetVersions.run(person);
      return Number(forgetSecrets.run(person).changes);
    },
    /** Every kept version of `person`, with its ciphertext (claiming re-seals them). */
    allVersions(person: string): (VersionRow & { name: string })[] {
      return (allVersions.all(person) as Row[]).map((r) => ({
        name: r.name as string,
        version: r.version as number,
        ciphertext: r.ciphertext as Uint8Array,
        createdAt: r.created_at as string,
      }));
    },
    /** Moves one name, its versions with it, from `from` to `to` (the caller re-seals them). */
    move(from: string, to: string, name: string): void {
      movePerson.run(to, from, name);
    },
    reseal(person: string, name: string, version: number, ciphertext: Buffer): void {
      reseal.run(ciphertext, person, name, version);
    },
    /** The persons with a row under `name` (the empty one included). */
    peopleWith(name: string): string[] {
      return (peopleWith.all(name) as Row[]).map((r) => r.person as string);
    },
    /** Renames one of `person`'s names, its versions with it (the caller re-seals them). */
    rename(person: string, from: string, to: string): void {
      renameOne.run(to, person, from);
    },
    /** The persons that have values (the empty one: unclaimed rows from before schema 4). */
    people(): string[] {
      return (people.all() as Row[]).map((r) => r.person as string);
    },
  };
}

export type SecretsRepo = ReturnType<typeof createSecretsRepo>;
