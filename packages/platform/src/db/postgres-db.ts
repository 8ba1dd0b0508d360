/**
 * The PostgreSQL dialect over a pg Pool. BIGINT (ids, milliseconds, counts) is parsed to a
 * JavaScript number: every value we store stays far below 2^53.
 */
import pg from "pg";
import { Dialect, type SqlDb, type SqlExecutor, type SqlValue } from "./sql-db.ts";

const INT8_OID = 20;
/** Key of the advisory lock held while migrating (arbitrary, fixed for Heptora). */
const MIGRATION_LOCK_KEY = 0x4865_7074;

const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

function executor(target: Queryable): SqlExecutor {
  return {
    dialect: Dialect.Postgres,
    async all<T>(sql: string, params: readonly SqlValue[] = []) {
      const result = await target.query(sql, params as SqlValue[]);
      return result.rows as T[];
    },
    async get<T>(sql: string, params: readonly SqlValue[] = []) {
      const result = await target.query(sql, params as SqlValue[]);
      return result.rows[0] as T | undefined;
    },
    async values<T extends unknown[]>(sql: string, params: readonly SqlValue[] = []) {
      const result = await target.query({
        text: sql,
        values: params as SqlValue[],
        rowMode: "array",
      });
      return result.rows as T[];
    },
    async run(sql: string, params: readonly SqlValue[] = []) {
      const result = await target.query(sql, params as SqlValue[]);
      return { changes: result.rowCount ?? 0 };
    },
  };
}

async function inTransaction<T>(
  client: pg.PoolClient,
  fn: (tx: SqlExecutor) => Promise<T>,
): Promise<T> {
  await client.query("BEGIN");
  try {
    const result = await fn(executor(client));
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

export interface PostgresOptions {
  /** Pool size per instance. */
  max?: number;
}

export function openPostgresDb(url: string, options: PostgresOptions = {}): SqlDb {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);

  const self: SqlDb = {
    ...executor(pool),
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        return await inTransaction(client, fn);
      } finally {
        client.release();
      }
    },
    async exclusive<T>(fn: (db: SqlDb) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
        const locked: SqlDb = {
          ...executor(client),
          transaction: (inner) => inTransaction(client, inner),
          exclusive: (inner) => inner(locked),
          close: async () => undefined,
        };
        try {
          return await fn(locked);
        } finally {
          await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
  return self;
}
