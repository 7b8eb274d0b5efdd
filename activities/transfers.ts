/**
 * Activities of the cross-province transfer (section 9). Workflows pass case and message IDs
 * only; the contents — names, ID numbers, the information sheet — are read from and written to
 * the database here, so no personal data enters Temporal.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { and, eq, inArray, like, ne, sql } from 'drizzle-orm';
import { PlatformRefusedError, type TransferPlatform } from '../adapters/transfer-platform/platform';
import { summarise, type PlatformEnvelope, type PlatformMessageType } from '../adapters/transfer-platform/messages';
import type { Db, DbOrTx } from '../db/client';
import { loadParameterSet } from '../db/parameters-store';
import { loadProvincialRecord } from '../db/repositories/provincial-record';
import { applyStep } from '../db/repositories/case-steps';
import { personOfCase, stopRelation } from '../db/repositories/relations';
import {
  accountEntries,
  agencies,
  cases,
  contributionRecords,
  fundTransfers,
  persons,
  platformMessages,
  relations,
  transferredPeriods,
  transfers,
  type Agency,
} from '../db/schema';
import { summariseProvincialRecord, type ProvincialSummary } from '../domain/contribution-summary';
import { buildContactLetter, buildInformationSheet, validateInformationSheet, type InformationSheet } from '../domain/information-sheet';
import type { RequiredItem } from '../domain/materials';
import { money } from '../domain/money';
import { MissingParametersError, ParameterResolver, type AwaitingParameters } from '../domain/parameter-resolver';
import { sheetRowsFromRecord } from '../domain/sheet-rows';
import { TransferRuleError } from '../domain/transfer-errors';
import { transferEligibility, type TransferRoute } from '../domain/transfer-eligibility';
import { computeTransferFunds } from '../domain/transfer-funds';
import { chinaDateOf } from '../domain/working-days';
import type { StepRecord } from '../workflows/shared/types';

export interface TransferDeps {
  db: Db;
  platform: TransferPlatform;
}

const LIVE = ['contributing', 'interrupted', 'receiving'] as const;

async function context(db: DbOrTx, caseId: string) {
  const [row] = await db
    .select({ c: cases, p: persons, t: transfers })
    .from(cases)
    .innerJoin(persons, eq(persons.id, cases.personId))
    .innerJoin(transfers, eq(transfers.caseId, cases.id))
    .where(eq(cases.id, caseId));
  if (!row) throw ApplicationFailure.nonRetryable(`transfer case ${caseId} not found`, 'case.not_found');
  const found = await db.select().from(agencies).where(inArray(agencies.code, [row.t.agencyCode, row.t.counterpartAgency]));
  const here = found.find((a) => a.code === row.t.agencyCode);
  const there = found.find((a) => a.code === row.t.counterpartAgency);
  return { case: row.c, person: row.p, transfer: row.t, here, there };
}

function requireAgency(agency: Agency | undefined, code: string): Agency {
  if (!agency) throw ApplicationFailure.nonRetryable(`agency ${code} is not in the agency directory`, 'agency.unknown');
  return agency;
}

async function inboundBody(db: DbOrTx, messageId: string): Promise<PlatformEnvelope> {
  const [row] = await db.select().from(platformMessages).where(and(eq(platformMessages.messageId, messageId), eq(platformMessages.direction, 'in')));
  if (!row) throw ApplicationFailure.nonRetryable(`inbound message ${messageId} not found`, 'message.not_found');
  return row.body as unknown as PlatformEnvelope;
}

/** Every month from start to end, "YYYY-MM". */
function monthsBetween(start: string, end: string): string[] {
  const out: string[] = [];
  let y = Number(start.slice(0, 4));
  let m = Number(start.slice(5, 7));
  const last = Number(end.slice(0, 4)) * 12 + Number(end.slice(5, 7));
  while (y * 12 + m <= last && out.length < 1200) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/** Heartbeats when running as an activity (the function is also called directly in tests). */
function heartbeatIfActivity(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // Not inside an activity.
  }
}

