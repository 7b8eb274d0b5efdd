/**
 * After-the-fact supervision (R-5, 10.2.4) and service improvement (V-1, V-2): the limits the
 * agency sets itself for its follow-ups, the steps supervision adds to the task inbox, the
 * categories of findings (tied to the standard's risk points, 10.1), and quarters.
 * Pure and deterministic.
 */

/**
 * Working days the agency gives itself, counted on the working-day calendar from the day after
 * the event (the statutory clock's convention). DB62/T 5079.1—2025 sets none of them: 10.2.4 asks
 * for self-inspection, rectification and audits without a limit, and 国办发〔2019〕51号 (好差评)
 * asks that every poor rating be verified, rectified and answered, leaving the days to local rules
 * (5 working days is a common local choice). They are the agency's internal rules; a workflow or
 * task records the limit it was given, so a change applies to new items only.
 */
export const SUPERVISION_LIMITS = {
  /** A poor rating (≤ 2) is verified and answered (回访整改). */
  poorRatingFollowUp: 5,
  /** A suggestion or complaint from the public gets a reply (V-2). */
  feedbackReply: 15,
  /** A tip-off audit is concluded (举报稽核). */
  tipOffAudit: 30,
  /** The sampled cases of a quarter's self-inspection are inspected. */
  inspection: 20,
  /** A finding to rectify (整改) is rectified. */
  rectification: 20,
} as const;

/** The inbox steps supervision adds: tasks on a case, done by a supervisor, never by the case workflow. */
export const SUPERVISION_STEPS = [
  'self_inspection',
  'inspection_followup',
  'audit_followup',
  'satisfaction_followup',
] as const;
export type SupervisionStep = (typeof SUPERVISION_STEPS)[number];

export function isSupervisionStep(step: string): step is SupervisionStep {
  return (SUPERVISION_STEPS as readonly string[]).includes(step);
}

/** What each step asks (Chinese, shown in the inbox), its clause and the results it takes. */
export const SUPERVISION_STEP: Record<SupervisionStep, { title: string; clause: string; results: readonly string[] }> =
  {
    self_inspection: {
      title: '自查：抽查已办结案件，记录检查结论',
      clause: '10.2.4',
      results: ['compliant', 'finding'],
    },
    inspection_followup: { title: '自查发现问题整改', clause: '10.2.4', results: ['resolved'] },
    audit_followup: { title: '稽核发现问题整改', clause: '10.2.4', results: ['resolved'] },
    satisfaction_followup: { title: '差评回访整改', clause: '12.2', results: ['resolved'] },
  };

/** Categories of a finding; the first three are the risk points the standard names (10.1). */
export const FINDING_CATEGORIES: Readonly<Record<string, { text: string; clause: string }>> = {
  ineligible_enrolled: { text: '将不符合参保条件的人员纳入参保范围', clause: '10.1.1' },
  amount_incorrect: { text: '养老保险待遇计发金额不准确', clause: '10.1.2' },
  entitlement_review_lax: { text: '领取养老保险待遇资格认定审核不严格', clause: '10.1.3' },
  materials_incomplete: { text: '申请材料不齐全或不符合要求即予办理', clause: '5.2.1' },
  notice_not_one_time: { text: '未一次性告知需补正的全部材料或全部原因', clause: '5.2.1.2' },
  deadline_exceeded: { text: '超过法定办理时限', clause: '10.2.4' },
  separation_of_duties: { text: '受理、审核等不相容岗位未分离', clause: '10.2.2' },
  records_incomplete: { text: '审核记录或归档材料不完整', clause: '11.1' },
  other: { text: '其他问题', clause: '10.2.4' },
};

/** Quarter of a China date: "2026-05-14" → "2026Q2". */
export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

export function isQuarter(q: string): boolean {
  return /^[0-9]{4}Q[1-4]$/.test(q);
}

/** First and last day of a quarter: "2026Q1" → 2026-01-01 … 2026-03-31. */
export function quarterRange(q: string): { from: string; to: string } {
  if (!isQuarter(q)) throw new RangeError(`not a quarter: ${q}`);
  const year = Number(q.slice(0, 4));
  const n = Number(q.slice(5));
  const firstMonth = (n - 1) * 3 + 1;
  const lastMonth = firstMonth + 2;
  const lastDay = [31, 30, 30, 31][n - 1];
  return {
    from: `${year}-${String(firstMonth).padStart(2, '0')}-01`,
    to: `${year}-${String(lastMonth).padStart(2, '0')}-${lastDay}`,
  };
}

/** The quarter before the one the date lies in: the quarter a self-inspection started on the date looks back on. */
export function previousQuarter(date: string): string {
  const year = Number(date.slice(0, 4));
  const n = Number(quarterOf(date).slice(5));
  return n === 1 ? `${year - 1}Q4` : `${year}Q${n - 1}`;
}
