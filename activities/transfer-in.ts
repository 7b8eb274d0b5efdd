/**
 * Activities of a transfer in (section 9, the receiving side): the review of the application,
 * the checks of the received information sheet and funds, and the completion — or, instead of a
 * transfer, the relation continued within the province or a temporary account opened.
 */
import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../db/client';
import { applyStep } from '../db/repositories/case-steps';
import { accountEntries, cases, contributionRecords, relations, transferredPeriods, transfers } from '../db/schema';
import type { InformationSheet } from '../domain/information-sheet';
import type { RequiredItem } from '../domain/materials';
import { LIVE_RELATION_STATUSES } from '../domain/relation-status';
import { validateInformationSheet } from '../domain/information-sheet-validation';
import {
  duplicateMonthsProblem,
  remittedFundsProblems,
  reviewTransferInApplication,
  type RemittedFunds,
  type TransferInApplication,
  type TransferInReview,
} from '../domain/transfer-in-review';
import { chinaDateOf } from '../domain/working-days';
import type { StepRecord } from '../domain/case-records';
import { inboundBody, transferContext } from './transfer-messages';

export function createTransferInActivities({ db }: { db: Db }) {
  return {
    /** T-2 review of a transfer-in application, from the person and the application. */
    async reviewTransferIn(input: { caseId: string }): Promise<TransferInReview> {
      const ctx = await transferContext(db, input.caseId);
      const receiving = await db
        .select({ id: relations.id })
        .from(relations)
        .where(and(eq(relations.personId, ctx.person.id), eq(relations.status, 'receiving')));
      const live = await db
        .select({ id: relations.id })
        .from(relations)
        .where(
          and(
            eq(relations.personId, ctx.person.id),
            eq(relations.provinceCode, ctx.case.agencyCode.slice(0, 2)),
            inArray(relations.status, [...LIVE_RELATION_STATUSES]),
          ),
        );
      return reviewTransferInApplication({
        application: ctx.case.application as TransferInApplication,
        person: ctx.person,
        agencyCode: ctx.case.agencyCode,
        receivedOn: chinaDateOf(ctx.case.receivedAt.getTime()),
        liveRelationInProvince: live.length > 0,
        isReceivingPension: receiving.length > 0,
      });
    },

    /** T-5 b: checks a received information sheet against the person and the transfer. */
    async checkInformationSheet(input: {
      caseId: string;
      messageId: string;
    }): Promise<{ ok: boolean; problems: RequiredItem[]; sheetVersion: number; total: string; months: number }> {
      const ctx = await transferContext(db, input.caseId);
      const envelope = await inboundBody(db, input.messageId);
      const sheet = (envelope.payload as { sheet: InformationSheet }).sheet;
      const result = validateInformationSheet(sheet, {
        idNumber: ctx.person.idNumber,
        name: ctx.person.name,
        fromAgencyCode: ctx.transfer.counterpartAgency,
        toAgencyCode: ctx.transfer.agencyCode,
      });
      const problems = result.problems.map((p) => ({ code: p.code, text: p.message }));
      // Records kept for the sending agency itself (an installation serving both sides) are the
      // months being transferred, not a second payment.
      const local = await db
        .select({ yearMonth: contributionRecords.yearMonth })
        .from(contributionRecords)
        .where(
          and(
            eq(contributionRecords.personId, ctx.person.id),
            ne(contributionRecords.agencyCode, ctx.transfer.counterpartAgency),
          ),
        );
      const duplicate = duplicateMonthsProblem(sheet.rows, new Set(local.map((r) => r.yearMonth)));
      if (duplicate) problems.push(duplicate);
      await db
        .update(transfers)
        .set({ sheet, sheetVersion: sheet.sheetVersion, updatedAt: new Date() })
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
    async checkTransferFunds(input: {
      caseId: string;
      messageId: string;
    }): Promise<{ ok: boolean; problems: RequiredItem[]; total: string }> {
      const ctx = await transferContext(db, input.caseId);
      const funds = (await inboundBody(db, input.messageId)).payload as RemittedFunds;
      const problems = remittedFundsProblems(funds, ctx.transfer.sheet);
      return { ok: problems.length === 0, problems, total: funds.total };
    },

    /**
     * T-5 c: records the funds in the person's account, the transferred periods, and the
     * relation (resumed or created here), with the case's closing step, in one transaction.
     */
    async completeTransferIn(input: { step: StepRecord; messageId: string }): Promise<void> {
      await db.transaction(async (tx) => {
        if (!(await applyStep(tx, input.step))) return;
        const ctx = await transferContext(tx, input.step.caseId);
        const sheet = ctx.transfer.sheet!;
        const funds = (await inboundBody(tx, input.messageId)).payload as RemittedFunds & { paymentReference: string };
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
            working: {
              source: 'information sheet item ④',
              sheetVersion: sheet.sheetVersion,
              funds,
              paymentReference: funds.paymentReference,
            },
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
          .where(
            and(
              eq(relations.personId, ctx.person.id),
              eq(relations.provinceCode, province),
              inArray(relations.status, [...LIVE_RELATION_STATUSES]),
            ),
          );
        if (live.length > 0) {
          await tx
            .update(relations)
            .set({
              agencyCode: ctx.transfer.agencyCode,
              status: live[0].status === 'interrupted' ? 'contributing' : live[0].status,
              temporaryAccount: false,
              lastCaseId: ctx.case.id,
              updatedAt: new Date(),
            })
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
          .where(
            and(
              eq(relations.personId, c.personId),
              eq(relations.provinceCode, province),
              inArray(relations.status, [...LIVE_RELATION_STATUSES]),
            ),
          );
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
          .where(
            and(
              eq(relations.personId, c.personId),
              eq(relations.provinceCode, province),
              inArray(relations.status, [...LIVE_RELATION_STATUSES]),
            ),
          );
        if (live.length > 0) {
          await tx
            .update(relations)
            .set({ temporaryAccount: true, lastCaseId: c.id, updatedAt: new Date() })
            .where(eq(relations.id, live[0].id));
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
  };
}
