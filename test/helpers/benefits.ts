/**
 * Test data for the benefits tests: pensioners with an award written straight into the database
 * (the benefit claim is another module's), contribution months, payroll runs through the
 * workflow, and a harness on a database of the test's own — payroll runs are per month for the
 * whole database, so runs of one test must not pay (or count) another test's awards.
 */
import { randomInt } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { PayrollTotals } from '../../activities/payroll';
import { getPayrollRun } from '../../db/repositories/awards';
import { personKeyOf, upsertPerson } from '../../db/repositories/persons';
import { awards, cases, contributionRecords, payments, relations, tasks } from '../../db/schema';
import { validateIdNumber } from '../../domain/id-number';
import { makeIdNumber, testEnv, uniqueName } from './env';
import { startHarness, type Harness } from './harness';
import { createDatabase } from './installation';
import { eventually } from './wait';
import { today } from './time';
import { startWorkflow } from '../../api/services/workflow-starts';

/** A harness whose worker and API use a fresh, migrated database of their own. */
export async function startPrivateHarness(o: { timeSkipping?: boolean } = {}): Promise<Harness> {
  return startHarness({ ...o, databaseUrl: await createDatabase('benefits') });
}

export interface Pensioner {
  idNumber: string;
  personId: string;
  personKey: string;
  awardId: string;
  caseId: string;
  agencyCode: string;
}

/** A person with a `receiving` relation and an award certified by a (closed) claim case. */
export async function seedPensioner(
  h: Harness,
  o: {
    agencyCode?: string;
    certifiedOn?: string;
    firstPaymentMonth: string;
    monthlyAmount: string;
    lastCertifiedOn?: string;
    birthDate?: string;
    sex?: 'male' | 'female';
  },
): Promise<Pensioner> {
  const agencyCode = o.agencyCode ?? '620102';
  const idNumber = makeIdNumber({ birthDate: o.birthDate ?? '1962-04-18', sex: o.sex ?? 'male' });
  const check = validateIdNumber(idNumber, today());
  const personKey = personKeyOf(testEnv.personKeySecret, idNumber);
  const person = await upsertPerson(h.db, {
    idNumber,
    name: '测试退休人员',
    sex: check.sex!,
    birthDate: check.birthDate!,
    personKey,
  });
  await h.db.insert(relations).values({
    personId: person.id,
    agencyCode,
    provinceCode: agencyCode.slice(0, 2),
    status: 'receiving',
    category: 'part_time',
    since: o.certifiedOn ?? '2022-05-10',
  });
  const caseId = `benefit-claim-${agencyCode}-2022-${String(randomInt(900_000, 1_000_000))}`;
  const receivedAt = new Date('2022-04-20T02:00:00Z');
  await h.db.insert(cases).values({
    id: caseId,
    procedure: 'benefit_claim',
    agencyCode,
    channel: 'offline',
    status: 'closed',
    stage: 'closed',
    outcome: 'approved',
    personId: person.id,
    application: {},
    workflowId: caseId,
    receivedAt,
    closedAt: receivedAt,
  });
  const [award] = await h.db
    .insert(awards)
    .values({
      caseId,
      personId: person.id,
      agencyCode,
      certifiedOn: o.certifiedOn ?? '2022-05-10',
      firstPaymentMonth: o.firstPaymentMonth,
      monthlyAmount: o.monthlyAmount,
      basic: o.monthlyAmount,
      account: '0.00',
      transitional: '0.00',
      divisor: '139',
      inputs: { seededBy: 'test' },
      working: {},
      ruleVersion: 'test',
      lastCertifiedOn: o.lastCertifiedOn ?? o.certifiedOn ?? '2022-05-10',
    })
    .returning({ id: awards.id });
  return { idNumber, personId: person.id, personKey, awardId: award.id, caseId, agencyCode };
}

/** Contribution records for consecutive months starting at `from` ('YYYY-MM'). */
export async function seedContributionMonths(
  h: Harness,
  o: { personId: string; agencyCode?: string; from: string; months: number },
): Promise<void> {
  const [y, m] = o.from.split('-').map(Number);
  const rows = Array.from({ length: o.months }, (_, i) => {
    const index = y * 12 + (m - 1) + i;
    const yearMonth = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
    return {
      personId: o.personId,
      agencyCode: o.agencyCode ?? '620102',
      yearMonth,
      base: '5000.00',
      amount: '1000.00',
      source: 'test',
    };
  });
  await h.db.insert(contributionRecords).values(rows);
}

/**
 * Runs the payroll workflow for a month and returns its totals as recorded. It waits by polling,
 * not with result(): on the time-skipping server result() lets the server skip time, which
 * would fire other workflows' timers (a certification due date) in the middle of a test step.
 */
export async function runPayroll(h: Harness, month: string): Promise<PayrollTotals> {
  const handle = await startWorkflow(h.client, {
    type: 'payrollRun',
    options: { workflowId: uniqueName(`payroll-${month}`), taskQueue: h.taskQueue, args: [{ month }] },
  });
  const described = await eventually(
    () => handle.describe(),
    (d) => d.status.name !== 'RUNNING',
    60_000,
  );
  if (described.status.name !== 'COMPLETED') throw new Error(`payroll run for ${month}: ${described.status.name}`);
  const run = (await getPayrollRun(h.db, month))!;
  return {
    month: run.month,
    paid: run.paid,
    arrears: run.arrears,
    skipped: run.skipped,
    adjustments: run.adjustments,
    adjustmentTotal: run.adjustmentTotal,
    total: run.total,
  };
}

/** The award's payments as "month kind amount runMonth". */
export async function paymentsOf(h: Harness, awardId: string): Promise<string[]> {
  const rows = await h.db.select().from(payments).where(eq(payments.awardId, awardId)).orderBy(asc(payments.month));
  return rows.map((p) => `${p.month} ${p.kind} ${p.amount} ${p.runMonth}`);
}

export async function awardOf(h: Harness, awardId: string) {
  const [row] = await h.db.select().from(awards).where(eq(awards.id, awardId));
  return row;
}

/** The tasks of a case. */
export async function tasksOf(h: Harness, caseId: string) {
  return h.db
    .select()
    .from(tasks)
    .where(and(eq(tasks.caseId, caseId)));
}
