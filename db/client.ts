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
  // A connection that cannot be made within 2 s fails (the default waits forever): with
  // PostgreSQL down, requests and activities fail fast and are retried, nothing queues for ever.
  const pool = new Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 2000, ...options });
  // A client that loses its connection emits 'error' — idle in the pool, or checked out between
  // queries (PostgreSQL shut down: 57P01). Without a listener that would crash the process. The
  // pool replaces the client; queries in flight fail and are retried by their callers.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}
