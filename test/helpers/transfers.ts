/** Helpers for transfer tests: seeding a person's history at an agency, and polling cases. */
import type { Client } from '@temporalio/client';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { personKeyOf, upsertPerson } from '../../db/repositories/persons';
import { getCaseDetail, type CaseDetail } from '../../db/repositories/cases';
import { contributionRecords, persons, relations, transfers } from '../../db/schema';
import { validateIdNumber } from '../../domain/id-number';
import { money } from '../../domain/money';
import { testEnv } from './env';
import { today } from './time';

/** Registers a person at an agency with a relation and monthly records from..to at a base. */
export async function seedHistory(
  db: Db,
  o: {
    idNumber: string;
    name: string;
    agencyCode: string;
    status?: 'contributing' | 'interrupted' | 'receiving';
    periods?: Array<{ from: string; to: string; base: string }>;
  },
): Promise<string> {
  const id = validateIdNumber(o.idNumber, today());
  const person = await upsertPerson(db, {
    idNumber: o.idNumber,
    name: o.name,
    sex: id.sex!,
    birthDate: id.birthDate!,
    personKey: personKeyOf(testEnv.personKeySecret, o.idNumber),
  });
  await db.insert(relations).values({
    personId: person.id,
    agencyCode: o.agencyCode,
    provinceCode: o.agencyCode.slice(0, 2),
    status: o.status ?? 'contributing',
    category: 'other_flexible',
    since: '2019-01-01',
  });
  const rows: Array<typeof contributionRecords.$inferInsert> = [];
  for (const p of o.periods ?? []) {
    let [y, m] = p.from.split('-').map(Number);
    const [ey, em] = p.to.split('-').map(Number);
    while (y * 12 + m <= ey * 12 + em) {
      rows.push({
        personId: person.id,
        agencyCode: o.agencyCode,
        yearMonth: `${y}-${String(m).padStart(2, '0')}`,
        base: p.base,
        amount: money(Number(p.base) * 0.2),
        source: 'test',
      });
      m += 1;
      if (m > 12) {
        m = 1;
        y += 1;
      }
    }
  }
  if (rows.length > 0) await db.insert(contributionRecords).values(rows);
  return person.id;
}

/** Polls a case until the predicate holds (messages travel through the simulator asynchronously). */
/** Pending activities and their last failures, for a failing test's message. */
export async function pendingActivities(client: Client, workflowId: string): Promise<unknown> {
  try {
    const d = await client.workflow.getHandle(workflowId).describe();
    // Failure messages are stored encrypted: decode them with the client's data converter.
    return await Promise.all(
      (d.raw.pendingActivities ?? []).map(async (a) => ({
        type: a.activityType?.name,
        attempt: a.attempt,
        failure: (await decodeOptionalFailureToOptionalError(client.options.loadedDataConverter, a.lastFailure))
          ?.message,
      })),
    );
  } catch (err) {
    return String(err);
  }
}

export async function waitForCase(
  db: Db,
  caseId: string,
  until: (c: CaseDetail) => boolean,
  timeoutMs = 60_000,
  diagnose?: () => Promise<unknown>,
): Promise<CaseDetail> {
  const started = Date.now();
  let last: CaseDetail | undefined;
  for (;;) {
    last = await getCaseDetail(db, caseId);
    if (last && until(last)) return last;
    if (Date.now() - started > timeoutMs) {
      const platform = last?.transfer ? await simulator(`/messages?transferId=${last.transfer.transferId}`) : [];
      throw new Error(
        `case ${caseId} did not reach the expected state in ${timeoutMs} ms; last: ${JSON.stringify(last && { stage: last.stage, status: last.status, waitingOn: last.waitingOn, events: last.events.map((e) => e.type), messages: last.messages })}; platform: ${JSON.stringify(platform).slice(0, 3000)}; diagnosis: ${JSON.stringify(await diagnose?.())}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The case of a transfer on one side, once it exists. */
export async function caseOfTransfer(
  db: Db,
  transferId: string,
  side: 'in' | 'out',
  timeoutMs = 30_000,
): Promise<string> {
  const started = Date.now();
  for (;;) {
    const [row] = await db
      .select({ caseId: transfers.caseId })
      .from(transfers)
      .where(and(eq(transfers.transferId, transferId), eq(transfers.side, side)));
    if (row) return row.caseId;
    if (Date.now() - started > timeoutMs) throw new Error(`no ${side} case for transfer ${transferId}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function simulator(path: string, init?: { method?: string; body?: unknown }): Promise<unknown> {
  const res = await fetch(`${testEnv.platformUrl}${path}`, {
    method: init?.method ?? 'GET',
    headers: init?.body ? { 'content-type': 'application/json' } : {},
    body: init?.body ? JSON.stringify(init.body) : undefined,
  });
  return res.json();
}

/** The relations a person holds in one installation's database (any status). */
export async function relationsOf(db: Db, idNumber: string) {
  return db
    .select({
      agencyCode: relations.agencyCode,
      status: relations.status,
      stopReason: relations.stopReason,
      temporaryAccount: relations.temporaryAccount,
      lastCaseId: relations.lastCaseId,
    })
    .from(relations)
    .innerJoin(persons, eq(persons.id, relations.personId))
    .where(eq(persons.idNumber, idNumber));
}

/**
 * Tells the simulator to misbehave for matching messages. The simulator is shared by every test
 * file running at the same time: always narrow a fault by `to` (a random agency of the file) or
 * by `transferId`.
 */
export async function addFault(fault: {
  action: 'delay' | 'duplicate' | 'drop_then_retry' | 'delay_fund_response';
  type?: string;
  to?: string;
  transferId?: string;
  times?: number;
  delayMs?: number;
}): Promise<void> {
  if (!fault.to && !fault.transferId)
    throw new Error('narrow the fault by `to` or `transferId`: other test files share the simulator');
  await simulator('/faults', { method: 'POST', body: { times: 1, ...fault } });
}

/** Holds (or releases) every delivery to an agency at the simulator, as if its province did not answer. */
export async function holdAgency(code: string, hold: boolean): Promise<void> {
  const res = (await simulator(`/agencies/${code}/hold`, { method: 'POST', body: { hold } })) as { ok?: boolean };
  if (!res.ok) throw new Error(`the simulator does not know agency ${code}: ${JSON.stringify(res)}`);
}

/** A message as the simulator records it. */
export interface SimulatorMessage {
  envelope: {
    messageId: string;
    type: string;
    transferId: string;
    from: string;
    to: string;
    payload: Record<string, unknown>;
  };
  status: 'pending' | 'delivered' | 'refused';
  attempts: number;
  deliveries: number;
  lastError?: string;
  applied: string[];
}

export async function simulatorMessages(transferId: string): Promise<SimulatorMessage[]> {
  return (await simulator(`/messages?transferId=${encodeURIComponent(transferId)}`)) as SimulatorMessage[];
}
