/**
 * The Chinese texts staff see of a case: the stage and the task of each step, and the case's
 * current details in the Temporal UI. Each procedure (and each shared step such as acceptance)
 * declares the texts of its own stages and steps next to its code; the procedure hands them to
 * its CaseRuntime, which looks them up here.
 */
import { chineseDate } from '../../domain/notices';
import { describeMissing } from '../../domain/parameter-resolver';
import type { CaseRuntime } from './case-runtime';
import { saCounterpartOverdue } from './search-attributes';
import type { CaseOutcome, WaitingOn } from './types';

/** The texts of some stages (当前环节) and of the staff tasks of some steps (inbox titles). */
export interface CaseTexts {
  stages?: Readonly<Record<string, string>>;
  steps?: Readonly<Record<string, string>>;
}

/** Every case's first and last stage. */
export const CASE_TEXTS = { stages: { received: '已接收', closed: '已办结' } } as const satisfies CaseTexts;

const OUTCOME_TEXT: Record<CaseOutcome, string> = {
  approved: '办结（准予）',
  refused: '不予办理',
  withdrawn: '视为撤回',
};

const WAITING_TEXT: Record<WaitingOn, string> = {
  applicant: '等待申请人',
  staff: '等待受理人员',
  reviewer: '等待审核人员',
  counterpart: '等待对方经办机构',
  system: '等待外部系统',
  supervisor: '等待主管',
};

/** One table of stage texts and one of step texts, from the parts' texts (later parts win). */
export function mergeTexts(parts: readonly CaseTexts[]): {
  stages: Record<string, string>;
  steps: Record<string, string>;
} {
  return {
    stages: Object.assign({}, ...parts.map((p) => p.stages ?? {})) as Record<string, string>,
    steps: Object.assign({}, ...parts.map((p) => p.steps ?? {})) as Record<string, string>,
  };
}

/** The case's current details as the Temporal UI shows them (setCurrentDetails). */
export function currentDetails(rt: CaseRuntime): string {
  const clock = rt.clock.snapshot();
  const parts = [`当前环节: ${rt.texts.stages[rt.stage] ?? rt.stage}`];
  if (rt.waitingOn) parts.push(WAITING_TEXT[rt.waitingOn]);
  const missing = rt.parameters.missing;
  if (missing.length > 0) parts.push(`缺少参数: ${missing.map(describeMissing).join('、')}`);
  parts.push(rt.clock.summary());
  if (clock.state === 'paused') parts.push('时限暂停（等待申请人）');
  else if (clock.dueDate) parts.push(`到期日: ${chineseDate(clock.dueDate)}${clock.provisional ? '（暂定）' : ''}`);
  if (clock.overdue) parts.push('已超期');
  // The other province's reply clock (transfers): staff see when it is due and that it passed.
  const counterpart = rt.clocks.get('counterpart')?.snapshot();
  if (counterpart?.state === 'running' && counterpart.dueDate)
    parts.push(`对方答复期限: ${chineseDate(counterpart.dueDate)}`);
  if (rt.attributes.get(saCounterpartOverdue.name) === true) parts.push('对方已超期未答复（已催办）');
  if (rt.outcome) parts.push(`结果: ${OUTCOME_TEXT[rt.outcome]}`);
  return parts.join('；');
}
