/**
 * The risk register (风险评估清单, DB62/T 5079.1—2025 10.2.1, R-2): every risk point of the
 * procedures, by step, department and role permission, graded high / medium / low, with the
 * controls that cover it (a rule in code, a review, a collective review, a data comparison) and
 * the clause. It is data, published like a parameter (`risk.register`: one supervisor proposes a
 * new version, another approves it), so an agency re-grades a point without a code change — and
 * the grade drives the control: a case that touches a high-graded point goes to
 * collective review (集体会审) whatever its procedure.
 * Pure and deterministic, so workflows may import it.
 */

export const RISK_REGISTER_PARAMETER = 'risk.register';

export const RISK_GRADES = ['high', 'medium', 'low'] as const;
export type RiskGrade = (typeof RISK_GRADES)[number];

export const CONTROL_KINDS = ['rule', 'review', 'four_eyes', 'collective_review', 'data_comparison'] as const;
export type ControlKind = (typeof CONTROL_KINDS)[number];

export interface RiskPoint {
  /** Stable key, `<procedure>.<point>`: what the cases record. */
  key: string;
  procedure: 'enrollment' | 'stop' | 'benefit_claim' | 'transfer_in' | 'transfer_out' | 'benefits' | 'administration';
  step: string;
  /** The department (科室) and the role whose permission is involved. */
  department: string;
  role: string;
  grade: RiskGrade;
  /** What the point is (Chinese, for the register and the case view). */
  description: string;
  controls: Array<{ kind: ControlKind; description: string }>;
  clause: string;
}

const R1 = '10.1 (R-1)';

/** The register as seeded: the risk points the standard names (10.1) and those the code controls. */
export const RISK_REGISTER_SEED: readonly RiskPoint[] = [
  {
    key: 'enrollment.eligibility',
    procedure: 'enrollment',
    step: 'review',
    department: '参保登记',
    role: 'reviewer',
    grade: 'medium',
    description: '不符合条件人员参保（参保身份类别、省内关系状态审核不严）',
    controls: [
      { kind: 'rule', description: 'E-2 类别、E-7 省内关系须为中断缴费（domain/enrollment.ts reviewEnrollment）' },
      { kind: 'review', description: '窗口申请由审核人员确认，受理人员不能审核' },
      { kind: 'data_comparison', description: '死亡登记比对、全国转移平台参保信息比对' },
    ],
    clause: `${R1}; 5.2.2.1`,
  },
  {
    key: 'enrollment.deceased',
    procedure: 'enrollment',
    step: 'review',
    department: '参保登记',
    role: 'reviewer',
    grade: 'high',
    description: '已登记死亡人员参保',
    controls: [{ kind: 'data_comparison', description: '死亡登记比对：比中即不予登记' }],
    clause: `${R1}; 10.2.2`,
  },
  {
    key: 'enrollment.insured_elsewhere',
    procedure: 'enrollment',
    step: 'review',
    department: '参保登记',
    role: 'reviewer',
    grade: 'medium',
    description: '外省仍有有效养老保险关系（重复参保风险）',
    controls: [
      { kind: 'data_comparison', description: '全国转移平台参保信息比对' },
      { kind: 'rule', description: 'E-7 c：登记后须办理转移接续（followUp transfer_in_required）' },
    ],
    clause: `${R1}; 5.2.2.1 c`,
  },
  {
    key: 'stop.application',
    procedure: 'stop',
    step: 'review',
    department: '参保登记',
    role: 'reviewer',
    grade: 'low',
    description: '停止参保条件审核',
    controls: [
      { kind: 'rule', description: 'S-1 条件；转出只能经转移接续办理；停保时间不得早于最后缴费月份' },
      { kind: 'review', description: '窗口申请须有身份证件并经审核' },
    ],
    clause: '7.1.1, 7.2',
  },
  {
    key: 'stop.death_registry',
    procedure: 'stop',
    step: 'review',
    department: '参保登记',
    role: 'reviewer',
    grade: 'medium',
    description: '因死亡停止参保（死亡登记比对已确认）',
    controls: [{ kind: 'data_comparison', description: '死亡登记比对确认死亡日期' }],
    clause: '7.1.1 a; 10.2.2',
  },
  {
    key: 'stop.death_certificate',
    procedure: 'stop',
    step: 'review',
    department: '参保登记',
    role: 'reviewer',
    grade: 'high',
    description: '因死亡停止参保，死亡登记未比中，仅凭死亡证明',
    controls: [
      { kind: 'review', description: '死亡证明经受理人员核验' },
      { kind: 'collective_review', description: '高风险业务集体会审，电子要件齐全后方可会审' },
    ],
    clause: '7.1.1 a; 10.2.3',
  },
  {
    key: 'benefit_claim.entitlement',
    procedure: 'benefit_claim',
    step: 'review',
    department: '待遇审核',
    role: 'reviewer',
    grade: 'medium',
    description: '待遇领取资格审核不严',
    controls: [
      { kind: 'rule', description: 'B-1 法定退休年龄、最低缴费年限（domain/claim.ts）' },
      { kind: 'four_eyes', description: '认定视同缴费年限者不能确认审核结论' },
    ],
    clause: `${R1}; 8.2.3`,
  },
  {
    key: 'benefit_claim.amount',
    procedure: 'benefit_claim',
    step: 'certification',
    department: '待遇审核',
    role: 'reviewer',
    grade: 'medium',
    description: '待遇计发不准确',
    controls: [
      { kind: 'rule', description: '按已发布参数计算，记录每个参数的版本；暂定待遇在参数公布后重算' },
      { kind: 'review', description: '审核人员确认' },
    ],
    clause: `${R1}; 8.2.3.2`,
  },
  ...(
    [
      ['birth_date_mismatch', '人事档案出生日期与居民身份证不一致', '人事档案出生日期比对（数据比对）'],
      ['deemed_months_high', '认定的视同缴费年限达到风险阈值', '阈值 risk.deemedMonthsThreshold'],
      ['lump_sum_back_payment', '一次性补缴缴费年限', '人社厅发〔2019〕94号审查'],
      ['back_paid_months_high', '跨年补缴月数达到风险阈值', '阈值 risk.backPaidMonthsThreshold'],
      [
        'amount_outside_band',
        '养老金月标准超出计发基数的合理区间',
        '区间 risk.amountBandMinRatio / risk.amountBandMaxRatio',
      ],
    ] as const
  ).map(([code, description, check]): RiskPoint => ({
    key: `benefit_claim.${code}`,
    procedure: 'benefit_claim',
    step: 'review',
    department: '待遇审核',
    role: 'collective_reviewer',
    grade: 'high',
    description,
    controls: [
      { kind: code === 'birth_date_mismatch' ? 'data_comparison' : 'rule', description: check },
      { kind: 'collective_review', description: '高风险业务集体会审（10.2.3）' },
    ],
    clause: `${R1}; 10.2.3`,
  })),
  {
    key: 'benefit_claim.deceased',
    procedure: 'benefit_claim',
    step: 'review',
    department: '待遇审核',
    role: 'reviewer',
    grade: 'high',
    description: '已登记死亡人员申领待遇',
    controls: [{ kind: 'data_comparison', description: '死亡登记比对：比中即不予办理' }],
    clause: `${R1}; 10.2.2`,
  },
  {
    key: 'transfer_in.eligibility',
    procedure: 'transfer_in',
    step: 'review',
    department: '转移接续',
    role: 'acceptor',
    grade: 'medium',
    description: '跨省转入条件（T-2）审核',
    controls: [{ kind: 'rule', description: 'T-2 a/b/c、十年规则（domain/transfer-eligibility.ts）' }],
    clause: '9.1.1.2, 9.2.1 a',
  },
  {
    key: 'transfer_out.record',
    procedure: 'transfer_out',
    step: 'information_sheet',
    department: '转移接续',
    role: 'acceptor',
    grade: 'medium',
    description: '转出信息表与基金不完整或不准确',
    controls: [
      { kind: 'rule', description: '全省缴费记录、转入时段及账户资金全额生成信息表；接收方校验' },
      { kind: 'review', description: '退回的信息表由经办人员更正' },
    ],
    clause: '9.2.2',
  },
  {
    key: 'benefits.payment_after_death',
    procedure: 'benefits',
    step: 'payroll',
    department: '待遇发放',
    role: 'supervisor',
    grade: 'high',
    description: '领取待遇人员死亡后继续发放',
    controls: [
      { kind: 'data_comparison', description: '每月发放前与死亡登记比对，比中即停发并开立追回案件' },
      { kind: 'data_comparison', description: '每年领取待遇资格认证' },
    ],
    clause: '10.2.3',
  },
  {
    key: 'administration.parameters',
    procedure: 'administration',
    step: 'publication',
    department: '基金财务',
    role: 'supervisor',
    grade: 'medium',
    description: '计发参数发布错误',
    controls: [{ kind: 'four_eyes', description: '一名主管提出、另一名主管批准后发布，保留版本' }],
    clause: '10.2.2',
  },
];

