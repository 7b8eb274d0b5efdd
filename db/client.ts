/** Database connections. No pool is created at import time; composition roots call createDb(). */
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { Pool, type PoolConfig } from 'pg';
import * as schema from './schema';

export type Db = NodePgDatabase<typeof schema>;
/** A transaction handle; repositories accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface DbHandle {
  db: Db;
  pool: Pool;
  close(): Promise<void>;
}

export function createDb(url: string, options: Omit<PoolConfig, 'connectionString'> = {}): DbHandle {
  const pool = new Pool({ connectionString: url, max: 10, ...options });
  // An idle client that loses its connection emits 'error'; without a listener that would crash
  // the process. The pool replaces the client; queries in flight still fail and are retried.
  pool.on('error', () => undefined);
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}
