/**
 * Recalculation of an award (待遇重算) once a value it stood on provisionally is published: the
 * difference owed for every month already paid, and the notice the pensioner receives.
 * Practice (domain.md §3.2, research notes in docs/parameters.md): the provisional (预发)
 * pension is paid on the latest published values; when the year's value is published the
 * pension is recomputed and the difference since the first payment is paid back (补发) or
 * recovered (追回) in the next payroll.
 * Pure and deterministic, so workflows may import it.
 */
import { chineseDate } from './notices';
import { yearMonthChinese } from './year-month';
import { dec, money } from './money';
import type { ParameterUsed } from './parameter-resolver';

export const RECALCULATION_RULE_VERSION = 'recalculation/2026.1';

export interface MonthDifference {
  month: string;
  paid: string;
  owed: string;
  difference: string;
}

/**
 * For every month paid (regular or in arrears), what was paid, what the new monthly amount owes
 * and the difference; the total is their sum (positive: paid back to the pensioner, negative:
 * recovered). Months not yet paid are paid at the new amount by the payroll.
 */
export function recalculationDifference(
  paid: ReadonlyArray<{ month: string; amount: string }>,
  newMonthly: string,
): { months: MonthDifference[]; total: string } {
  const months = [...paid]
    .sort((a, b) => a.month.localeCompare(b.month))
    .map((p) => ({
      month: p.month,
      paid: money(p.amount),
      owed: money(newMonthly),
      difference: money(dec(newMonthly).minus(p.amount)),
    }));
  return { months, total: money(months.reduce((acc, m) => acc.plus(m.difference), dec(0))) };
}

/** Each month's payment plus the differences earlier recalculations already owe for it. */
export function effectivePaid(
  payments: ReadonlyArray<{ month: string; amount: string }>,
  earlierDifferences: ReadonlyArray<{ month: string; difference: string }>,
): Array<{ month: string; amount: string }> {
  return payments.map((p) => ({
    month: p.month,
    amount: money(
      earlierDifferences.filter((d) => d.month === p.month).reduce((acc, d) => acc.plus(d.difference), dec(p.amount)),
    ),
  }));
}

/** The published values that replaced the stand-ins, as the notice names them. */
export function replacedValues(
  before: readonly ParameterUsed[],
  after: readonly ParameterUsed[],
): Array<{ name: string; year?: number; was: string; now: string }> {
  const out: Array<{ name: string; year?: number; was: string; now: string }> = [];
  for (const b of before.filter((u) => u.provisional)) {
    const now = after.find((a) => a.name === b.name && a.year === b.year && !a.provisional);
    if (now) out.push({ name: b.name, year: b.year, was: b.value, now: now.value });
  }
  return out;
}

const PARAMETER_TEXT: Record<string, string> = {
  'pension.baseWage': '计发基数',
  'account.interestRate': '个人账户记账利率',
  'contribution.averageWage': '缴费指数计算用平均工资',
};

/** 待遇重新核定通知书: old and new amounts, the values published, the difference and when it is settled. */
export function recalculationNotice(p: {
  caseId: string;
  recalculatedOn: string;
  before: { total: string };
  after: { total: string; basic: string; account: string; transitional: string };
  replaced: ReadonlyArray<{ name: string; year?: number; was: string; now: string }>;
  difference: { total: string; months: number; firstMonth?: string; lastMonth?: string };
  stillProvisional: boolean;
}): { title: string; text: string } {
  const title = '基本养老金重新核定通知书';
  const total = dec(p.difference.total);
  const lines = [
    title,
    `案件编号：${p.caseId}`,
    `您的基本养老金原按暂定（预发）标准${p.before.total}元/月发放。${p.replaced.length > 0 ? '以下参数已正式公布：' : '相关参数已正式公布。'}`,
    ...p.replaced.map(
      (r) => `${PARAMETER_TEXT[r.name] ?? r.name}${r.year ? `（${r.year}年）` : ''}：暂按${r.was}，公布值${r.now}`,
    ),
    `经${chineseDate(p.recalculatedOn)}重新核定，基本养老金月标准为${p.after.total}元，其中基础养老金${p.after.basic}元、个人账户养老金${p.after.account}元、过渡性养老金${p.after.transitional}元。`,
  ];
  if (p.difference.months > 0 && !total.isZero()) {
    const span =
      p.difference.firstMonth && p.difference.lastMonth
        ? `${yearMonthChinese(p.difference.firstMonth)}至${yearMonthChinese(p.difference.lastMonth)}`
        : '已发放月份';
    lines.push(
      total.isPositive()
        ? `${span}已发放的${p.difference.months}个月共应补发${money(total)}元，将在下一次养老金发放时一并补发。`
        : `${span}已发放的${p.difference.months}个月共多发${money(total.negated())}元，将在下一次养老金发放时扣回。`,
    );
  } else {
    lines.push('已发放月份无差额。');
  }
  if (p.stillProvisional) lines.push('部分参数仍未公布，本标准仍为暂定标准，公布后将再次重新核定。');
  return { title, text: lines.join('\n') };
}
