/**
 * Notice texts (Chinese, applicant-facing). A one-time notice (一次性告知) lists every item at
 * once; the composition is pure so the same text is produced on every replay.
 */
import type { RequiredItem } from './materials';

export const PROCEDURE_TEXT: Record<string, string> = {
  enrollment: '灵活就业人员参保登记',
  stop: '停止参保',
  transfer_in: '基本养老保险关系转入',
  transfer_out: '基本养老保险关系转出',
  benefit_claim: '基本养老金申领',
  pre_review: '退休前预审',
  recovery: '多发待遇追回',
};

/** "2026-12-14" → "2026年12月14日". */
export function chineseDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map((part) => Number(part));
  return `${y}年${m}月${d}日`;
}

function numbered(items: readonly RequiredItem[]): string {
  return items.map((it, i) => `${i + 1}. ${it.text}`).join('\n');
}

export interface NoticeText {
  title: string;
  text: string;
}

/** One-time notice of every missing material (5.2.1.2, 8.2.2). */
export function missingMaterialsNotice(p: {
  caseId: string;
  procedure: string;
  clause: string;
  items: readonly RequiredItem[];
  replyDueDate: string;
  round: number;
}): NoticeText {
  const title = p.round === 1 ? '一次性告知书（材料补正）' : `补正材料告知书（第${p.round}次，仅限本次补正材料）`;
  const text = [
    title,
    `案件编号：${p.caseId}`,
    `您申请的${PROCEDURE_TEXT[p.procedure] ?? p.procedure}，所提交的材料不齐全或不符合要求。` +
      `根据 DB62/T 5079.1—2025 第${p.clause}条，现一次性告知需要补正的全部材料：`,
    numbered(p.items),
    `请于${chineseDate(p.replyDueDate)}前补齐上述材料。逾期未补正的，视为撤回申请。`,
  ].join('\n');
  return { title, text };
}

/** One-time notice of every reason the application is refused (5.2.2.2 b, 7.2, 8.2.3.2). */
export function refusalNotice(p: {
  caseId: string;
  procedure: string;
  clause: string;
  reasons: readonly RequiredItem[];
}): NoticeText {
  const title = '不予办理告知书';
  const text = [
    title,
    `案件编号：${p.caseId}`,
    `您申请的${PROCEDURE_TEXT[p.procedure] ?? p.procedure}，经审核不符合办理条件。根据 DB62/T 5079.1—2025 第${p.clause}条，现一次性告知全部原因：`,
    numbered(p.reasons),
    '如对上述结果有异议，可依法申请行政复议或提起行政诉讼。',
  ].join('\n');
  return { title, text };
}

/** Notice that the supplement deadline passed and the application is treated as withdrawn. */
export function withdrawnNotice(p: { caseId: string; procedure: string; dueDate: string }): NoticeText {
  const title = '申请终止告知书';
  const text = [
    title,
    `案件编号：${p.caseId}`,
    `您申请的${PROCEDURE_TEXT[p.procedure] ?? p.procedure}，未在${chineseDate(p.dueDate)}前补齐一次性告知的材料，本次申请视为撤回。` +
      '您可以在材料齐全后重新申请。',
  ].join('\n');
  return { title, text };
}

/** Notice of a completed case. */
export function outcomeNotice(p: { caseId: string; procedure: string; summary: string }): NoticeText {
  const title = '办结通知书';
  return {
    title,
    text: [
      title,
      `案件编号：${p.caseId}`,
      `您申请的${PROCEDURE_TEXT[p.procedure] ?? p.procedure}已办结。${p.summary}`,
    ].join('\n'),
  };
}

/**
 * Notice that acceptance is refused because the materials are incomplete and cannot be
 * completed (8.2.2): every reason at once, and the materials are returned.
 */
export function acceptanceRefusedNotice(p: {
  caseId: string;
  procedure: string;
  clause: string;
  reasons: readonly RequiredItem[];
}): NoticeText {
  const title = '不予受理告知书';
  const text = [
    title,
    `案件编号：${p.caseId}`,
    `您申请的${PROCEDURE_TEXT[p.procedure] ?? p.procedure}，申请材料不齐全且无法补正，不予受理。根据 DB62/T 5079.1—2025 第${p.clause}条，现一次性告知全部原因：`,
    numbered(p.reasons),
    '您提交的申请材料予以退回。',
  ].join('\n');
  return { title, text };
}