export function createTransferActivities({ db, platform }: TransferDeps) {
  /** Records an outbound message and sends it; idempotent by message ID on both ends. */
  async function send(caseId: string, envelope: PlatformEnvelope): Promise<void> {
    await db
      .insert(platformMessages)
      .values({
        messageId: envelope.messageId,
        direction: 'out',
        type: envelope.type,
        transferId: envelope.transferId,
        caseId,
        fromAgency: envelope.from,
        toAgency: envelope.to,
        body: envelope,
        summary: summarise(envelope),
        status: 'failed',
        occurredAt: new Date(envelope.sentAt),
      })
      .onConflictDoNothing();
    const method: Record<PlatformMessageType, keyof TransferPlatform> = {
      transfer_application: 'sendContactLetter',
      contact_letter: 'sendContactLetter',
      application_rejected: 'rejectApplication',
      contact_letter_rejected: 'rejectContactLetter',
      information_sheet: 'sendInformationSheet',
      sheet_returned: 'returnSheetForCorrection',
      sheet_confirmed: 'confirmSheet',
      funds_transferred: 'sendInformationSheet',
      funds_received: 'confirmReceipt',
      completion_feedback: 'sendCompletionFeedback',
      reminder: 'sendReminder',
    };
    try {
      await (platform[method[envelope.type]] as (m: PlatformEnvelope) => Promise<unknown>)(envelope);
    } catch (err) {
      if (err instanceof PlatformRefusedError) throw ApplicationFailure.nonRetryable(err.message, 'platform.refused');
      throw err;
    }
    await db
      .update(platformMessages)
      .set({ status: 'sent', updatedAt: new Date() })
      .where(and(eq(platformMessages.messageId, envelope.messageId), eq(platformMessages.direction, 'out')));
  }

  return {
    /** T-2 review of a transfer-in application, from the person and the application. */
    async reviewTransferIn(input: { caseId: string }): Promise<{ route: TransferRoute; reasons: RequiredItem[]; condition?: string; basis: string[]; ruleVersion: string }> {
      const ctx = await context(db, input.caseId);
      const app = ctx.case.application as {
        fromAgencyCode: string;
        householdCode?: string;
        returningHome?: boolean;
        reachedBenefitConditions?: boolean;
        yearsAtEachPlace?: Array<{ agencyCode: string; years: number; temporaryAccountOnly?: boolean }>;
      };
      const receiving = await db
        .select({ id: relations.id })
        .from(relations)
        .where(and(eq(relations.personId, ctx.person.id), eq(relations.status, 'receiving')));
      const province = ctx.case.agencyCode.slice(0, 2);
      if (app.fromAgencyCode.slice(0, 2) === province) {
        // T-1: within the province nothing is transferred, but there must be a relation to continue.
        const live = await db
          .select({ id: relations.id })
          .from(relations)
          .where(and(eq(relations.personId, ctx.person.id), eq(relations.provinceCode, province), inArray(relations.status, [...LIVE])));
        if (live.length === 0) {
          return {
            route: 'refused',
            reasons: [{ code: 'no_relation_in_province', text: '申请人在本省没有有效的基本养老保险关系，省内流动无需转移，请直接办理参保登记' }],
            basis: [],
            ruleVersion: 'transfer-in-review/1',
          };
        }
      }
      let result: ReturnType<typeof transferEligibility>;
      try {
        result = transferEligibility({
          sex: ctx.person.sex,
          birthDate: ctx.person.birthDate,
          moveDate: chinaDateOf(ctx.case.receivedAt.getTime()),
          fromAgencyCode: app.fromAgencyCode,
          toAgencyCode: ctx.case.agencyCode,
          householdRegistrationCode: app.householdCode ?? ctx.person.householdCode ?? undefined,
          returningHome: app.returningHome,
          reachedBenefitConditions: app.reachedBenefitConditions,
          yearsAtEachPlace: app.yearsAtEachPlace,
          isReceivingPension: receiving.length > 0,
        });
      } catch (err) {
        // The rule cannot decide on what the application gives (e.g. the 10-year rule without the
        // years at each place): a refusal that says what is missing, never an activity retried forever.
        if (err instanceof TransferRuleError) {
          return {
            route: 'refused',
            reasons: err.issues.length > 0 ? err.issues.map((i) => ({ code: i.code, text: i.message })) : [{ code: err.code, text: err.message }],
            basis: [],
            ruleVersion: 'transfer-in-review/1',
          };
        }
        throw err;
      }
      return {
        route: result.route,
        reasons: result.reasons.map((text, i) => ({ code: `${result.route}_${i + 1}`, text })),
        condition: result.condition,
        basis: result.basis,
        ruleVersion: result.ruleVersion,
      };
    },

    /** Sends a message of the transfer; the contact letter and the sheet are built from the database. */
    async sendTransferMessage(input: { caseId: string; messageId: string; type: PlatformMessageType; payload?: Record<string, unknown>; sentAt: string }): Promise<void> {
      const ctx = await context(db, input.caseId);
      let payload = input.payload ?? {};
      if (input.type === 'contact_letter') {
        const here = requireAgency(ctx.here, ctx.transfer.agencyCode);
        const there = requireAgency(ctx.there, ctx.transfer.counterpartAgency);
        const letter = buildContactLetter({
          letterNumber: `LXH-${ctx.transfer.transferId}`,
          serialNumber: ctx.case.id,
          personName: ctx.person.name,
          idNumber: ctx.person.idNumber,
          originalAgencyName: there.name,
          newAgency: {
            name: here.name,
            phone: here.phone,
            bankName: here.bankName,
            bankCode: here.bankCode,
            accountName: here.accountName,
            accountNumber: here.accountNumber,
            address: here.address,
            postcode: here.postcode,
          },
          handledDate: input.sentAt.slice(0, 10),
          clerk: 'system',
        });
        payload = { letter };
      } else if (input.type === 'information_sheet') {
        if (!ctx.transfer.sheet) throw ApplicationFailure.nonRetryable('no information sheet prepared', 'sheet.missing');
        payload = { sheet: ctx.transfer.sheet };
      }
      await send(input.caseId, {
        messageId: input.messageId,
        type: input.type,
        transferId: ctx.transfer.transferId,
        from: ctx.transfer.agencyCode,
        // An application filed on the platform is answered to the platform (the applicant's channel).
        to: input.type === 'application_rejected' ? 'platform' : ctx.transfer.counterpartAgency,
        sentAt: input.sentAt,
        payload,
      });
    },

    /** T-5 b: checks a received information sheet against the person and the transfer. */
    async checkInformationSheet(input: { caseId: string; messageId: string }): Promise<{ ok: boolean; problems: RequiredItem[]; sheetVersion: number; total: string; months: number }> {
      const ctx = await context(db, input.caseId);
      const envelope = await inboundBody(db, input.messageId);
      const sheet = (envelope.payload as { sheet: InformationSheet }).sheet;
      const result = validateInformationSheet(sheet, {
        idNumber: ctx.person.idNumber,
        name: ctx.person.name,
        fromAgencyCode: ctx.transfer.counterpartAgency,
        toAgencyCode: ctx.transfer.agencyCode,
      });
      const problems = result.problems.map((p) => ({ code: p.code, text: p.message }));
      // Months paid both there and here (重复缴费) cannot be transferred: the sheet goes back.
      // Records kept for the sending agency itself (an installation serving both sides) are the
      // months being transferred, not a second payment.
      const local = await db
        .select({ yearMonth: contributionRecords.yearMonth })
        .from(contributionRecords)
        .where(and(eq(contributionRecords.personId, ctx.person.id), ne(contributionRecords.agencyCode, ctx.transfer.counterpartAgency)));
      const localMonths = new Set(local.map((r) => r.yearMonth));
      const overlap = (sheet.rows ?? []).flatMap((r) => monthsBetween(r.startYearMonth, r.endYearMonth)).filter((m) => localMonths.has(m));
      if (overlap.length > 0) {
        problems.push({ code: 'duplicate_contribution_months', text: `以下月份在本地已有缴费记录，属重复缴费，不能转移：${overlap.join('、')}` });
      }
      await db
        .update(transfers)
        .set({ sheet: sheet as unknown as Record<string, unknown>, sheetVersion: sheet.sheetVersion, updatedAt: new Date() })
        .where(eq(transfers.caseId, input.caseId));
      return {
        ok: problems.length === 0,
        problems,
        sheetVersion: sheet.sheetVersion,
        total: sheet.funds?.total ?? '0.00',
        months: sheet.localActualMonths,
      };
    },

    /** The reasons of a rejection received from the other side (texts only). */
    async readRejection(input: { messageId: string }): Promise<RequiredItem[]> {
      const payload = (await inboundBody(db, input.messageId)).payload as { reasons: RequiredItem[] };
      return payload.reasons.map((r) => ({ code: String(r.code), text: String(r.text) }));
    },

    /** T-5 c: the remitted amounts must equal the confirmed sheet's items ④ ⑤ ⑥. */
    async checkTransferFunds(input: { caseId: string; messageId: string }): Promise<{ ok: boolean; problems: RequiredItem[]; total: string }> {
      const ctx = await context(db, input.caseId);
      const funds = (await inboundBody(db, input.messageId)).payload as { individualAccount: string; pooledFund: string; total: string };
      const sheet = ctx.transfer.sheet as unknown as InformationSheet | null;
      const problems: RequiredItem[] = [];
      if (!sheet) problems.push({ code: 'sheet_missing', text: '尚未收到并确认信息表' });
      else {
        for (const [key, label] of [
          ['individualAccount', '个人账户基金转移额'],
          ['pooledFund', '统筹基金转移额'],
          ['total', '转移基金总额'],
        ] as const) {
          if (funds[key] !== sheet.funds[key]) problems.push({ code: `amount_${key}`, text: `${label}到账 ${funds[key]} 元，与信息表 ${sheet.funds[key]} 元不一致` });
        }
      }
      return { ok: problems.length === 0, problems, total: funds.total };
    },

    /**
     * T-5 c: records the funds in the person's account, the transferred periods, and the
     * relation (resumed or created here), with the case's closing step, in one transaction.
     */
    async completeTransferIn(input: { step: StepRecord; messageId: string }): Promise<void> {
      await db.transaction(async (tx) => {
        if (!(await applyStep(tx, input.step))) return;
        const ctx = await context(tx, input.step.caseId);
        const sheet = ctx.transfer.sheet as unknown as InformationSheet;
        const funds = (await inboundBody(tx, input.messageId)).payload as { individualAccount: string; pooledFund: string; total: string; paymentReference: string };
        const postedOn = chinaDateOf(Date.parse(input.step.occurredAt));
        await tx
          .insert(accountEntries)
          .values({
            personId: ctx.person.id,
            agencyCode: ctx.transfer.agencyCode,
            kind: 'transfer_in',
            amount: funds.individualAccount,
            postedOn,
            entryKey: `transfer-in:${ctx.transfer.transferId}`,
            caseId: ctx.case.id,
            working: { source: 'information sheet item ④', sheetVersion: sheet.sheetVersion, funds, paymentReference: funds.paymentReference },
          })
          .onConflictDoNothing();
        await tx
          .insert(transferredPeriods)
          .values(
            sheet.rows.map((r) => ({
              personId: ctx.person.id,
              transferId: ctx.transfer.transferId,
              regionCode: r.regionCode,
              year: r.year,
              startYearMonth: r.startYearMonth,
              endYearMonth: r.endYearMonth,
              months: r.months,
              monthlyBase: r.monthlyBase,
              row: r as unknown as Record<string, unknown>,
            })),
          )
          .onConflictDoNothing();
        const province = ctx.transfer.agencyCode.slice(0, 2);
        const live = await tx
          .select()
          .from(relations)
          .where(and(eq(relations.personId, ctx.person.id), eq(relations.provinceCode, province), inArray(relations.status, [...LIVE])));
        if (live.length > 0) {
          await tx
            .update(relations)
            .set({ agencyCode: ctx.transfer.agencyCode, status: live[0].status === 'interrupted' ? 'contributing' : live[0].status, temporaryAccount: false, lastCaseId: ctx.case.id, updatedAt: new Date() })
            .where(eq(relations.id, live[0].id));
        } else {
          await tx.insert(relations).values({
            personId: ctx.person.id,
            agencyCode: ctx.transfer.agencyCode,
            provinceCode: province,
            status: 'interrupted',
            category: null,
            since: postedOn,
            lastCaseId: ctx.case.id,
          });
        }
      });
    },

    /** T-1: within the province nothing is transferred; the relation continues at this agency. */
    async continueInProvince(input: { step: StepRecord }): Promise<void> {
      await db.transaction(async (tx) => {
        if (!(await applyStep(tx, input.step))) return;
        const [c] = await tx.select().from(cases).where(eq(cases.id, input.step.caseId));
        const province = c.agencyCode.slice(0, 2);
        await tx
          .update(relations)
          .set({ agencyCode: c.agencyCode, lastCaseId: c.id, updatedAt: new Date() })
          .where(and(eq(relations.personId, c.personId), eq(relations.provinceCode, province), inArray(relations.status, [...LIVE])));
      });
    },

    /**
     * 国办发〔2009〕66号 Art. 5: a man ≥ 50 or woman ≥ 40 not returning home keeps the relation at
     * the old place; contributions here go to a temporary account (临时缴费账户).
     */
    async openTemporaryAccount(input: { step: StepRecord }): Promise<void> {
      await db.transaction(async (tx) => {
        if (!(await applyStep(tx, input.step))) return;
        const [c] = await tx.select().from(cases).where(eq(cases.id, input.step.caseId));
        const province = c.agencyCode.slice(0, 2);
        const live = await tx
          .select()
          .from(relations)
          .where(and(eq(relations.personId, c.personId), eq(relations.provinceCode, province), inArray(relations.status, [...LIVE])));
        if (live.length > 0) {
          await tx.update(relations).set({ temporaryAccount: true, lastCaseId: c.id, updatedAt: new Date() }).where(eq(relations.id, live[0].id));
        } else {
          await tx.insert(relations).values({
            personId: c.personId,
            agencyCode: c.agencyCode,
            provinceCode: province,
            status: 'contributing',
            category: null,
            since: chinaDateOf(Date.parse(input.step.occurredAt)),
            temporaryAccount: true,
            lastCaseId: c.id,
          });
        }
      });
    },

    /** T-6 a: a contact letter can be served when the person holds a live relation here with records. */
    async checkContactLetter(input: { caseId: string; messageId: string }): Promise<{ eligible: boolean; reasons: RequiredItem[] }> {
      const ctx = await context(db, input.caseId);
      // Letters are matched by ID number; a name that differs is caught by the receiving side on the sheet.
      await inboundBody(db, input.messageId);
      const reasons: RequiredItem[] = [];
      const here = await db
        .select()
        .from(relations)
        .where(and(eq(relations.personId, ctx.person.id), eq(relations.agencyCode, ctx.transfer.agencyCode), inArray(relations.status, [...LIVE])));
      if (here.length === 0) reasons.push({ code: 'no_relation_here', text: '参保人在本经办机构没有有效的基本养老保险关系' });
      else if (here[0].status === 'receiving') reasons.push({ code: 'receiving_pension', text: '参保人已按月领取基本养老金，不再转移基本养老保险关系' });
      // Anything the province holds counts: records at any of its agencies, periods transferred in.
      const records = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(contributionRecords)
        .where(and(eq(contributionRecords.personId, ctx.person.id), like(contributionRecords.agencyCode, `${ctx.transfer.agencyCode.slice(0, 2)}%`)));
      const periods = await db.select({ n: sql<number>`count(*)::int` }).from(transferredPeriods).where(eq(transferredPeriods.personId, ctx.person.id));
      if (here.length > 0 && records[0].n + periods[0].n === 0) reasons.push({ code: 'no_contributions', text: '参保人在本地没有缴费记录' });
      return { eligible: reasons.length === 0, reasons };
    },

    /**
     * T-6 a: generates the information sheet from the person's whole record in the province —
     * every agency of the province, the periods and account money transferred in earlier — and
     * the account ledger at each year's published rates, applying staff corrections, and stores
     * it for sending with what it rests on (parameter versions, provisional stand-ins). Answers
     * AwaitingParameters when a value it needs is not published: the case waits for it.
     */
    async prepareInformationSheet(input: {
      caseId: string;
      sheetVersion: number;
      asOf: string;
      corrections?: Record<string, string>;
    }): Promise<{ sheetVersion: number; total: string; months: number; provisional: boolean; parameterSetVersion: number } | AwaitingParameters> {
      const ctx = await context(db, input.caseId);
      const here = requireAgency(ctx.here, ctx.transfer.agencyCode);
      const there = requireAgency(ctx.there, ctx.transfer.counterpartAgency);
      const record = await loadProvincialRecord(db, { personId: ctx.person.id, provinceCode: here.provinceCode });
      // Staff may exclude months the receiving side found paid twice (they are refunded locally).
      const excluded = new Set((input.corrections?.excludeMonths ?? '').split(',').map((m) => m.trim()).filter(Boolean));
      const kept = { ...record, records: record.records.filter((r) => !excluded.has(r.yearMonth)) };
      if (kept.records.length === 0 && kept.transferred.length === 0) throw ApplicationFailure.nonRetryable('no contribution records to transfer', 'sheet.no_records');
      const { rows, version } = await loadParameterSet(db);
      const resolver = new ParameterResolver(rows, here.code);
      let summary: ProvincialSummary;
      try {
        summary = summariseProvincialRecord(kept, { asOf: input.asOf, resolver, withIndex: false });
      } catch (err) {
        if (err instanceof MissingParametersError) return { awaitingParameters: err.missing };
        throw err;
      }
      const places = [...new Set([...kept.records.map((r) => r.agencyCode), here.code].filter((c): c is string => Boolean(c)))];
      const named = await db.select({ code: agencies.code, name: agencies.name }).from(agencies).where(inArray(agencies.code, places));
      const asOfYear = Number(input.asOf.slice(0, 4));
      const { rows: sheetRows, items } = sheetRowsFromRecord(summary, {
        placeNames: new Map(named.map((a) => [a.code, a.name])),
        agency: { code: here.code, name: here.name },
        creditRateByYear: summary.creditRateByYear,
        transfersIn: kept.transfersIn,
        transferYear: asOfYear,
      });
      const first = sheetRows[0].startYearMonth;
      const last = sheetRows[sheetRows.length - 1].endYearMonth;
      const c = input.corrections ?? {};
      const sheet = buildInformationSheet({
        person: {
          name: c.name ?? ctx.person.name,
          idNumber: ctx.person.idNumber,
          birthDate: c.birthDate ?? ctx.person.birthDate,
          workStartDate: c.workStartDate ?? ctx.person.workStartDate ?? undefined,
          firstInsuredDate: `${first}-01`,
          accountOpenedDate: `${(kept.records[0]?.yearMonth ?? first)}-01`,
          localStart: first,
          localEnd: last,
          transferDate: input.asOf,
          fromAgency: { code: here.code, name: here.name },
          toAgency: { code: there.code, name: there.name },
        },
        rows: sheetRows,
        account: items,
        sheetVersion: input.sheetVersion,
      });
      const basis = {
        asOf: input.asOf,
        parameterSetVersion: version,
        provisional: summary.provisional,
        parametersUsed: summary.parametersUsed,
        record: {
          localMonths: summary.localMonths,
          transferredMonths: summary.transferredMonths,
          overlapMonths: summary.overlapMonths,
          agencies: [...new Set(kept.records.map((r) => r.agencyCode))],
          transferredPeriods: kept.transferred.length,
          transfersIn: kept.transfersIn.map((t) => ({ amount: money(t.amount), postedOn: t.postedOn })),
          excludedMonths: [...excluded],
        },
        working: summary.working,
      };
      await db
        .update(transfers)
        .set({ sheet: sheet as unknown as Record<string, unknown>, sheetVersion: sheet.sheetVersion, sheetBasis: basis, updatedAt: new Date() })
        .where(eq(transfers.caseId, input.caseId));
      return { sheetVersion: sheet.sheetVersion, total: sheet.funds.total, months: sheet.localActualMonths, provisional: summary.provisional, parameterSetVersion: version };
    },

    /**
     * T-6 b: remits the funds of the confirmed sheet exactly once. The key is stored with the
     * transfer before the platform is called, and the platform de-duplicates by it, so a worker
     * dying mid-call and the activity's retry never pay twice.
     */
    async remitTransferFunds(input: { caseId: string; idempotencyKey: string }): Promise<{ paymentReference: string; total: string; duplicate: boolean }> {
      const ctx = await context(db, input.caseId);
      const sheet = ctx.transfer.sheet as unknown as InformationSheet | null;
      if (!sheet) throw ApplicationFailure.nonRetryable('no confirmed information sheet', 'sheet.missing');
      const funds = computeTransferFunds({
        years: sheet.rows.map((r) => ({ year: r.year, months: r.months, monthlyBase: r.monthlyBase })),
        account: { before1998Personal: sheet.funds.before1998Personal, from1998ToLastYearEnd: sheet.funds.from1998ToLastYearEnd, currentYearPrincipal: sheet.funds.currentYearPrincipal },
      });
      await db
        .insert(fundTransfers)
        .values({
          idempotencyKey: input.idempotencyKey,
          transferId: ctx.transfer.transferId,
          caseId: input.caseId,
          individualAccount: funds.individualAccount,
          pooledFund: funds.pooledFund,
          total: funds.total,
          status: 'pending',
          working: funds.working as unknown as Record<string, unknown>,
        })
        .onConflictDoNothing();
      await db.update(fundTransfers).set({ attempts: sql`${fundTransfers.attempts} + 1`, updatedAt: new Date() }).where(eq(fundTransfers.idempotencyKey, input.idempotencyKey));
      let result: { paymentReference: string; duplicate: boolean };
      const beat = setInterval(() => heartbeatIfActivity(), 1000);
      try {
        result = await platform.transferFunds({
          idempotencyKey: input.idempotencyKey,
          transferId: ctx.transfer.transferId,
          from: ctx.transfer.agencyCode,
          to: ctx.transfer.counterpartAgency,
          individualAccount: funds.individualAccount,
          pooledFund: funds.pooledFund,
          total: funds.total,
          sheetVersion: sheet.sheetVersion,
        });
      } catch (err) {
        if (err instanceof PlatformRefusedError) throw ApplicationFailure.nonRetryable(err.message, 'platform.refused');
        throw err;
      } finally {
        clearInterval(beat);
      }
      await db
        .update(fundTransfers)
        .set({ status: 'sent', platformReference: result.paymentReference, updatedAt: new Date() })
        .where(eq(fundTransfers.idempotencyKey, input.idempotencyKey));
      return { ...result, total: funds.total };
    },

    /** T-6 b: after the receiving side confirms the funds, the local relation stops (transferred out). */
    async completeTransferOut(input: { step: StepRecord; idempotencyKey: string }): Promise<void> {
      await db.transaction(async (tx) => {
        if (!(await applyStep(tx, input.step))) return;
        const ctx = await context(tx, input.step.caseId);
        const [fund] = await tx.select().from(fundTransfers).where(eq(fundTransfers.idempotencyKey, input.idempotencyKey));
        const postedOn = chinaDateOf(Date.parse(input.step.occurredAt));
        await tx
          .insert(accountEntries)
          .values({
            personId: ctx.person.id,
            agencyCode: ctx.transfer.agencyCode,
            kind: 'transfer_out',
            amount: money(`-${fund.individualAccount}`),
            postedOn,
            entryKey: `transfer-out:${ctx.transfer.transferId}`,
            caseId: ctx.case.id,
            working: fund.working,
          })
          .onConflictDoNothing();
        await stopRelation(tx, {
          personId: await personOfCase(tx, input.step.caseId),
          agencyCode: ctx.transfer.agencyCode,
          reason: 'transferred_out',
          detail: `转往 ${ctx.transfer.counterpartAgency}（${ctx.transfer.transferId}）`,
          effectiveDate: postedOn,
          caseId: ctx.case.id,
        });
      });
    },
  };
}
