/**
 * Test data of the benchmark. Open cases are written in bulk with SQL (persons, cases and, for
 * cases without a workflow, their inbox tasks), so that 100,000 open cases take seconds. The ID
 * numbers written this way start with "B" — never a valid ID number — and the names are
 * "基准" and a counter; applications through the API get random synthetic ID numbers with a
 * valid check digit, as the API requires.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { computeCheckDigit } from '../../domain/id-number';
import { addCalendarDays, chinaDateOf } from '../../domain/working-days';

/** Distinct valid ID numbers of people born 1975–2000 in region 620102 (a pre-review ahead of each). */
export function idNumbers(salt: number) {
  let n = 0;
  return () => {
    const k = n++;
    const birth = addCalendarDays('1975-01-01', (salt * 7919 + Math.floor(k / 1000)) % 9000).replace(/-/g, '');
    const first17 = `620102${birth}${String(k % 1000).padStart(3, '0')}`;
    return first17 + computeCheckDigit(first17);
  };
}

/**
 * Writes `count` open offline enrollment cases of `agencyCode`. `withTasks`: each waits on the
 * counter's acceptance check with its task open (as a workflow would have left it), its due time
 * spread over the next 20 days — these have no workflow and only fill the tables. Without it
 * the cases are as the API writes them before starting the workflow (stage received).
 * Returns the case IDs.
 */
export async function insertOpenCases(
  db: Db,
  o: { count: number; agencyCode: string; salt: string; withTasks: boolean; nowMs: number },
): Promise<string[]> {
  const year = Number(chinaDateOf(o.nowMs).slice(0, 4));
  const ids: string[] = [];
  const chunk = 20_000;
  for (let done = 0; done < o.count; done += chunk) {
    const n = Math.min(chunk, o.count - done);
    const salt = `${o.salt}-${done}`;
    const firstIds = await db.transaction(async (tx) => {
      const counter = await tx.execute<{ last: number }>(sql`
        insert into case_counters (agency_code, year, last) values (${o.agencyCode}, ${year}, ${n})
        on conflict (agency_code, year) do update set last = case_counters.last + ${n}
        returning last`);
      const first = Number(counter.rows[0].last) - n + 1;
      await tx.execute(sql`
        with people as (
          insert into persons (person_key, id_number, name, sex, birth_date)
          select 'P' || upper(substr(md5(${salt} || g), 1, 24)),
                 'B' || substr(md5('id' || ${salt} || g), 1, 17),
                 '基准' || g,
                 case when g % 2 = 0 then 'female'::sex else 'male'::sex end,
                 date '1975-01-01' + (g % 9000)
          from generate_series(1, ${n}) g
          returning id, name
        ), numbered as (
          select id, substr(name, 3)::int as g from people
        )
        insert into cases (id, procedure, agency_code, channel, status, stage, waiting_on, person_id, application, workflow_id,
                           received_at, due_at, due_date, clock_state, clock, projection_seq)
        select 'enrollment-' || ${o.agencyCode} || '-' || ${year} || '-' || lpad((${first} + g - 1)::text, 6, '0'),
               'enrollment', ${o.agencyCode}, 'offline', 'open',
               case when ${o.withTasks} then 'acceptance' else 'received' end,
               case when ${o.withTasks} then 'staff' end,
               id,
               jsonb_build_object('category', 'part_time', 'materials', jsonb_build_array(jsonb_build_object('kind', 'id_card', 'ref', 'bench')),
                                  'supplementWorkingDays', 10, 'receivedBy', jsonb_build_object('id', 'bench-clerk', 'role', 'acceptor'), 'bench', true),
               'enrollment-' || ${o.agencyCode} || '-' || ${year} || '-' || lpad((${first} + g - 1)::text, 6, '0'),
               to_timestamp(${o.nowMs / 1000}) - (g % 1000) * interval '1 minute',
               case when ${o.withTasks} then to_timestamp(${o.nowMs / 1000}) + (g % 20) * interval '1 day' end,
               case when ${o.withTasks} then (to_timestamp(${o.nowMs / 1000}) + (g % 20) * interval '1 day')::date end,
               'running', null,
               case when ${o.withTasks} then 2 else 0 end
        from numbered`);
      if (o.withTasks) {
        await tx.execute(sql`
          insert into tasks (task_key, case_id, agency_code, step, role, clause, title, due_at)
          select c.id || ':acceptance:2', c.id, c.agency_code, 'acceptance', 'acceptor', '5.2.1.2', '受理审查：核对申请材料', c.due_at
          from generate_series(${first}::int, ${first + n - 1}::int) k
          join cases c on c.id = 'enrollment-' || ${o.agencyCode} || '-' || ${year} || '-' || lpad(k::text, 6, '0')`);
      }
      return first;
    });
    for (let i = 0; i < n; i += 1)
      ids.push(`enrollment-${o.agencyCode}-${year}-${String(firstIds + i).padStart(6, '0')}`);
  }
  for (const table of ['persons', 'cases', 'tasks']) await db.execute(sql.raw(`analyze ${table}`));
  return ids;
}
