/**
 * The vault's schema, as an ordered list of migrations tracked by `PRAGMA user_version`.
 * Migrations run in one BEGIN IMMEDIATE transaction, so two processes opening the same new vault
 * never both migrate. Append new migrations; never edit a released one.
 */
import { HeptoraError } from "@heptora/protocol";
import { type Db, writeTransaction } from "./database.ts";

const V1 = `
-- vault_id and created_at; read before anything else.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per protector of the data key (LUKS-like). wrapped_dek is AES-256-GCM of the DEK under
-- the protector's key, bound to every other column of the row.
CREATE TABLE key_slots (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('keyfile', 'passphrase', 'recovery', 'os-keychain')),
  wrapped_dek BLOB NOT NULL,
  kdf         TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  label       TEXT
) WITHOUT ROWID;

-- One row per name. current_version is NULL while unset (history stays restorable).
CREATE TABLE secrets (
  name            TEXT PRIMARY KEY,
  current_version INTEGER,
  latest_version  INTEGER NOT NULL,
  updated_at      TEXT NOT NULL
) WITHOUT ROWID;

-- The current value and the previous ones (bounded), each sealed with AAD (vault, name, version,
-- created_at).
CREATE TABLE secret_versions (
  name       TEXT NOT NULL REFERENCES secrets (name),
  version    INTEGER NOT NULL,
  ciphertext BLOB NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (name, version)
) WITHOUT ROWID;

CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  ciphertext BLOB NOT NULL,
  updated_at TEXT NOT NULL
) WITHOUT ROWID;

-- Synced process definitions, each sealed (they decide which names a run may read).
CREATE TABLE processes (
  id     TEXT PRIMARY KEY,
  sealed BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE sync_state (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  cursor_sealed BLOB,
  generation    INTEGER NOT NULL
);

-- The audit chain. entry is the canonical JSON the MAC covers (seq and at included); the other
-- columns are copies for querying, checked against it by verify.
CREATE TABLE audit (
  seq      INTEGER PRIMARY KEY,
  at       TEXT NOT NULL,
  type     TEXT NOT NULL,
  name     TEXT,
  entry    TEXT NOT NULL,
  prev_mac TEXT NOT NULL,
  mac      TEXT NOT NULL
);
CREATE INDEX audit_by_type ON audit (type, seq);
CREATE INDEX audit_by_name ON audit (name, seq);
CREATE INDEX audit_by_at ON audit (at);

-- The last seq and MAC, sealed with an HMAC and updated in the same transaction as each append:
-- cutting the tail of the log no longer goes unnoticed.
CREATE TABLE audit_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  INTEGER NOT NULL,
  mac  TEXT NOT NULL,
  seal TEXT NOT NULL
);
`;

// change_seq orders writes to secrets, so a cached list of names can fetch only the rows another
// process changed instead of scanning every name again.
const V2 = `
ALTER TABLE secrets ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX secrets_by_change ON secrets (change_seq);
`;

// Each secret.read is one committed transaction on the robot's hot path, and every index is one
// more page written per commit. secret.read rows leave the type index (a type filter for
// secret.read walks seq newest first: those rows are most of the log, so matches come at once;
// any other type still uses the index, see audit-repo.ts), and the index on `at` goes: seq is
// append order, so a since/until filter walks seq newest first too (docs/adr/0022).
const V3 = `
DROP INDEX IF EXISTS audit_by_at;
DROP INDEX IF EXISTS audit_by_type;
CREATE INDEX IF NOT EXISTS audit_by_type_rare ON audit (type, seq) WHERE type <> 'secret.read';
`;

