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
      await separateWorkflowIds(url);
    } catch (err) {
      await scratch.drop();
      throw err;
    }
  }
  return scratch;
}

/**
 * Every database of a test run shares the one Temporal namespace, and workflows are named by
 * business keys each database numbers from 1: a parameter publication's fan-out
 * (`parameters-published-<id>`), a case (`enrollment-620102-2026-000001`), a tip-off audit. Two
 * databases numbering alike would name their workflows alike: an online enrollment's
 * update-with-start then attached to another database's running case (an offline enrollment
 * waiting for review, on a finished test's task queue) and its own case stayed open; a fan-out
 * left running stood in for the next one's. Each test database takes a block of its own from a
 * run-wide sequence (the run's own PostgreSQL, in its maintenance database): publication IDs from
 * block × 10 000 000 and, with `numbers`, case and audit numbers from block × 10 000 (a trigger on
 * the counters' first row; the run's shared database is block 0). Production has one database per
 * namespace.
 */
export async function separateWorkflowIds(url: string, o: { numbers?: boolean } = {}): Promise<void> {
  const block = await admin(async (c) => {
    try {
      await c.query('create sequence if not exists test_database_blocks minvalue 1 maxvalue 98 cycle');
    } catch (err) {
      // Two databases made at once (Promise.all) both create it: "if not exists" is not atomic.
      if ((err as { code?: string }).code !== '23505' && (err as { code?: string }).code !== '42P07') throw err;
    }
    const { rows } = await c.query<{ n: string }>("select nextval('test_database_blocks') as n");
    return Number(rows[0].n);
  });
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`select setval(pg_get_serial_sequence('parameter_publications', 'id'), ${block * 10_000_000})`);
    if (o.numbers) {
      await c.query(
        `create function test_separate_numbers() returns trigger language plpgsql as $$ begin new.last := new.last + ${block * 10_000}; return new; end $$`,
      );
      for (const table of ['case_counters', 'audit_counters']) {
        await c.query(
          `create trigger ${table}_separate before insert on ${table} for each row execute function test_separate_numbers()`,
        );
      }
    }
  } finally {
    await c.end();
  }
}
