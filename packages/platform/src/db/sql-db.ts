/**
 * The subset of a SQL database the platform needs, in front of node:sqlite or pg.
 *
 * SQL is written once with `$1, $2, ...` placeholders (the SQLite dialect rewrites them to `?1`),
 * integers for booleans (0/1) and milliseconds since the epoch for timestamps, so that both
 * dialects run the same statements. See docs/adr/0010-platform-storage-dialects.md.
 */

export const Dialect = { Sqlite: "sqlite", Postgres: "postgres" } as const;
export type Dialect = (typeof Dialect)[keyof typeof Dialect];

export type SqlValue = string | number | null;

/** Runs statements. Inside a transaction it is bound to that transaction. */
export interface SqlExecutor {
  readonly dialect: Dialect;
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Rows as arrays of column values, in SELECT order: about twice as fast for big results. */
  values<T extends unknown[]>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
}

export interface SqlDb extends SqlExecutor {
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
   * Keep it short: hash passwords and call the network before, side effects after.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` holding a lock shared by every process on this database (PostgreSQL advisory
   * lock; on SQLite the file lock of each `BEGIN IMMEDIATE` plus an in-process queue).
   */
  exclusive<T>(fn: (db: SqlDb) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** True when `error` is a UNIQUE or PRIMARY KEY violation, on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; errcode?: unknown };
  // pg: SQLSTATE 23505. node:sqlite: extended codes SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY.
  return e.code === "23505" || e.errcode === 2067 || e.errcode === 1555;
}

/**
 * True when `error` (or its cause) says the disk is full: SQLITE_FULL (13) from node:sqlite,
 * SQLSTATE 53100 disk_full from pg. The statement's transaction is rolled back either way.
 */
export function isDiskFull(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const e = current as { code?: unknown; errcode?: unknown; cause?: unknown };
    if (e.code === "53100" || e.errcode === 13) return true;
    current = e.cause;
  }
  return false;
}

/** `FOR UPDATE` where the dialect has row locks (SQLite serialises writers anyway). */
export function forUpdate(dialect: Dialect): string {
  return dialect === Dialect.Postgres ? " FOR UPDATE" : "";
}

/** `$1, $2, ...` for `count` values starting at `first`: for IN lists and multi-row VALUES. */
export function placeholders(count: number, first = 1): string {
  return Array.from({ length: count }, (_, i) => `$${first + i}`).join(", ");
}
