/**
 * Arming and re-arming long-lived watches from outside a workflow: the person's retirement watch
 * (B-7), started if missing and signalled with `inputsChanged` (a file correction, changed rules).
 */
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import {
  notePreReviewDate,
  noteRetirementWatchArmed,
  planOf,
  retirementWatchesDue,
} from '../../db/repositories/retirement';
import { signInput, type AssertedBy, type AssertionSigner } from '../auth/assertions';
import { persons, relations } from '../../db/schema';
import { addCalendarDays, chinaDateOf } from '../../domain/working-days';
import { inputsChangedSignal, retirementWatchId, type InputsChange } from '../../workflows/retirement-watch';
import { retirementWatchStart, startWorkflow } from './workflow-starts';

/** Starts the person's watch; false when one is running already. */
export async function startRetirementWatch(client: Client, taskQueue: string, personKey: string): Promise<boolean> {
  try {
    await startWorkflow(client, retirementWatchStart(taskQueue, personKey));
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}

/**
 * How many days before a person's pre-review date the watch is started. Until then nothing runs
 * for the person in Temporal: the date is on the person (persons.pre_review_on, noted by the
 * enrollment), so a province's 1.5 million insured people are not 1.5 million workflows sleeping
 * for decades, and an enrollment does not start one.
 */
export const RETIREMENT_WATCH_HORIZON_DAYS = 31;

/**
 * Starts the retirement watch of every person whose pre-review date is at most the horizon away
 * (or past) and for whose date no watch was started yet; a running watch is left alone. Run by
 * the reconciler (composition/system.ts) every half minute, so a watch starts within a minute of its
 * person coming into the horizon, or of an enrollment of someone close to retirement. Returns
 * how many were started. Tests arm one person's watch ahead of time (`personKey`, a later `nowMs`).
 */
export async function armDueRetirementWatches(o: {
  db: Db;
  client: Client;
  taskQueue: string;
  nowMs: number;
  limit?: number;
  personKey?: string;
}): Promise<number> {
  const cutoff = addCalendarDays(chinaDateOf(o.nowMs), RETIREMENT_WATCH_HORIZON_DAYS);
  const due = await retirementWatchesDue(o.db, { cutoff, limit: o.limit ?? 500, personKey: o.personKey });
  let started = 0;
  for (const { personKey, preReviewOn } of due) {
    if (await startRetirementWatch(o.client, o.taskQueue, personKey)) started += 1;
    await noteRetirementWatchArmed(o.db, personKey, preReviewOn);
  }
  return started;
}

/**
 * Tells the person's watch that its inputs changed, signed as `by` (the watch takes no unsigned
 * change: workflows/shared/trust.ts). A person whose watch is not running gets none started: the
 * pre-review date on the person is computed again instead, and the reconciler starts the watch
 * when that date comes near (armDueRetirementWatches) — a rules change must not start a watch for
 * each of a province's insured people, most of them decades from retirement.
 */
export async function signalInputsChanged(
  deps: { client: Client; db: Db; taskQueue: string; nowMs: number },
  personKey: string,
  change: InputsChange,
  signing: { signer: AssertionSigner; by: AssertedBy },
): Promise<'signalled' | 'noted'> {
  const signed = signInput(signing.signer, change, {
    actor: signing.by,
    caseId: retirementWatchId(personKey),
    action: 'inputsChanged',
    key: randomUUID(),
  });
  try {
    await deps.client.workflow.getHandle(retirementWatchId(personKey)).signal(inputsChangedSignal, signed);
    return 'signalled';
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  const [person] = await deps.db.select().from(persons).where(eq(persons.personKey, personKey));
  if (person) await notePreReviewDate(deps.db, person.id, await planOf(deps.db, person, deps.nowMs), { armed: false });
  return 'noted';
}

/**
 * Every person who may still reach retirement here (a relation contributing or interrupted),
 * by person key, in pages; `fn` runs for a page's keys at a bounded concurrency.
 */
async function forEachInsuredPerson(
  db: Db,
  fn: (personKey: string) => Promise<void>,
  o: { pageSize?: number; concurrency?: number } = {},
): Promise<number> {
  const pageSize = o.pageSize ?? 500;
  const concurrency = o.concurrency ?? 16;
  let after = '';
  let count = 0;
  for (;;) {
    const page = await db
      .selectDistinct({ personKey: persons.personKey })
      .from(persons)
      .innerJoin(relations, eq(relations.personId, persons.id))
      .where(and(gt(persons.personKey, after), inArray(relations.status, ['contributing', 'interrupted'])))
      .orderBy(asc(persons.personKey))
      .limit(pageSize);
    for (let i = 0; i < page.length; i += concurrency) {
      await Promise.all(page.slice(i, i + concurrency).map((p) => fn(p.personKey)));
    }
    count += page.length;
    if (page.length < pageSize) return count;
    after = page[page.length - 1].personKey;
  }
}

/** `npm run watches:arm`: starts the retirement watch of every insured person that has none running. */
export async function armAllRetirementWatches(o: {
  db: Db;
  client: Client;
  taskQueue: string;
}): Promise<{ persons: number; started: number }> {
  let started = 0;
  const persons = await forEachInsuredPerson(o.db, async (personKey) => {
    if (await startRetirementWatch(o.client, o.taskQueue, personKey)) started += 1;
  });
  return { persons, started };
}

/**
 * `npm run watches:rules-changed`: the retirement rules or parameters changed; every running watch
 * computes again, and every other insured person's pre-review date is computed again.
 */
export async function signalAllRulesChanged(o: {
  db: Db;
  client: Client;
  taskQueue: string;
  note: string;
  actor?: { id: string; role: string };
  signer: AssertionSigner;
  nowMs?: number;
}): Promise<{ signalled: number; noted: number }> {
  const by = o.actor ? { ...o.actor, agencies: ['*'] } : { id: 'watches-cli', role: 'system', agencies: ['*'] };
  const deps = { client: o.client, db: o.db, taskQueue: o.taskQueue, nowMs: o.nowMs ?? Date.now() };
  let signalled = 0;
  let noted = 0;
  await forEachInsuredPerson(o.db, async (personKey) => {
    const done = await signalInputsChanged(
      deps,
      personKey,
      { reason: 'rules_changed', note: o.note, actor: o.actor },
      { signer: o.signer, by },
    );
    if (done === 'signalled') signalled += 1;
    else noted += 1;
  });
  return { signalled, noted };
}
