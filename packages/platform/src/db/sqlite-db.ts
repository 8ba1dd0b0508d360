/**
 * The SQLite dialect over node:sqlite (synchronous, one connection, WAL).
 *
 * node:sqlite runs each statement synchronously, but a transaction spans awaits; an in-process
 * queue makes sure no other request's statement lands inside an open transaction. Transactions
 * use BEGIN IMMEDIATE so that two processes on one file serialise instead of deadlocking.
 * Connections to one file inside one process share that queue: a synchronous BEGIN waiting on
 * the file lock would otherwise block the event loop that must finish the other transaction.
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { createMutex, type Mutex } from "./mutex.ts";
import { Dialect, type SqlDb, type SqlExecutor, type SqlValue } from "./sql-db.ts";

const STATEMENT_CACHE_LIMIT = 500;

const sharedQueues = new Map<string, { mutex: Mutex; users: number }>();

function acquireQueue(path: string): { mutex: Mutex; release(): void } {
  if (path === ":memory:") return { mutex: createMutex(), release: () => undefined };
  let entry = sharedQueues.get(path);
  if (entry === undefined) {
    entry = { mutex: createMutex(), users: 0 };
    sharedQueues.set(path, entry);
  }
  entry.users++;
  const held = entry;
  return {
    mutex: held.mutex,
    release() {
      held.users--;
      if (held.users === 0) sharedQueues.delete(path);
    },
  };
}

export function openSqliteDb(path: string): SqlDb {
  const db = new DatabaseSync(path);
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");

  const statements = new Map<string, StatementSync>();
  const prepare = (sql: string, arrays = false): StatementSync => {
    const key = arrays ? `arrays:${sql}` : sql;
    let statement = statements.get(key);
    if (statement === undefined) {
      statement = db.prepare(sql.replace(/\$(\d+)/g, "?$1"));
      if (arrays) statement.setReturnArrays(true);
      if (statements.size >= STATEMENT_CACHE_LIMIT) statements.clear();
      statements.set(key, statement);
    }
    return statement;
  };

  const direct: SqlExecutor = {
    dialect: Dialect.Sqlite,
    async all<T>(sql: string, params: readonly SqlValue[] = []) {
      return prepare(sql).all(...params) as T[];
    },
    async get<T>(sql: string, params: readonly SqlValue[] = []) {
      return prepare(sql).get(...params) as T | undefined;
    },
    async values<T extends unknown[]>(sql: string, params: readonly SqlValue[] = []) {
      return prepare(sql, true).all(...params) as unknown as T[];
    },
    async run(sql: string, params: readonly SqlValue[] = []) {
      const result = prepare(sql).run(...params);
      return { changes: Number(result.changes) };
    },
  };

  const queue = acquireQueue(path);
  const mutex = queue.mutex;
  // Outside a transaction a statement runs at once; while one is open it waits its turn.
  const queued = <R>(fn: () => Promise<R>): Promise<R> => (mutex.locked ? mutex.lock(fn) : fn());

  let closed = false;
  const self: SqlDb = {
    dialect: Dialect.Sqlite,
    all: <T>(sql: string, params?: readonly SqlValue[]) => queued(() => direct.all<T>(sql, params)),
    get: <T>(sql: string, params?: readonly SqlValue[]) => queued(() => direct.get<T>(sql, params)),
    values: <T extends unknown[]>(sql: string, params?: readonly SqlValue[]) =>
      queued(() => direct.values<T>(sql, params)),
    run: (sql: string, params?: readonly SqlValue[]) => queued(() => direct.run(sql, params)),
    transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      return mutex.lock(async () => {
        db.exec("BEGIN IMMEDIATE");
        try {
          const result = await fn(direct);
          db.exec("COMMIT");
          return result;
        } catch (error) {
          if (db.isTransaction) db.exec("ROLLBACK");
          throw error;
        }
      });
    },
    exclusive<T>(fn: (db: SqlDb) => Promise<T>): Promise<T> {
      // Each migration runs in a BEGIN IMMEDIATE transaction, which already excludes other
      // processes; re-checking the applied version inside it makes concurrent starts safe.
      return fn(self);
    },
    async close() {
      if (closed) return;
      closed = true;
      await mutex.lock(async () => {
        statements.clear();
        if (db.isOpen) db.close();
      });
      queue.release();
    },
  };
  return self;
}
