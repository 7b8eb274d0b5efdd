/**
 * Everything the province holds of a person's contribution history, in the shape the summary
 * rule takes (domain/contribution-summary.ts): the monthly records at every agency of the
 * province (a move within the province needs no transfer, T-1: the records stay under the
 * agency that received them), the periods taken over from other provinces and the account money
 * that came with them.
 */
import { and, asc, eq, like } from 'drizzle-orm';
import type { ProvincialRecord } from '../../domain/contribution-summary';
import type { DbOrTx } from '../client';
import { accountEntries, contributionRecords, transferredPeriods } from '../schema';

export async function loadProvincialRecord(
  db: DbOrTx,
  o: { personId: string; provinceCode: string },
): Promise<ProvincialRecord> {
  const inProvince = `${o.provinceCode}%`;
  const records = await db
    .select({
      yearMonth: contributionRecords.yearMonth,
      base: contributionRecords.base,
      agencyCode: contributionRecords.agencyCode,
      paidOn: contributionRecords.paidOn,
    })
    .from(contributionRecords)
    .where(and(eq(contributionRecords.personId, o.personId), like(contributionRecords.agencyCode, inProvince)))
    .orderBy(asc(contributionRecords.yearMonth));
  const periods = await db
    .select()
    .from(transferredPeriods)
    .where(eq(transferredPeriods.personId, o.personId))
    .orderBy(asc(transferredPeriods.startYearMonth));
  const money = await db
    .select({ amount: accountEntries.amount, postedOn: accountEntries.postedOn, entryKey: accountEntries.entryKey })
    .from(accountEntries)
    .where(
      and(
        eq(accountEntries.personId, o.personId),
        eq(accountEntries.kind, 'transfer_in'),
        like(accountEntries.agencyCode, inProvince),
      ),
    )
    .orderBy(asc(accountEntries.postedOn));
  return {
    records,
    transferred: periods.map((t) => ({
      from: t.startYearMonth,
      to: t.endYearMonth,
      months: t.months,
      monthlyBase: t.monthlyBase,
      regionCode: t.regionCode,
      transferId: t.transferId,
    })),
    transfersIn: money,
  };
}
