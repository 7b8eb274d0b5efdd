/**
 * Acceptance with one-time notices (一次性告知), shared by the procedures: check the materials,
 * list every missing item in one notice, pause the statutory clock while the applicant
 * supplements, and close the case as withdrawn when the supplement deadline passes. A later
 * notice may only name items the last supplement touched.
 */
import { ITEM_TEXT, itemsTouchedBy, kindsForItem, type Material, type RequiredItem } from '../../domain/materials';
import { acceptanceRefusedNotice, missingMaterialsNotice, withdrawnNotice } from '../../domain/notices';
import { db } from './activity-options';
import type { CaseRuntime } from './case-runtime';
import type { CaseTexts } from './case-texts';
import { refuse } from './refusal';
import { staffStep, type StaffStepTable } from './staff-steps';
import type { StaffDecision } from './types';

export const ACCEPTANCE_TEXTS = {
  stages: { acceptance: '受理审查', awaiting_supplement: '等待补正材料' },
  steps: { acceptance: '受理审查：核对申请材料' },
} as const satisfies CaseTexts;

/** The counter's acceptance check (offline cases, AcceptanceOptions.staffCheck) and its results. */
export const ACCEPTANCE_STEPS = { acceptance: ['accept', 'incomplete'] } as const satisfies StaffStepTable;
/** The same where the procedure lets the counter refuse incomplete materials (AcceptanceOptions.refusal, 8.2.2). */
export const ACCEPTANCE_WITH_REFUSAL_STEPS = {
  acceptance: [...ACCEPTANCE_STEPS.acceptance, 'refuse'],
} as const satisfies StaffStepTable;

export interface AcceptanceOptions {
  materials: readonly Material[];
  /** The rule: every item missing from these materials. */
  required: (materials: readonly Material[]) => RequiredItem[];
  /** Offline cases: counter staff confirm acceptance after checking the originals. */
  staffCheck: boolean;
  clause: string;
  supplementWorkingDays: number;
  /**
   * Optional third staff result `refuse` (8.2.2): the materials are incomplete and cannot be
   * completed; the case closes refused with a notice of every reason and the materials are
   * returned. Maps each reason code staff may give to its notice text ('other' needs a note).
   * Without it the staff check offers only accept / incomplete, as before.
   */
  refusal?: { reasons: Readonly<Record<string, string>> };
  /** Kind of the one-time notice; default 'missing_materials' (claims: 'return_for_completion', 8.2.2). */
  noticeKind?: 'missing_materials' | 'return_for_completion';
}

export type AcceptanceResult = { accepted: true; materials: Material[] } | { accepted: false };

function staffItems(items: ReadonlyArray<{ code: string; note?: string }>): RequiredItem[] {
  return items.map((i) => ({ code: i.code, text: `${ITEM_TEXT[i.code]}${i.note ? `（${i.note}）` : ''}` }));
}

/** A refusal must give every reason (known codes; 'other' with its text) or a free-text reason. */
function validateRefusal(d: StaffDecision, known: Readonly<Record<string, string>>): void {
  if (!d.items?.length && !d.reason?.trim())
    refuse('decision.reasons_required', '不予受理须一次性列明全部原因', 'items');
  for (const it of d.items ?? []) {
    if (!known[it.code])
      refuse(
        'decision.unknown_item',
        `未知的不予受理原因 "${it.code}"，可用：${Object.keys(known).join(' / ')}`,
        'items',
      );
    if (it.code === 'other' && !it.note?.trim())
      refuse('decision.note_required', '以"其他"为由不予受理须写明具体原因', 'items');
  }
}

function refusalItems(d: StaffDecision, known: Readonly<Record<string, string>>): RequiredItem[] {
  const items = (d.items ?? []).map((it) => ({ code: it.code, text: it.note?.trim() || known[it.code] }));
  if (items.length === 0 && d.reason?.trim()) items.push({ code: 'other', text: d.reason.trim() });
  return items;
}

