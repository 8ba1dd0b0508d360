/**
 * The schema, as an ordered list of migrations shared by both dialects. A migration is never
 * edited once released: add a new one. `{{autoid}}` and `{{randomid}}` are the only
 * dialect-specific tokens.
 *
 * Conventions: ids are TEXT (UUIDs), timestamps BIGINT milliseconds since the epoch, booleans
 * INTEGER 0/1, so the same SQL runs on SQLite and PostgreSQL.
 */
import { Dialect } from "./sql-db.ts";

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: readonly string[];
}

const initial: Migration = {
  version: 1,
  name: "initial schema",
  sql: [
    `CREATE TABLE organizations (
      id TEXT PRIMARY KEY,
      singleton INTEGER NOT NULL DEFAULT 1 UNIQUE CHECK (singleton = 1),
      name TEXT NOT NULL,
      created_at BIGINT NOT NULL
    )`,
    `CREATE TABLE users (
      id TEXT PRIMARY KEY,
      org_id TEXT NOT NULL REFERENCES organizations (id),
      email TEXT NOT NULL UNIQUE,
      password_hash TEXT,
      role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
      active INTEGER NOT NULL DEFAULT 1,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    )`,
    `CREATE TABLE sessions (
      token_hash TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at BIGINT NOT NULL,
      last_seen_at BIGINT NOT NULL,
      expires_at BIGINT NOT NULL
    )`,
    "CREATE INDEX sessions_user ON sessions (user_id)",
    `CREATE TABLE login_failures (
      id {{autoid}},
      scope TEXT NOT NULL,
      key TEXT NOT NULL,
      at BIGINT NOT NULL
    )`,
    "CREATE INDEX login_failures_key ON login_failures (scope, key, at)",
    "CREATE INDEX login_failures_at ON login_failures (at)",
    `CREATE TABLE password_reset_tokens (
      token_hash TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at BIGINT NOT NULL,
      expires_at BIGINT NOT NULL,
      used_at BIGINT
    )`,
    "CREATE INDEX password_reset_tokens_user ON password_reset_tokens (user_id)",
    `CREATE TABLE processes (
      id TEXT PRIMARY KEY,
      org_id TEXT NOT NULL REFERENCES organizations (id),
      name TEXT NOT NULL,
      name_key TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      UNIQUE (org_id, name_key)
    )`,
    `CREATE TABLE variables (
      process_id TEXT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      secret INTEGER NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      position INTEGER NOT NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      PRIMARY KEY (process_id, name)
    )`,
    `CREATE TABLE assignments (
      process_id TEXT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
      user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at BIGINT NOT NULL,
      PRIMARY KEY (process_id, user_id)
    )`,
    "CREATE INDEX assignments_user ON assignments (user_id, process_id)",
    // The sync cursor: one counter row, incremented inside every transaction that changes what
    // a robot sees. Its row lock orders those transactions, so a committed value N implies every
    // change numbered below N is committed too (docs/adr/0011-platform-sync-cursor.md).
    `CREATE TABLE change_counter (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      value BIGINT NOT NULL
    )`,
    "INSERT INTO change_counter (id, value) VALUES (1, 0)",
    // Latest change per (user, process) the user's robots must learn about; no foreign keys so
    // that rows outlive a deleted process or assignment as tombstones.
    `CREATE TABLE definition_changes (
      user_id TEXT NOT NULL,
      process_id TEXT NOT NULL,
      seq BIGINT NOT NULL,
      PRIMARY KEY (user_id, process_id)
    )`,
    "CREATE INDEX definition_changes_seq ON definition_changes (user_id, seq)",
    `CREATE TABLE robots (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      machine_id TEXT NOT NULL,
      token_hash TEXT UNIQUE,
      created_at BIGINT NOT NULL,
      last_seen_at BIGINT,
      status_at BIGINT,
      revoked_at BIGINT,
      UNIQUE (user_id, machine_id)
    )`,
    `CREATE TABLE robot_secrets (
      robot_id TEXT NOT NULL REFERENCES robots (id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      is_set INTEGER NOT NULL,
      updated_at BIGINT,
      PRIMARY KEY (robot_id, name)
    )`,
    `CREATE TABLE audit_events (
      id {{autoid}},
      at BIGINT NOT NULL,
      actor_id TEXT,
      actor_email TEXT,
      action TEXT NOT NULL,
      target_type TEXT,
      target_id TEXT,
      target_name TEXT,
      process_id TEXT,
      robot_id TEXT,
      outcome TEXT NOT NULL,
      ip TEXT,
      details TEXT NOT NULL DEFAULT '{}'
    )`,
    "CREATE INDEX audit_events_at ON audit_events (at)",
    "CREATE INDEX audit_events_actor ON audit_events (actor_id, id)",
    "CREATE INDEX audit_events_process ON audit_events (process_id, id)",
    "CREATE INDEX audit_events_robot ON audit_events (robot_id, id)",
    "CREATE INDEX audit_events_action ON audit_events (action, id)",
  ],
};

