/**
 * Receiving an application: in one transaction, register (or find) the person, refuse a second
 * open case of the same procedure, allocate the case number, write the case, its materials and
 * its first event, and remember the Idempotency-Key. Then start the workflow.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { findPersonByIdNumber, NameMismatchError, personKeyOf, upsertPerson } from '../../db/repositories/persons';
import { appendEvent } from '../../db/repositories/events';
import { electronicCopy } from '../../db/repositories/case-steps';
import {
  caseCounters,
  caseMaterials,
  cases,
  idempotencyKeys,
  persons,
  type Case,
  type Person,
  type Procedure,
} from '../../db/schema';
import { caseNumber, caseWorkflowId } from '../../domain/case-ids';
import type { Material } from '../../domain/materials';
import { chinaDateOf } from '../../domain/working-days';
import { ApiError, conflict, unprocessable } from '../errors';
import type { Actor } from '../../domain/case-records';
import type { CaseStarter } from './case-starter';
import { mismatch, requestHash } from './idempotency';

export interface IntakeDeps {
  db: Db;
  starter: CaseStarter;
  personKeySecret: string;
  now: () => Date;
  log: { warn(obj: object, msg: string): void };
  /** False while Temporal is known to be down: the workflow is left to the reconciler at once (202). */
  temporalUp?: () => boolean;
}

export interface PersonInput {
  idNumber: string;
  name: string;
  sex: 'male' | 'female';
  birthDate: string;
  phone?: string;
  /** For messages from other agencies: a different name does not refuse the message (the workflow checks it). */
  keepExistingName?: boolean;
}

export interface NewCase {
  procedure: Procedure;
  agencyCode: string;
  channel: 'online' | 'offline' | 'platform';
  /** A person to register on first contact, or only an ID number that must be known already. */
  person: PersonInput | { idNumber: string };
  application: Record<string, unknown>;
  materials: Material[];
  /** The verified staff member who received an offline application (kept with the application, passed to the workflow). */
  receivedBy?: Actor;
  /** The Idempotency-Key, its scope (route and caller: `keyScope`) and the body it is bound to. */
  idempotency?: { scope: string; key: string; body: unknown };
  /** False: start the workflow and return at once, without waiting for it to settle. */
  settle?: boolean;
  /** Further rows written in the same transaction (e.g. the transfer's correlation). */
  afterInsert?: (tx: Tx, row: Case, person: Person) => Promise<void>;
}

export interface IntakeResult {
  caseId: string;
  /** True when the Idempotency-Key had been seen: nothing new was created. */
  replayed: boolean;
  /** False when Temporal could not be reached; the reconciler will start the workflow. */
  started: boolean;
}

class ReplayFound extends Error {
  constructor(readonly caseId: string) {
    super('idempotent replay');
  }
}

async function allocateCaseNumber(tx: Tx, agencyCode: string, year: number): Promise<string> {
  const [row] = await tx
    .insert(caseCounters)
    .values({ agencyCode, year, last: 1 })
    .onConflictDoUpdate({
      target: [caseCounters.agencyCode, caseCounters.year],
      set: { last: sql`${caseCounters.last} + 1` },
    })
    .returning({ last: caseCounters.last });
  return caseNumber(year, row.last);
}

function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const pg = e?.code ? e : e?.cause;
  return pg?.code === '23505' && pg?.constraint === constraint;
}

/** An error and its causes, one message each ("Update-With-Start failed: … : …"), for the log. */
function errorChain(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e !== undefined && parts.length < 5; e = e instanceof Error ? e.cause : undefined) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : JSON.stringify(e));
  }
  return parts.join(' ← ');
}

