/** The recovery of pension paid after a death (待遇追回): the case's input and its notice text. Pure. */
import type { CaseStart } from './case-records';
import { yearMonthChinese } from './year-month';

/** The input of a recovery case (workflows/recovery.ts), opened by the payroll's death comparison. */
export interface RecoveryInput extends CaseStart {
  awardId: string;
  /** The months paid after the month of death, and their total. */
  months: string[];
  total: string;
}

export function recoveryNotice(p: {
  caseId: string;
  months: readonly string[];
  total: string;
  result: 'recovered' | 'written_off';
  reason?: string;
}): { title: string; text: string } {
  const title = '多发养老金追回处理结果';
  const span =
    p.months.length > 0 ? `${yearMonthChinese(p.months[0])}至${yearMonthChinese(p.months[p.months.length - 1])}` : '';
  return {
    title,
    text: [
      title,
      `案件编号：${p.caseId}`,
      `经与死亡登记数据比对，领取待遇人员死亡后仍发放了${span}共${p.months.length}个月的基本养老金，合计${p.total}元。`,
      p.result === 'recovered' ? '上述多发金额已追回。' : `上述多发金额经审核予以核销，原因：${p.reason ?? ''}。`,
    ].join('\n'),
  };
}