const variablesInOrder: Migration = {
  version: 2,
  name: "variables in declaration order",
  // The definitions sync reads variables per process in position order.
  sql: ["CREATE INDEX variables_position ON variables (process_id, position)"],
};

const robotSignOuts: Migration = {
  version: 3,
  name: "why a robot token was refused",
  // A tombstone per robot token the platform ended (revoked, password changed, account
  // deactivated): the token's hash and why, so a refused robot is told the reason. No foreign
  // key, so that it outlives the robot; a new sign-in of the robot removes its tombstones.
  sql: [
    `CREATE TABLE robot_sign_outs (
      token_hash TEXT PRIMARY KEY,
      robot_id TEXT NOT NULL,
      reason TEXT NOT NULL,
      at BIGINT NOT NULL
    )`,
    "CREATE INDEX robot_sign_outs_robot ON robot_sign_outs (robot_id)",
  ],
};

const coveragePerPerson: Migration = {
  version: 4,
  name: "robot status per person",
  // Values on a robot belong to the person signed in (docs/adr/0066), so its status report is
  // kept per (robot, user): the user is the robot token's owner when it reported. Existing rows
  // belong to the robot's current owner; `robot_reports` keeps when each person last reported.
  sql: [
    `CREATE TABLE robot_secrets_v4 (
      robot_id TEXT NOT NULL REFERENCES robots (id) ON DELETE CASCADE,
      user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      is_set INTEGER NOT NULL,
      updated_at BIGINT,
      PRIMARY KEY (robot_id, user_id, name)
    )`,
    `INSERT INTO robot_secrets_v4 (robot_id, user_id, name, is_set, updated_at)
     SELECT s.robot_id, r.user_id, s.name, s.is_set, s.updated_at
       FROM robot_secrets s JOIN robots r ON r.id = s.robot_id`,
    "DROP TABLE robot_secrets",
    "ALTER TABLE robot_secrets_v4 RENAME TO robot_secrets",
    `CREATE TABLE robot_reports (
      robot_id TEXT NOT NULL REFERENCES robots (id) ON DELETE CASCADE,
      user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      reported_at BIGINT NOT NULL,
      PRIMARY KEY (robot_id, user_id)
    )`,
    `INSERT INTO robot_reports (robot_id, user_id, reported_at)
     SELECT id, user_id, status_at FROM robots WHERE status_at IS NOT NULL`,
  ],
};

const variableIds: Migration = {
  version: 5,
  name: "variables keep their identity",
  // An opaque id per variable that a rename keeps (docs/adr/0068), carried in the definitions sync so that the
  // robots move the values set under the old name. Existing variables get a random one. The
  // column stays nullable (SQLite cannot add NOT NULL to a filled table); every insert sets it.
  sql: [
    "ALTER TABLE variables ADD COLUMN id TEXT",
    "UPDATE variables SET id = {{randomid}}",
    "CREATE UNIQUE INDEX variables_id ON variables (id)",
  ],
};