// Values per person on a machine (docs/adr/0066): secrets and their versions are keyed by
// (person, name). The person is the normalised email of whoever set the value. Rows from before
// get the empty person, "unclaimed": they stay sealed with the old associated data until the
// vault's claimUnowned re-seals them for a person (that needs the data key, so not here).
const V4 = `
CREATE TABLE secrets_v4 (
  person          TEXT NOT NULL,
  name            TEXT NOT NULL,
  current_version INTEGER,
  latest_version  INTEGER NOT NULL,
  updated_at      TEXT NOT NULL,
  change_seq      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (person, name)
) WITHOUT ROWID;
INSERT INTO secrets_v4 (person, name, current_version, latest_version, updated_at, change_seq)
  SELECT '', name, current_version, latest_version, updated_at, change_seq FROM secrets;
CREATE TABLE secret_versions_v4 (
  person     TEXT NOT NULL,
  name       TEXT NOT NULL,
  version    INTEGER NOT NULL,
  ciphertext BLOB NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (person, name, version),
  FOREIGN KEY (person, name) REFERENCES secrets_v4 (person, name) ON UPDATE CASCADE
) WITHOUT ROWID;
INSERT INTO secret_versions_v4 (person, name, version, ciphertext, created_at)
  SELECT '', name, version, ciphertext, created_at FROM secret_versions;
DROP TABLE secret_versions;
DROP INDEX IF EXISTS secrets_by_change;
DROP TABLE secrets;
ALTER TABLE secrets_v4 RENAME TO secrets;
ALTER TABLE secret_versions_v4 RENAME TO secret_versions;
CREATE INDEX secrets_by_change ON secrets (change_seq);
`;

// Which version of each name is current, whether it is unset, and each cached process are bound
// to vault-wide state (docs/adr/0074): every secrets and processes row gets the generation it was
// written at and a MAC over its columns; the integrity record holds the current generation, a
// digest of every row's MAC and a seal over both, all updated in the same transaction as each
// write. Existing rows get their MACs at the first open (that needs the data key, so not here).
// Written as code so that running it again (a user_version set back) adds only what is missing.
function v5(db: Db): void {
  for (const table of ["secrets", "processes"]) {
    const columns = new Set(
      (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name),
    );
    if (!columns.has("gen"))
      db.exec(`ALTER TABLE ${table} ADD COLUMN gen INTEGER NOT NULL DEFAULT 0`);
    if (!columns.has("mac")) db.exec(`ALTER TABLE ${table} ADD COLUMN mac TEXT`);
  }
  db.exec(`CREATE TABLE IF NOT EXISTS integrity (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL,
    digest     TEXT NOT NULL,
    seal       TEXT NOT NULL
  )`);
}

// Run records (docs/adr/0077): one row per `heptora run`, written at its start and completed at
// its end. Names and counts only; the command line a person typed is sealed (bound to the run id
// and person). Bounded: the newest RUN_RECORDS_KEPT rows stay (run-records.ts prunes on insert).
const V_RUNS = `
CREATE TABLE IF NOT EXISTS run_records (
  seq            INTEGER PRIMARY KEY,
  id             TEXT NOT NULL UNIQUE,
  person         TEXT NOT NULL,
  process_id     TEXT NOT NULL,
  process_name   TEXT NOT NULL,
  started_at     TEXT NOT NULL,
  command_sealed BLOB NOT NULL,
  reads          TEXT NOT NULL DEFAULT '[]',
  ended_at       TEXT,
  exit_code      INTEGER,
  signal         TEXT,
  masked_stdout  INTEGER,
  masked_stderr  INTEGER
);
CREATE INDEX IF NOT EXISTS run_records_by_person ON run_records (person, seq);
`;

export const MIGRATIONS: readonly (string | ((db: Db) => void))[] = [V1, V2, V3, V4, v5, V_RUNS];
export const SCHEMA_VERSION = MIGRATIONS.length;

function userVersion(db: Db): number {
  const row = db.prepare("PRAGMA user_version").get() as { user_version?: number } | undefined;
  return row?.user_version ?? 0;
}

/** Brings the schema up to date; refuses a vault written by a newer Heptora. */
export function migrate(db: Db): void {
  if (userVersion(db) === SCHEMA_VERSION) return;
  writeTransaction(db, () => {
    const current = userVersion(db);
    if (current > SCHEMA_VERSION) {
      throw new HeptoraError("vault_locked", {
        message: `This vault was written by a newer version of Heptora (schema ${current}).`,
        hint: "Upgrade Heptora on this machine.",
      });
    }
    for (let version = current; version < SCHEMA_VERSION; version++) {
      const migration = MIGRATIONS[version] ?? "";
      if (typeof migration === "string") db.exec(migration);
      else migration(db);
      db.exec(`PRAGMA user_version = ${version + 1}`);
    }
  });
}
