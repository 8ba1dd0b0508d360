/**
 * SQL for the vault-wide integrity record (schema 5, docs/adr/0074): the generation, the digest of
 * every secrets and processes row's MAC, and its seal; and the per-row `gen` and `mac` columns.
 * No rules here: see integrity/ledger.ts.
 */
import type { Db } from "./database.ts";

type Row = Record<string, unknown>;

export interface IntegrityRecord {
  generation: number;
  digest: string;
  seal: string;
}

export interface SecretRowState {
  person: string;
  name: string;
  currentVersion: number | null;
  latestVersion: number;
  updatedAt: string;
  gen: number;
  mac: string | null;
}

export interface ProcessRowState {
  id: string;
  sealed: Uint8Array;
  gen: number;
  mac: string | null;
}

export function createIntegrityRepo(db: Db) {
  const record = db.prepare("SELECT generation, digest, seal FROM integrity WHERE id = 1");
  const saveRecord = db.prepare(
    `INSERT INTO integrity (id, generation, digest, seal) VALUES (1, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET generation = excluded.generation, digest = excluded.digest,
       seal = excluded.seal`,
  );
  const secret = db.prepare(
    `SELECT person, name, current_version, latest_version, updated_at, gen, mac FROM secrets
      WHERE person = ? AND name = ?`,
  );
  const secretsOf = db.prepare(
    `SELECT person, name, current_version, latest_version, updated_at, gen, mac FROM secrets
      WHERE person = ?`,
  );
  const allSecrets = db.prepare(
    "SELECT person, name, current_version, latest_version, updated_at, gen, mac FROM secrets",
  );
  allSecrets.setReturnArrays(true);
  const markSecret = db.prepare(
    "UPDATE secrets SET gen = ?, mac = ? WHERE person = ? AND name = ?",
  );
  const process = db.prepare("SELECT id, sealed, gen, mac FROM processes WHERE id = ?");
  const allProcesses = db.prepare("SELECT id, sealed, gen, mac FROM processes");
  const markProcess = db.prepare("UPDATE processes SET gen = ?, mac = ? WHERE id = ?");
  const dataVersion = db.prepare("PRAGMA data_version");
  dataVersion.setReturnArrays(true);
  const auditHead = db.prepare("SELECT seq, mac FROM audit_head WHERE id = 1");
  const auditMacAt = db.prepare("SELECT mac FROM audit WHERE seq = ?");

  const toSecret = (r: Row): SecretRowState => ({
    person: r.person as string,
    name: r.name as string,
    currentVersion: (r.current_version as number | null) ?? null,
    latestVersion: r.latest_version as number,
    updatedAt: r.updated_at as string,
    gen: r.gen as number,
    mac: (r.mac as string | null) ?? null,
  });
  const toProcess = (r: Row): ProcessRowState => ({
    id: r.id as string,
    sealed: r.sealed as Uint8Array,
    gen: r.gen as number,
    mac: (r.mac as string | null) ?? null,
  });

  return {
    record(): IntegrityRecord | undefined {
      const r = record.get() as Row | undefined;
      if (r === undefined) return undefined;
      return {
        generation: r.generation as number,
        digest: r.digest as string,
        seal: r.seal as string,
      };
    },
    saveRecord(value: IntegrityRecord): void {
      saveRecord.run(value.generation, value.digest, value.seal);
    },
    secret(person: string, name: string): SecretRowState | undefined {
      const r = secret.get(person, name) as Row | undefined;
      return r === undefined ? undefined : toSecret(r);
    },
    secretsOf(person: string): SecretRowState[] {
      return (secretsOf.all(person) as Row[]).map(toSecret);
    },
    /** Every secrets row, streamed as arrays (the full check walks 100k rows). */
    *allSecrets(): Generator<SecretRowState> {
      for (const r of allSecrets.iterate() as Iterable<unknown[]>) {
        yield {
          person: r[0] as string,
          name: r[1] as string,
          currentVersion: (r[2] as number | null) ?? null,
          latestVersion: r[3] as number,
          updatedAt: r[4] as string,
          gen: r[5] as number,
          mac: (r[6] as string | null) ?? null,
        };
      }
    },
    markSecret(person: string, name: string, gen: number, mac: string): void {
      markSecret.run(gen, mac, person, name);
    },
    process(id: string): ProcessRowState | undefined {
      const r = process.get(id) as Row | undefined;
      return r === undefined ? undefined : toProcess(r);
    },
    allProcesses(): ProcessRowState[] {
      return (allProcesses.all() as Row[]).map(toProcess);
    },
    markProcess(id: string, gen: number, mac: string): void {
      markProcess.run(gen, mac, id);
    },
    /** The audit head's seq and MAC as stored (unchecked: the chain's code checks its seal). */
    auditHead(): { seq: number; mac: string } | undefined {
      const r = auditHead.get() as Row | undefined;
      return r === undefined ? undefined : { seq: r.seq as number, mac: r.mac as string };
    },
    auditMacAt(seq: number): string | undefined {
      const r = auditMacAt.get(seq) as Row | undefined;
      return r === undefined ? undefined : (r.mac as string);
    },
    /** Changes when another connection (any process) commits; our own commits leave it alone. */
    dataVersion(): number {
      return ((dataVersion.get() as unknown as [number]) ?? [0])[0];
    },
  };
}

export type IntegrityRepo = ReturnType<typeof createIntegrityRepo>;
