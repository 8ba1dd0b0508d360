/**
 * Opening the vault's SQLite file: private file modes, WAL with synchronous=FULL (a commit that
 * returned survives power loss or kill -9), a busy timeout so a second process waits for the
 * writer instead of failing, and one helper for write transactions (BEGIN IMMEDIATE: the write
 * lock is taken up front, so two writers never both read-then-write and lose an update).
 */
import { chmodSync, closeSync, existsSync, openSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { HeptoraError } from "@heptora/protocol";

export const BUSY_TIMEOUT_MS = 10_000;

/** The subset of node:sqlite we use, so tests and tools can hand in the same shape. */
export type Db = Pick<DatabaseSync, "exec" | "prepare" | "close" | "isTransaction">;

/** Opens (creating when needed) `path` with mode 0600 and the pragmas the vault relies on. */
export function openDatabase(path: string): DatabaseSync {
  // Create the file ourselves so it is 0600 from its first byte; SQLite gives the -wal and -shm
  // files the mode of the database file.
  closeSync(openSync(path, "a", 0o600));
  privateFile(path);
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS, enableForeignKeyConstraints: true });
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const mode = db.prepare("PRAGMA journal_mode = WAL").get() as { journal_mode?: string };
    if (mode.journal_mode !== "wal") throw new Error("The vault needs SQLite's WAL mode.");
    db.exec("PRAGMA synchronous = FULL");
    for (const suffix of ["-wal", "-shm"]) {
      if (existsSync(path + suffix)) privateFile(path + suffix);
    }
    return db;
  } catch (error) {
    db?.close();
    throw asVaultError(error, path);
  }
}

function privateFile(path: string): void {
  if (process.platform !== "win32") chmodSync(path, 0o600);
}

/**
 * Runs `work` in a write transaction (BEGIN IMMEDIATE ... COMMIT), rolling back on any error.
 * Keep `work` short and free of I/O other than the database: other writers wait for it.
 */
export function writeTransaction<T>(db: Db, work: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = work();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}

/**
 * Runs `work` with the connection's `synchronous` pragma at `level`, then back to FULL. In WAL
 * mode, NORMAL still writes every committed frame to the OS before COMMIT returns (so it survives
 * kill -9 of the daemon) but leaves the fsync to the next FULL commit or checkpoint: only a power
 * loss can drop such a commit, and it then drops whole transactions in order (docs/adr/0022).
 */
export function withSynchronous<T>(db: Db, level: "NORMAL" | "FULL", work: () => T): T {
  if (level === "FULL") return work();
  db.exec(`PRAGMA synchronous = ${level}`);
  try {
    return work();
  } finally {
    db.exec("PRAGMA synchronous = FULL");
  }
}

const SQLITE_BUSY = 5;
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

/** Turns SQLite's "corrupt" / "not a database" / "busy" into our codes; anything else unchanged. */
export function asVaultError(error: unknown, path?: string): unknown {
  if (error instanceof HeptoraError) return error;
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  if (typeof errcode !== "number") return error;
  const primary = errcode & 0xff;
  if (primary === SQLITE_CORRUPT || primary === SQLITE_NOTADB) {
    return new HeptoraError("vault_integrity", {
      message: `The vault database${path === undefined ? "" : ` ${path}`} is damaged or is not a Heptora vault.`,
      hint: "Restore the data dir from a backup.",
      cause: error,
    });
  }
  if (primary === SQLITE_BUSY) {
    return new HeptoraError("service_unavailable", {
      message: "The vault is busy: another Heptora process holds it for too long.",
      hint: "Try again; if it persists, look for a stuck `heptora` process.",
      retryAfterSeconds: 1,
      cause: error,
    });
  }
  return error;
}
