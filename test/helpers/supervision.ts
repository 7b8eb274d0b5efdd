/**
 * Test data for supervision and evaluation: cases as the case workflows leave them (the case row
 * with its final clock, its events in the hash chain, its notices), written at chosen instants so
 * figures counted in working days are known exactly. The events are the ones the workflows
 * record for the facts the evaluation counts: `notice_issued` (the clock pauses),
 * `materials_supplemented` with nothing outstanding (it resumes), `deadline_breached`.
 */
import { randomInt } from 'node:crypto';
import type { Db } from '../../db/client';
import { appendEvent } from '../../db/repositories/events';
import { personKeyOf, upsertPerson } from '../../db/repositories/persons';
import { cases, notices } from '../../db/schema';
import type { ClockSnapshot } from '../../domain/case-records';
import { validateIdNumber } from '../../domain/id-number';
import { makeIdNumber, testEnv } from './env';

export interface SeededEvent {
  type: string;
  at: string;
  actor?: { id: string; role: string };
  detail?: Record<string, unknown>;
}

export interface SeededCase {
  agencyCode: string;
  procedure: 'enrollment' | 'stop' | 'benefit_claim' | 'transfer_in' | 'transfer_out';
  channel?: 'online' | 'offline' | 'platform';
  receivedAt: string;
  /** Absent: the case is still open. */
  closedAt?: string;
  outcome?: 'approved' | 'refused' | 'withdrawn';
  outcomeReason?: string;
  /** Working days consumed by closed running segments (the workflow's final clock). */
  consumedWorkingDays?: number;
  events?: SeededEvent[];
  /** Missing-material notices, by round. */
  notices?: Array<{ round: number; at: string; kind?: 'missing_materials' | 'return_for_completion' }>;
  /** Who received it at the counter (application.receivedBy). */
  receivedBy?: { id: string; role: string };
}

const slug = (procedure: string) => procedure.replace('_', '-');

/** A random 62xxxx agency code (the tests' own, so their counts are exact). */
export function randomAgency(): string {
  return `62${String(randomInt(1000, 10_000))}`;
}

export async function seedCase(db: Db, s: SeededCase): Promise<string> {
  const idNumber = makeIdNumber();
  const check = validateIdNumber(idNumber, '2026-01-01');
  const person = await upsertPerson(db, {
    idNumber,
    name: '测试人',
    sex: check.sex!,
    birthDate: check.birthDate!,
    personKey: personKeyOf(testEnv.personKeySecret, idNumber),
  });
  const caseId = `${slug(s.procedure)}-${s.agencyCode}-${s.receivedAt.slice(0, 4)}-${String(randomInt(100_000, 1_000_000))}`;
  const closed = s.closedAt !== undefined;
  const clock: ClockSnapshot = {
    budgetWorkingDays: 0,
    extensionWorkingDays: 0,
    consumedWorkingDays: s.consumedWorkingDays ?? 0,
    state: closed ? 'stopped' : 'running',
    dueDate: null,
    dueAt: null,
    reminderAt: null,
    provisional: false,
    calendarVersion: 1,
    clause: 'test',
    overdue: (s.events ?? []).some((e) => e.type === 'deadline_breached'),
  };
  await db.insert(cases).values({
    id: caseId,
    procedure: s.procedure,
    agencyCode: s.agencyCode,
    channel: s.channel ?? 'offline',
    status: closed ? 'closed' : 'open',
    stage: closed ? 'closed' : 'review',
    waitingOn: closed ? null : 'reviewer',
    outcome: s.outcome ?? null,
    outcomeReason: s.outcomeReason ?? null,
    personId: person.id,
    application: s.receivedBy ? { receivedBy: s.receivedBy } : {},
    workflowId: caseId,
    receivedAt: new Date(s.receivedAt),
    closedAt: closed ? new Date(s.closedAt!) : null,
    clock,
    clockState: clock.state,
  });
  const events: SeededEvent[] = [{ type: 'case_received', at: s.receivedAt, actor: s.receivedBy }, ...(s.events ?? [])];
  if (closed) events.push({ type: 'case_closed', at: s.closedAt! });
  for (const [i, e] of events.sort((a, b) => a.at.localeCompare(b.at)).entries()) {
    await appendEvent(db, {
      caseId,
      eventKey: `${caseId}#${i + 1}`,
      type: e.type,
      clause: null,
      stage: null,
      actorId: e.actor?.id ?? null,
      actorRole: e.actor?.role ?? null,
      detail: e.detail ?? {},
      occurredAt: new Date(e.at),
    });
  }
  for (const n of s.notices ?? []) {
    await db.insert(notices).values({
      caseId,
      kind: n.kind ?? 'missing_materials',
      round: n.round,
      items: [],
      text: '一次性告知书（测试）',
      channel: s.channel ?? 'offline',
      issuedAt: new Date(n.at),
    });
  }
  return caseId;
}

/** The events a one-time notice round and its supplement leave: pause at `pausedAt`, resume at `resumedAt`. */
export function noticeRound(pausedAt: string, resumedAt?: string): SeededEvent[] {
  return [
    { type: 'notice_issued', at: pausedAt, detail: { round: 1 } },
    ...(resumedAt ? [{ type: 'materials_supplemented', at: resumedAt, detail: { outstanding: [] } }] : []),
  ];
}