const GRADE_RANK: Record<RiskGrade, number> = { low: 1, medium: 2, high: 3 };

/** The highest of the grades (undefined for none). */
export function highestGrade(grades: readonly RiskGrade[]): RiskGrade | undefined {
  return grades.reduce<RiskGrade | undefined>(
    (best, g) => (best === undefined || GRADE_RANK[g] > GRADE_RANK[best] ? g : best),
    undefined,
  );
}

/** Problems of a proposed register (Chinese), or undefined when it is valid. */
export function riskRegisterProblem(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return '风险评估清单须为非空数组';
  const keys = new Set<string>();
  for (const [i, p] of (value as Array<Partial<RiskPoint>>).entries()) {
    const at = `第${i + 1}项`;
    if (typeof p !== 'object' || p === null) return `${at}不是对象`;
    if (typeof p.key !== 'string' || !/^[a-z_]+\.[a-z_]+$/.test(p.key)) return `${at}：key 须为 "<业务>.<风险点>"`;
    if (keys.has(p.key)) return `${at}：key ${p.key} 重复`;
    keys.add(p.key);
    if (!RISK_GRADES.includes(p.grade as RiskGrade)) return `${at}：grade 须为 high / medium / low`;
    for (const field of ['procedure', 'step', 'department', 'role', 'description', 'clause'] as const) {
      if (typeof p[field] !== 'string' || !p[field].trim()) return `${at}：缺少 ${field}`;
    }
    if (!Array.isArray(p.controls) || p.controls.length === 0) return `${at}：至少须有一项控制措施`;
    for (const c of p.controls) {
      if (!CONTROL_KINDS.includes(c?.kind) || typeof c?.description !== 'string')
        return `${at}：控制措施须为 {kind: ${CONTROL_KINDS.join('/')}, description}`;
    }
  }
  return undefined;
}