const apiTokens: Migration = {
  version: 6,
  name: "admin API tokens",
  // Named, scoped bearer tokens for scripts and CI (docs/adr/0072). Only the SHA-256 of a token
  // is kept. A revoked token keeps its row (and hash) so that its next use is told it was
  // revoked; refusals are counted on the row and audited at most once an hour per token.
  sql: [
    `CREATE TABLE api_tokens (
      id TEXT PRIMARY KEY,
      org_id TEXT NOT NULL REFERENCES organizations (id),
      user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      scope TEXT NOT NULL CHECK (scope IN ('read', 'admin')),
      token_hash TEXT NOT NULL UNIQUE,
      created_at BIGINT NOT NULL,
      last_used_at BIGINT,
      revoked_at BIGINT,
      refused_count BIGINT NOT NULL DEFAULT 0,
      refused_audited_at BIGINT
    )`,
    "CREATE INDEX api_tokens_org ON api_tokens (org_id, revoked_at)",
  ],
};

const abuseResistance: Migration = {
  version: 7,
  name: "sign-in throttling per account and address, collapsed audit entries",
  // Addresses an account signed in from (docs/adr/0071): they keep their own budget while
  // others hammer the account. Repeated refusals of unauthenticated requests collapse into one
  // audit row per source, kind and hour: `repeat_key` names that bucket (NULL for every other
  // event), `repeats` counts the attempts, `last_at` is the latest.
  sql: [
    `CREATE TABLE login_addresses (
      account TEXT NOT NULL,
      address TEXT NOT NULL,
      at BIGINT NOT NULL,
      PRIMARY KEY (account, address)
    )`,
    "CREATE INDEX login_addresses_at ON login_addresses (at)",
    "ALTER TABLE audit_events ADD COLUMN repeat_key TEXT",
    "ALTER TABLE audit_events ADD COLUMN repeats BIGINT NOT NULL DEFAULT 1",
    "ALTER TABLE audit_events ADD COLUMN last_at BIGINT",
    "CREATE UNIQUE INDEX audit_events_repeat ON audit_events (repeat_key)",
  ],
};

const robotAuditCheckpoints: Migration = {
  version: 8,
  name: "robot audit checkpoints",
  // Where each robot's audit log stood at its last status report (docs/adr/0074): its vault's id,
  // the last seq and a hash of that entry's MAC, never a value. went_backwards_at and the message
  // are set once a report is behind the one before and stay set.
  sql: [
    `CREATE TABLE robot_audit_checkpoints (
      robot_id TEXT PRIMARY KEY REFERENCES robots (id) ON DELETE CASCADE,
      vault_id TEXT NOT NULL,
      seq BIGINT NOT NULL,
      head TEXT NOT NULL,
      reported_at BIGINT NOT NULL,
      went_backwards_at BIGINT,
      went_backwards TEXT
    )`,
  ],
};

export const MIGRATIONS: readonly Migration[] = [
  initial,
  variablesInOrder,
  robotSignOuts,
  coveragePerPerson,
  variableIds,
  apiTokens,
  abuseResistance,
  robotAuditCheckpoints,
];

const AUTO_ID: Record<Dialect, string> = {
  [Dialect.Sqlite]: "INTEGER PRIMARY KEY AUTOINCREMENT",
  [Dialect.Postgres]: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
};

/** A random 32-hex-digit id per row (128 bits), as an SQL expression. */
const RANDOM_ID: Record<Dialect, string> = {
  [Dialect.Sqlite]: "lower(hex(randomblob(16)))",
  [Dialect.Postgres]: "md5(random()::text || clock_timestamp()::text)",
};

/** The statements of `migration` for `dialect`. */
export function migrationSql(migration: Migration, dialect: Dialect): string[] {
  return migration.sql.map((sql) =>
    sql.replaceAll("{{autoid}}", AUTO_ID[dialect]).replaceAll("{{randomid}}", RANDOM_ID[dialect]),
  );
}