export function createCaseIntake(deps: IntakeDeps) {
  async function findReplay(scope: string, key: string, hash: string): Promise<string | undefined> {
    const [row] = await deps.db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
    if (!row) return undefined;
    if (row.requestHash !== hash) mismatch();
    return row.caseId;
  }

  async function openCaseOf(personId: string, procedure: Procedure): Promise<string | undefined> {
    const [row] = await deps.db
      .select({ id: cases.id })
      .from(cases)
      .where(and(eq(cases.personId, personId), eq(cases.procedure, procedure), eq(cases.status, 'open')));
    return row?.id;
  }

  async function insertCase(nc: NewCase, hash: string | undefined): Promise<{ row: Case; person: Person }> {
    const receivedAt = deps.now();
    return deps.db.transaction(async (tx) => {
      let person: Person | undefined;
      if ('name' in nc.person) {
        const personKey = personKeyOf(deps.personKeySecret, nc.person.idNumber);
        try {
          const existing = nc.person.keepExistingName ? await findPersonByIdNumber(tx, nc.person.idNumber) : undefined;
          person = existing ?? (await upsertPerson(tx, { ...nc.person, personKey }));
        } catch (err) {
          if (err instanceof NameMismatchError) {
            throw unprocessable('applicant.name_mismatch', '姓名与该身份证号码已登记的姓名不一致', 'applicant.name');
          }
          throw err;
        }
      } else {
        person = await findPersonByIdNumber(tx, nc.person.idNumber);
        if (!person) throw unprocessable('person.not_registered', '该身份证号码在本系统中没有参保登记记录', 'idNumber');
      }
      const open = await tx
        .select({ id: cases.id })
        .from(cases)
        .where(and(eq(cases.personId, person.id), eq(cases.procedure, nc.procedure), eq(cases.status, 'open')));
      if (open.length > 0) {
        throw conflict('case.already_open', `该申请人已有办理中的同类案件 ${open[0].id}`, { caseId: open[0].id });
      }
      const number = await allocateCaseNumber(tx, nc.agencyCode, Number(chinaDateOf(receivedAt.getTime()).slice(0, 4)));
      const caseId = caseWorkflowId(nc.procedure, nc.agencyCode, number);
      const [row] = await tx
        .insert(cases)
        .values({
          id: caseId,
          procedure: nc.procedure,
          agencyCode: nc.agencyCode,
          channel: nc.channel,
          stage: 'received',
          personId: person.id,
          application: nc.receivedBy
            ? { ...nc.application, receivedBy: { id: nc.receivedBy.id, role: nc.receivedBy.role } }
            : nc.application,
          workflowId: caseId,
          receivedAt,
        })
        .returning();
      if (nc.materials.length > 0) {
        await tx
          .insert(caseMaterials)
          .values(
            nc.materials.map((m) => ({
              caseId,
              kind: m.kind,
              ref: m.ref ?? null,
              ...electronicCopy(m),
              round: 0,
              submittedAt: receivedAt,
            })),
          )
          .onConflictDoNothing();
      }
      if (nc.afterInsert) await nc.afterInsert(tx, row, person);
      await appendEvent(tx, {
        caseId,
        eventKey: `${caseId}#0`,
        type: 'application_received',
        clause: null,
        stage: 'received',
        actorId: nc.receivedBy?.id ?? null,
        actorRole: nc.receivedBy?.role ?? null,
        detail: { channel: nc.channel, materials: nc.materials.map((m) => m.kind) },
        occurredAt: receivedAt,
      });
      if (nc.idempotency && hash) {
        const inserted = await tx
          .insert(idempotencyKeys)
          .values({
            scope: nc.idempotency.scope,
            key: nc.idempotency.key,
            requestHash: hash,
            caseId,
            responseStatus: 201,
          })
          .onConflictDoNothing()
          .returning({ key: idempotencyKeys.key });
        // A concurrent request with the same key won: roll back ours and answer with theirs.
        if (inserted.length === 0) throw new ReplayFound('');
      }
      return { row, person };
    });
  }

  /**
   * A replay answers like the original: the original request may still be between its commit and
   * its workflow start, so start (or attach to) the workflow and wait for it to settle, exactly
   * as the original does (update-with-start with USE_EXISTING is idempotent).
   */
  async function settleReplay(caseId: string): Promise<IntakeResult> {
    const [row] = await deps.db
      .select({ c: cases, personKey: persons.personKey })
      .from(cases)
      .innerJoin(persons, eq(persons.id, cases.personId))
      .where(eq(cases.id, caseId));
    try {
      await deps.starter.startAndSettle(row.c, row.personKey);
      return { caseId, replayed: true, started: true };
    } catch (err) {
      deps.log.warn({ caseId, err: errorChain(err) }, 'workflow start deferred to the reconciler');
      return { caseId, replayed: true, started: false };
    }
  }

  return {
    async create(nc: NewCase): Promise<IntakeResult> {
      const hash = nc.idempotency ? requestHash(nc.idempotency.body) : undefined;
      if (nc.idempotency && hash) {
        const replay = await findReplay(nc.idempotency.scope, nc.idempotency.key, hash);
        if (replay) return settleReplay(replay);
      }
      let created: { row: Case; person: Person };
      try {
        created = await insertCase(nc, hash);
      } catch (err) {
        // A concurrent request with the same key committed first; its case then also shows up here
        // as "already open" (our check or the unique index): answer with that case.
        const lostRace =
          err instanceof ReplayFound ||
          (err instanceof ApiError && err.code === 'case.already_open') ||
          isUniqueViolation(err, 'cases_one_open_per_person_procedure');
        if (lostRace && nc.idempotency && hash) {
          const replay = await findReplay(nc.idempotency.scope, nc.idempotency.key, hash);
          if (replay) return settleReplay(replay);
        }
        if (isUniqueViolation(err, 'cases_one_open_per_person_procedure')) {
          const person = await findPersonByIdNumber(deps.db, nc.person.idNumber);
          const open = person && (await openCaseOf(person.id, nc.procedure));
          throw conflict('case.already_open', `该申请人已有办理中的同类案件 ${open ?? ''}`.trim(), { caseId: open });
        }
        throw err;
      }
      if (deps.temporalUp && !deps.temporalUp()) {
        deps.log.warn({ caseId: created.row.id }, 'Temporal unavailable: workflow start deferred to the reconciler');
        return { caseId: created.row.id, replayed: false, started: false };
      }
      try {
        if (nc.settle === false) await deps.starter.start(created.row, created.person.personKey);
        else await deps.starter.startAndSettle(created.row, created.person.personKey);
        return { caseId: created.row.id, replayed: false, started: true };
      } catch (err) {
        deps.log.warn({ caseId: created.row.id, err: errorChain(err) }, 'workflow start deferred to the reconciler');
        return { caseId: created.row.id, replayed: false, started: false };
      }
    },
  };
}

export type CaseIntake = ReturnType<typeof createCaseIntake>;