export async function runAcceptance(rt: CaseRuntime, o: AcceptanceOptions): Promise<AcceptanceResult> {
  const materials = [...o.materials];
  let touchedByLastSupplement: Set<string> | undefined;
  let noticeRound = 0;
  let supplementRound = 0;
  for (;;) {
    let missing = o.required(materials);
    if (missing.length === 0 && o.staffCheck) {
      const touched = touchedByLastSupplement;
      const decision = await rt.staff.awaitDecision({
        ...staffStep(o.refusal ? ACCEPTANCE_WITH_REFUSAL_STEPS : ACCEPTANCE_STEPS, 'acceptance'),
        stage: 'acceptance',
        waitingOn: 'staff',
        clause: o.clause,
        validate: (d) => {
          if (d.result === 'refuse' && o.refusal) return validateRefusal(d, o.refusal.reasons);
          if (d.result !== 'incomplete') return;
          if (!d.items?.length) refuse('decision.items_required', '须一次性列明需要补正的全部材料', 'items');
          for (const it of d.items) {
            if (!ITEM_TEXT[it.code]) refuse('decision.unknown_item', `未知的材料项目 "${it.code}"`, 'items');
            if (touched && !touched.has(it.code)) {
              refuse(
                'notice.item_not_touched',
                `再次告知只能涉及本次补正的材料，"${ITEM_TEXT[it.code]}" 不在本次补正范围内`,
                'items',
              );
            }
          }
        },
      });
      if (decision.result === 'incomplete') missing = staffItems(decision.items ?? []);
      if (decision.result === 'refuse' && o.refusal) {
        const reasons = refusalItems(decision, o.refusal.reasons);
        const text = acceptanceRefusedNotice({
          caseId: rt.start.caseId,
          procedure: rt.start.procedure,
          clause: o.clause,
          reasons,
        }).text;
        await rt.close({
          type: 'acceptance_refused',
          clause: o.clause,
          outcome: 'refused',
          outcomeReason: reasons.map((r) => r.code).join(','),
          detail: { reasons: reasons.map((r) => r.code), materialsReturned: true },
          notice: { kind: 'acceptance_refused', round: 1, items: reasons, text },
        });
        return { accepted: false };
      }
    }
    if (missing.length === 0) {
      await rt.record({
        type: 'materials_accepted',
        clause: o.clause,
        stage: 'acceptance',
        waitingOn: null,
        detail: {},
      });
      return { accepted: true, materials };
    }

    noticeRound += 1;
    const now = Date.now();
    await rt.clock.pause(now);
    const reply = await db.projectDeadline({ fromMs: now, workingDays: o.supplementWorkingDays });
    const notice = missingMaterialsNotice({
      caseId: rt.start.caseId,
      procedure: rt.start.procedure,
      clause: o.clause,
      items: missing,
      replyDueDate: reply.dueDate,
      round: noticeRound,
    });
    await rt.record({
      type: 'notice_issued',
      clause: o.clause,
      stage: 'awaiting_supplement',
      waitingOn: 'applicant',
      detail: { round: noticeRound, items: missing.map((m) => m.code), replyDueDate: reply.dueDate },
      notice: {
        kind: o.noticeKind ?? 'missing_materials',
        round: noticeRound,
        items: missing,
        text: notice.text,
        replyDueDate: reply.dueDate,
      },
    });

    let outstanding = missing.map((m) => m.code);
    const suppliedThisRound: Material[] = [];
    while (outstanding.length > 0) {
      const supplement = await rt.supplements.awaitSupplement(
        reply.dueAtMs,
        `补正期限: ${o.supplementWorkingDays} 个工作日，至 ${reply.dueDate} (${o.clause})`,
      );
      if (!supplement) {
        const text = withdrawnNotice({
          caseId: rt.start.caseId,
          procedure: rt.start.procedure,
          dueDate: reply.dueDate,
        }).text;
        await rt.close({
          type: 'supplement_deadline_passed',
          clause: o.clause,
          outcome: 'withdrawn',
          outcomeReason: 'supplement_deadline_passed',
          detail: { outstanding, replyDueDate: reply.dueDate },
          notice: { kind: 'outcome', round: 1, items: [], text },
        });
        return { accepted: false };
      }
      supplementRound += 1;
      materials.push(...supplement.materials);
      suppliedThisRound.push(...supplement.materials);
      outstanding = outstanding.filter(
        (code) => !supplement.materials.some((m) => kindsForItem(code).includes(m.kind)),
      );
      if (outstanding.length === 0) await rt.clock.run(Date.now());
      await rt.record({
        type: 'materials_supplemented',
        clause: o.clause,
        actor: supplement.actor,
        waitingOn: outstanding.length > 0 ? 'applicant' : null,
        stage: outstanding.length > 0 ? 'awaiting_supplement' : 'acceptance',
        detail: { round: supplementRound, kinds: supplement.materials.map((m) => m.kind), outstanding },
        materials: { round: supplementRound, items: supplement.materials },
      });
    }
    touchedByLastSupplement = itemsTouchedBy(suppliedThisRound);
  }
}
