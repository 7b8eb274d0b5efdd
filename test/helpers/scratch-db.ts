/**
 * A database of its own on the test PostgreSQL, for tests that must not share the run's
 * database (schema snapshots, calendar versions, DDL-level checks). Created with a random name
 * through the `postgres` maintenance database and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createDb, type DbHandle } from '../../db/client';
import { applyMigrations } from '../../db/migrate';
import { testEnv } from './env';

export interface ScratchDatabase {
  name: string;
  url: string;
  /** A pool on the scratch database (opened lazily, closed by drop()). */
  handle(): DbHandle;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: withDatabase(testEnv.databaseUrl, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database; with `migrate`, applies every committed migration to it. */
export async function createScratchDatabase(o: { migrate?: boolean } = {}): Promise<ScratchDatabase> {
  const name = `scratch_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database "${name}"`));
  const url = withDatabase(testEnv.databaseUrl, name);
  let handle: DbHandle | undefined;
  const scratch: ScratchDatabase = {
    name,
    url,
    handle() {
      handle ??= createDb(url, { max: 3 });
      return handle;
    },
    async drop() {
      await handle?.close();
      handle = undefined;
      await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
  if (o.migrate) {
    try {
      await applyMigrations(url);
      await separatePublicationIds(url);
    } catch (err) {
      await scratch.drop();
      throw err;
    }
  }
  return scratch;
}

/**
 * Every database of a test run shares the one Temporal namespace, and a parameter publication's
 * fan-out workflow is named by the publication's ID (`parameters-published-<id>`): two databases
 * numbering publications from 1 would name their fan-outs alike, and a fan-out left running on a
 * finished test's task queue would stand in for the next one's (which then wakes nothing). Each
 * test database numbers its publications from a random offset. (Production has one database per
 * namespace.)
 */
export async function separatePublicationIds(url: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`select setval(pg_get_serial_sequence('parameter_publications', 'id'), ${1_000_000 + Math.floor(Math.random() * 1_000_000_000)})`);
  } finally {
    await c.end();
  }
}
