/**
 * The committed migrations, applied to an empty database, produce exactly the schema in the
 * committed snapshot (__snapshots__/schema.test.ts.snap). A migration that changes the schema
 * makes this test fail until the snapshot is regenerated (`npx jest <this file> -u`) and the
 * difference reviewed with the migration.
 */
import type { Pool } from 'pg';
import { applyMigrations } from '../../../db/migrate';
import { createScratchDatabase, type ScratchDatabase } from '../../helpers/scratch-db';

let scratch: ScratchDatabase | undefined;
afterAll(async () => {
  await scratch?.drop();
});

async function rows<T>(pool: Pool, sql: string): Promise<T[]> {
  return (await pool.query(sql)).rows as T[];
}

/** Everything in the public schema that migrations define, one sorted line per object. */
async function describeSchema(pool: Pool): Promise<string> {
  const out: string[] = [];

  const enums = await rows<{ name: string; labels: string }>(
    pool,
    `select t.typname as name, string_agg(e.enumlabel::text, ', ' order by e.enumsortorder) as labels
       from pg_type t join pg_enum e on e.enumtypid = t.oid join pg_namespace n on n.oid = t.typnamespace
      where n.nspname = 'public' group by t.typname order by t.typname`,
  );
  out.push('## enum types');
  for (const e of enums) out.push(`${e.name}: ${e.labels}`);

  const tables = await rows<{ name: string }>(
    pool,
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') order by c.relname`,
  );
  out.push('', '## tables');
  for (const t of tables) out.push(t.name);

  const columns = await rows<{ tbl: string; col: string; type: string; notnull: boolean; dflt: string | null }>(
    pool,
    `select c.relname as tbl, a.attname as col, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as notnull,
            pg_get_expr(d.adbin, d.adrelid) as dflt
       from pg_attribute a
       join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
       left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where n.nspname = 'public' and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
      order by c.relname, a.attname`,
  );
  out.push('', '## columns (table.column type nullability default)');
  for (const c of columns)
    out.push(
      `${c.tbl}.${c.col} ${c.type} ${c.notnull ? 'not null' : 'null'}${c.dflt === null ? '' : ` default ${c.dflt}`}`,
    );

  const constraints = await rows<{ tbl: string; name: string; def: string }>(
    pool,
    `select c.relname as tbl, k.conname as name, pg_get_constraintdef(k.oid) as def
       from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' order by c.relname, k.conname`,
  );
  out.push('', '## constraints');
  for (const k of constraints) out.push(`${k.tbl}.${k.name}: ${k.def}`);

  const indexes = await rows<{ name: string; def: string }>(
    pool,
    `select indexname as name, indexdef as def from pg_indexes where schemaname = 'public' order by tablename, indexname`,
  );
  out.push('', '## indexes');
  for (const i of indexes) out.push(i.def);

  const sequences = await rows<{ name: string }>(
    pool,
    `select sequence_name as name from information_schema.sequences where sequence_schema = 'public' order by sequence_name`,
  );
  out.push('', '## sequences');
  for (const s of sequences) out.push(s.name);

  const triggers = await rows<{ def: string }>(
    pool,
    `select pg_get_triggerdef(t.oid) as def
       from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and not t.tgisinternal order by c.relname, t.tgname`,
  );
  out.push('', '## triggers');
  for (const t of triggers) out.push(t.def);

  const functions = await rows<{ def: string }>(
    pool,
    `select pg_get_functiondef(p.oid) as def from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public' order by p.proname, pg_get_function_identity_arguments(p.oid)`,
  );
  out.push('', '## functions');
  for (const f of functions) out.push(f.def.trim());

  return `${out.join('\n')}\n`;
}

test('the migrations applied to an empty database produce the committed schema snapshot', async () => {
  scratch = await createScratchDatabase();
  const pool = scratch.handle().pool;
  const before = await rows<{ n: number }>(
    pool,
    `select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public'`,
  );
  expect(before[0].n).toBe(0);

  await applyMigrations(scratch.url);

  const schema = await describeSchema(pool);
  // Sanity checks that do not depend on the snapshot, so an empty or truncated dump cannot pass.
  expect(schema).toContain('CREATE TRIGGER case_events_append_only BEFORE DELETE OR UPDATE ON public.case_events');
  expect(schema).toContain('case_events.case_events_event_key_unique: UNIQUE (event_key)');
  expect(schema).toContain(
    'cases_one_open_per_person_procedure ON public.cases USING btree (person_id, procedure) WHERE (status =',
  );
  expect(schema).toMatchSnapshot();
});

test('applying the migrations a second time changes nothing', async () => {
  const own = await createScratchDatabase({ migrate: true });
  try {
    const pool = own.handle().pool;
    const first = await describeSchema(pool);
    const journal = await rows<{ n: number }>(pool, 'select count(*)::int as n from drizzle.__drizzle_migrations');
    await applyMigrations(own.url);
    expect(await describeSchema(pool)).toBe(first);
    expect(await rows<{ n: number }>(pool, 'select count(*)::int as n from drizzle.__drizzle_migrations')).toEqual(
      journal,
    );
  } finally {
    await own.drop();
  }
});
