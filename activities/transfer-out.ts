/**
 * Activities of a transfer out (section 9, the sending side): the contact letter checked, the
 * information sheet prepared from the whole provincial record, the funds remitted exactly once,
 * and the relation stopped when the receiving side confirms them.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { and, eq, inArray, like, sql } from 'drizzle-orm';
import { loadParameterSet } from '../db/parameters-store';
import { applyStep } from '../db/repositories/case-steps';
import { loadProvincialRecord } from '../db/repositories/provincial-record';
import { personOfCase, stopRelation } from '../db/repositories/relations';
import {
  accountEntries,
  agencies,
  contributionRecords,
  fundTransfers,
  relations,
  transferredPeriods,
  transfers,
} from '../db/schema';
import { summariseProvincialRecord, type ProvincialSummary } from '../domain/contribution-summary';
import type { RequiredItem } from '../domain/materials';
import { money } from '../domain/money';
import { outgoingInformationSheet, sheetPlaces, sheetRecord } from '../domain/outgoing-sheet';
import { MissingParametersError, ParameterResolver, type AwaitingParameters } from '../domain/parameter-resolver';
import { LIVE_RELATION_STATUSES } from '../domain/relation-status';
import { computeTransferFunds } from '../domain/transfer-funds';
import { chinaDateOf } from '../domain/working-days';
import type { StepRecord } from '../domain/case-records';
import { inboundBody, platformFailure, requireAgency, transferContext, type TransferDeps } from './transfer-messages';

/** Heartbeats when running as an activity (the function is also called directly in tests). */
function heartbeatIfActivity(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // Not inside an activity.
  }
}

export function createTransferOutActivities({ db, platform }: TransferDeps) {
  return {
    /** T-6 a: a contact letter can be served when the person holds a live relation here with records. */
    async checkContactLetter(input: {
      caseId: string;
      messageId: string;
    }): Promise<{ eligible: boolean; reasons: RequiredItem[] }> {
      const ctx = await transferContext(db, input.caseId);
      // Letters are matched by ID number; a name that differs is caught by the receiving side on the sheet.
      await inboundBody(db, input.messageId);
      const reasons: RequiredItem[] = [];
      const here = await db
        .select()
        .from(relations)
        .where(
          and(
            eq(relations.personId, ctx.person.id),
            eq(relations.agencyCode, ctx.transfer.agencyCode),
            inArray(relations.status, [...LIVE_RELATION_STATUSES]),
          ),
        );
      if (here.length === 0)
        reasons.push({ code: 'no_relation_here', text: '参保人在本经办机构没有有效的基本养老保险关系' });
      else if (here[0].status === 'receiving')
        reasons.push({ code: 'receiving_pension', text: '参保人已按月领取基本养老金，不再转移基本养老保险关系' });
      // Anything the province holds counts: records at any of its agencies, periods transferred in.
      const records = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(contributionRecords)
        .where(
          and(
            eq(contributionRecords.personId, ctx.person.id),
            like(contributionRecords.agencyCode, `${ctx.transfer.agencyCode.slice(0, 2)}%`),
          ),
        );
      const periods = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(transferredPeriods)
        .where(eq(transferredPeriods.personId, ctx.person.id));
      if (here.length > 0 && records[0].n + periods[0].n === 0)
        reasons.push({ code: 'no_contributions', text: '参保人在本地没有缴费记录' });
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
    }): Promise<
      | { sheetVersion: number; total: string; months: number; provisional: boolean; parameterSetVersion: number }
      | AwaitingParameters
    > {
      const ctx = await transferContext(db, input.caseId);
      const here = requireAgency(ctx.here, ctx.transfer.agencyCode);
      const there = requireAgency(ctx.there, ctx.transfer.counterpartAgency);
      const record = await loadProvincialRecord(db, { personId: ctx.person.id, provinceCode: here.provinceCode });
      const { kept, excluded } = sheetRecord(record, input.corrections);
      if (kept.records.length === 0 && kept.transferred.length === 0)
        throw ApplicationFailure.nonRetryable('no contribution records to transfer', 'sheet.no_records');
      const { rows, version } = await loadParameterSet(db);
      const resolver = new ParameterResolver(rows, here.code);
      let summary: ProvincialSummary;
      try {
        summary = summariseProvincialRecord(kept, { asOf: input.asOf, resolver, withIndex: false });
      } catch (err) {
        if (err instanceof MissingParametersError) return { awaitingParameters: err.missing };
        throw err;
      }
      const named = await db
        .select({ code: agencies.code, name: agencies.name })
        .from(agencies)
        .where(inArray(agencies.code, sheetPlaces(kept, here.code)));
      const { sheet, basis } = outgoingInformationSheet({
        kept,
        excluded,
        summary,
        placeNames: new Map(named.map((a) => [a.code, a.name])),
        here,
        there,
        person: ctx.person,
        corrections: input.corrections,
        asOf: input.asOf,
        sheetVersion: input.sheetVersion,
        parameterSetVersion: version,
      });
      await db
        .update(transfers)
        .set({ sheet, sheetVersion: sheet.sheetVersion, sheetBasis: basis, updatedAt: new Date() })
        .where(eq(transfers.caseId, input.caseId));
      return {
        sheetVersion: sheet.sheetVersion,
        total: sheet.funds.total,
        months: sheet.localActualMonths,
        provisional: summary.provisional,
        parameterSetVersion: version,
      };
    },

    /**
     * T-6 b: remits the funds of the confirmed sheet exactly once. The key is stored with the
     * transfer before the platform is called, and the platform de-duplicates by it, so a worker
     * dying mid-call and the activity's retry never pay twice.
     */
    async remitTransferFunds(input: {
      caseId: string;
      idempotencyKey: string;
    }): Promise<{ paymentReference: string; total: string; duplicate: boolean }> {
      const ctx = await transferContext(db, input.caseId);
      const sheet = ctx.transfer.sheet;
      if (!sheet) throw ApplicationFailure.nonRetryable('no confirmed information sheet', 'sheet.missing');
      const funds = computeTransferFunds({
        years: sheet.rows.map((r) => ({ year: r.year, months: r.months, monthlyBase: r.monthlyBase })),
        account: {
          before1998Personal: sheet.funds.before1998Personal,
          from1998ToLastYearEnd: sheet.funds.from1998ToLastYearEnd,
          currentYearPrincipal: sheet.funds.currentYearPrincipal,
        },
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
      await db
        .update(fundTransfers)
        .set({ attempts: sql`${fundTransfers.attempts} + 1`, updatedAt: new Date() })
        .where(eq(fundTransfers.idempotencyKey, input.idempotencyKey));
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
        throw platformFailure(err);
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
        const ctx = await transferContext(tx, input.step.caseId);
        const [fund] = await tx
          .select()
          .from(fundTransfers)
          .where(eq(fundTransfers.idempotencyKey, input.idempotencyKey));
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
