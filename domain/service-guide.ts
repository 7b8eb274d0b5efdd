/**
 * The service guide (办事指南, R-5, DB62/T 5079.1—2025 10.2.4): for each procedure the
 * conditions, materials, channels, statutory time limit, clause and help-line, published so the
 * public can look them up. Every item is taken from the rule that applies it — the materials from
 * the functions behind the one-time notices, the limits from the clocks the workflows run, the
 * categories and reasons from the review rules, the minimum contribution years from the published
 * parameter table — so the guide cannot say something the system does not do.
 * Pure: the caller passes the configuration and the parameter table.
 */
import { CLAIM_MATERIALS_NOT_REQUIRED, missingClaimMaterials } from './claim';
import { CATEGORY_TEXT, FLEXIBLE_CATEGORIES } from './enrollment';
import { RuleInputError } from './errors';
import { item, missingIdentityMaterials, type RequiredItem } from './materials';
import { missingStopMaterials } from './stop';
import { formatMonthsChinese, minimumContributionMonths, type MinimumYearsTable } from './minimum-years';
import { PROCEDURE_TEXT } from './notices';
import { PARAMETER_NAMES } from './parameters';
import {
  APPLICANT_PROCEDURES,
  PROCEDURE_CHANNELS,
  STATUTORY_LIMITS,
  STEP_LIMITS,
  type ApplicantProcedure,
  type ProcedureChannel,
} from './procedures';
import { STOP_REASONS, STOP_REASON_TEXT } from './stop';
import { CLAIM_PLACE_YEARS } from './claim-place';
import { TRANSFER_AGE_LIMITS } from './transfer-eligibility';

export const STANDARD = 'DB62/T 5079.1—2025';

export interface GuideLine {
  text: string;
  clause: string;
}

export interface GuideMaterial extends RequiredItem {
  /** When the item is needed, or why it is not. */
  note?: string;
}

export interface GuideEntry {
  procedure: ApplicantProcedure;
  name: string;
  /** Where to apply. */
  handledBy: GuideLine;
  conditions: GuideLine[];
  materials: {
    clause: string;
    required: GuideMaterial[];
    /** Needed in addition when someone applies on the applicant's behalf. */
    whenDelegated: GuideMaterial[];
    /** Materials the applicant does not have to bring, and why. */
    notRequired: GuideMaterial[];
  };
  channels: Array<{ channel: ProcedureChannel; text: string; clause: string }>;
  timeLimit: {
    workingDays: number;
    /** True for 即时办结 (completed the same working day). */
    sameDay: boolean;
    text: string;
    clause: string;
    /** Limits of single steps (the transfer-in review). */
    steps: GuideLine[];
  };
  /** The one-time notice and the supplement period, for procedures with an acceptance check. */
  supplement: { workingDays: number; text: string; clause: string } | null;
  notes: GuideLine[];
  helpline: string;
  /** What the entry is computed from (policy changes list the entries they affect). */
  dependsOn: { parameters: string[]; calendar: boolean };
}

export interface ServiceGuide {
  title: string;
  standard: string;
  clause: string;
  helpline: string;
  /** The date the guide speaks for (China date): the minimum years are those of its year. */
  asOf: string;
  procedures: GuideEntry[];
}

export interface ServiceGuideInput {
  helpline: string;
  supplementWorkingDays: number;
  /** 'YYYY-MM-DD' in China. */
  asOf: string;
  minimumYearsTable: MinimumYearsTable;
}

const CHANNEL_TEXT: Record<ApplicantProcedure, Partial<Record<ProcedureChannel, GuideLine>>> = {
  enrollment: {
    online: {
      text: '网上办理：甘肃政务服务网、甘肃人社公共服务平台，上传材料、填写信息后由系统自动受理',
      clause: '5.1.3',
    },
    offline: { text: '窗口办理：县（区）社会保险经办机构服务窗口', clause: '5.1.3' },
  },
  stop: {
    online: { text: '网上办理：甘肃政务服务网、甘肃人社公共服务平台', clause: '7.1.2' },
    offline: { text: '窗口办理：参保关系所在地社会保险经办机构服务窗口，经工作人员审核后办理', clause: '7.1.2' },
  },
  benefit_claim: {
    online: { text: '网上办理：甘肃政务服务网“高效办成一件事”专区', clause: '8.2.1.1' },
    offline: { text: '窗口办理：参保关系所在地社会保险经办机构服务窗口', clause: '8.2.1.1' },
  },
  transfer_in: {
    online: { text: '网上办理：国家社会保险公共服务平台、“掌上12333”App、电子社保卡渠道', clause: '9.1.2' },
    offline: { text: '窗口办理：转入地（新参保地）社会保险经办机构服务窗口', clause: '9.1.2' },
    platform: { text: '经全国社会保险关系转移接续系统受理的申请', clause: '9.2.1 a' },
  },
  transfer_out: {
    platform: {
      text: '无需申请人另行申请：转入地经办机构经全国社会保险关系转移接续系统发来联系函后办理',
      clause: '9.2.2 a',
    },
  },
};

const HANDLED_BY: Record<ApplicantProcedure, GuideLine> = {
  enrollment: { text: '灵活就业所在地或户籍所在地的县（区）社会保险经办机构', clause: '5.1.1' },
  stop: { text: '参保关系所在地社会保险经办机构', clause: '7.2' },
  benefit_claim: { text: '参保关系所在地社会保险经办机构（负责受理、审核和核定）', clause: '8.1.2' },
  transfer_in: { text: '转入地（新参保地）社会保险经办机构', clause: '9.2.1' },
  transfer_out: { text: '转出地（原参保地）社会保险经办机构', clause: '9.2.2' },
};

/** Clause of the materials list per procedure. */
const MATERIALS_CLAUSE: Record<ApplicantProcedure, string> = {
  enrollment: '5.2.1.1',
  stop: '7.2',
  benefit_claim: '8.2.1.2',
  transfer_in: '9.2.1 a',
  transfer_out: '9.2.2 a',
};

/** Items needed with a delegate: what the rule asks for with a delegate and not without. */
function delegated(required: (hasDelegate: boolean) => RequiredItem[]): GuideMaterial[] {
  const own = new Set(required(false).map((i) => i.code));
  return required(true).filter((i) => !own.has(i.code));
}

function conditionsOf(p: ApplicantProcedure, input: ServiceGuideInput): GuideLine[] {
  switch (p) {
    case 'enrollment':
      return [
        ...FLEXIBLE_CATEGORIES.map((c) => ({ text: `属于${CATEGORY_TEXT[c]}`, clause: '5.1.2' })),
        {
          text: '以上条件符合其一即可；已在本省参加基本养老保险的，其养老保险关系须处于中断缴费状态',
          clause: '5.2.2.1 b',
        },
        { text: '在外省参保的，先在本省参保登记，再办理养老保险关系转入', clause: '5.2.2.1 c' },
      ];
    case 'stop':
      return [
        ...STOP_REASONS.map((r) => ({ text: STOP_REASON_TEXT[r], clause: '7.1.1' })),
        { text: '以上情形符合其一即可', clause: '7.1.1' },
      ];
    case 'benefit_claim': {
      const year = Number(input.asOf.slice(0, 4));
      let months: number | undefined;
      try {
        months = minimumContributionMonths(year, input.minimumYearsTable);
      } catch (err) {
        // The published table has no row for the year: say what applies without a number.
        if (!(err instanceof RuleInputError)) throw err;
      }
      return [
        { text: '达到法定退休年龄（可按规定自愿选择弹性提前或延迟退休）', clause: '8.1.1' },
        {
          text: `累计缴费年限（含视同缴费年限）达到最低缴费年限${months === undefined ? '（按国家规定的当年标准）' : `：${year}年为${formatMonthsChinese(months)}`}`,
          clause: '8.1.1',
        },
      ];
    }
    case 'transfer_in':
      return [
        {
          text: `男性未满${TRANSFER_AGE_LIMITS.male}周岁、女性未满${TRANSFER_AGE_LIMITS.female}周岁`,
          clause: '9.1.1.2 a',
        },
        { text: '返回户籍所在地就业参保', clause: '9.1.1.2 b' },
        {
          text: `达到待遇领取条件时，基本养老保险关系不在户籍所在地、且在现参保地累计缴费不满${CLAIM_PLACE_YEARS}年的，转回上一个累计缴费满${CLAIM_PLACE_YEARS}年的参保地，没有的转回户籍所在地`,
          clause: '9.1.1.2 c',
        },
        { text: '以上条件符合其一即可；在本省内流动就业的，不需转移，由参保地办理续保或账户合并', clause: '9.1.1.1' },
      ];
    case 'transfer_out':
      return [{ text: '转入地经办机构发来《基本养老保险关系转移接续联系函》，经核对符合转出条件', clause: '9.2.2 a' }];
  }
}

function materialsOf(
  p: ApplicantProcedure,
): Pick<GuideEntry['materials'], 'required' | 'whenDelegated' | 'notRequired'> {
  const none: GuideMaterial[] = [];
  switch (p) {
    case 'enrollment':
      // The rule behind the enrollment's one-time notice (5.2.1.2), asked what is missing from nothing.
      return {
        required: missingIdentityMaterials([], false),
        whenDelegated: delegated((d) => missingIdentityMaterials([], d)),
        notRequired: none,
      };
    case 'stop':
      // The counter stop's rule (S-4): an identity document; for a death the registry does not
      // confirm, the death certificate.
      return {
        required: missingStopMaterials([], { deathUnconfirmed: false }),
        whenDelegated: missingStopMaterials([], { deathUnconfirmed: true })
          .filter((m) => m.code === 'death_certificate')
          .map((m) => ({ ...m, note: '因死亡停保且死亡登记数据比对未能确认时' })),
        notRequired: none,
      };
    case 'transfer_in':
      return { required: missingIdentityMaterials([], false), whenDelegated: none, notRequired: none };
    case 'benefit_claim':
      return {
        required: missingClaimMaterials([]),
        whenDelegated: none,
        notRequired: CLAIM_MATERIALS_NOT_REQUIRED.map((m) => ({ ...item(m.code), note: `${m.note}（${m.clause}）` })),
      };
    case 'transfer_out':
      return { required: none, whenDelegated: none, notRequired: none };
  }
}

function timeLimitOf(p: ApplicantProcedure): GuideEntry['timeLimit'] {
  const limit = STATUTORY_LIMITS[p];
  const sameDay = limit.budgetWorkingDays === 0;
  const steps: GuideLine[] =
    p === 'transfer_in'
      ? [
          {
            text: `自收到转移申请之日起${STEP_LIMITS.transferInReview.budgetWorkingDays}个工作日内完成审核`,
            clause: STEP_LIMITS.transferInReview.clause,
          },
        ]
      : [];
  return {
    workingDays: limit.budgetWorkingDays,
    sameDay,
    text: sameDay ? '即时办结' : `自受理之日起${limit.budgetWorkingDays}个工作日内办结（申请人补正材料的时间不计入）`,
    clause: limit.clause,
    steps,
  };
}

/** Procedures whose acceptance issues a one-time notice and waits for the supplement. */
const WITH_SUPPLEMENT: Partial<Record<ApplicantProcedure, string>> = { enrollment: '5.2.1.2', benefit_claim: '8.2.2' };

function notesOf(p: ApplicantProcedure): GuideLine[] {
  if (p === 'benefit_claim') {
    return [
      { text: '材料不全但可以补正的，一次性告知需补正的材料；无法补正的，告知原因并退回材料', clause: '8.2.2' },
      { text: '达到法定退休年龄前3个月，经办机构对出生时间、参加工作时间、视同缴费年限等进行预审', clause: '8.2.3.1' },
      { text: '待遇领取资格认定的次月起按月发放基本养老金', clause: '8.2.4' },
    ];
  }
  if (p === 'transfer_in' || p === 'transfer_out') {
    return [{ text: '转出地生成《基本养老保险关系转移接续信息表》并划转基金，转入地确认后办结', clause: '9.2' }];
  }
  return [];
}

export function buildServiceGuide(input: ServiceGuideInput): ServiceGuide {
  const procedures = APPLICANT_PROCEDURES.map((p): GuideEntry => {
    const supplementClause = WITH_SUPPLEMENT[p];
    return {
      procedure: p,
      name: PROCEDURE_TEXT[p],
      handledBy: HANDLED_BY[p],
      conditions: conditionsOf(p, input),
      materials: { clause: MATERIALS_CLAUSE[p], ...materialsOf(p) },
      channels: PROCEDURE_CHANNELS[p].map((channel) => {
        const line = CHANNEL_TEXT[p][channel];
        if (!line) throw new Error(`the service guide has no text for channel ${channel} of ${p}`);
        return { channel, ...line };
      }),
      timeLimit: timeLimitOf(p),
      supplement: supplementClause
        ? {
            workingDays: input.supplementWorkingDays,
            text: `材料不齐全的，一次性告知需要补正的全部材料；申请人应在${input.supplementWorkingDays}个工作日内补正，逾期未补正的视为撤回申请`,
            clause: supplementClause,
          }
        : null,
      notes: notesOf(p),
      helpline: input.helpline,
      dependsOn: {
        parameters: p === 'benefit_claim' ? [PARAMETER_NAMES.minimumContributionMonths] : [],
        calendar: true,
      },
    };
  });
  return {
    title: '灵活就业人员基本养老保险经办服务办事指南',
    standard: STANDARD,
    clause: '10.2.4',
    helpline: input.helpline,
    asOf: input.asOf,
    procedures,
  };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const cite = (clause: string) => `<span class="clause">（第${esc(clause)}条）</span>`;

/** The guide as a printable HTML page (no scripts, print styles). */
export function renderServiceGuideHtml(guide: ServiceGuide): string {
  const list = (lines: GuideLine[]) =>
    `<ul>${lines.map((l) => `<li>${esc(l.text)}${cite(l.clause)}</li>`).join('')}</ul>`;
  const materials = (items: GuideMaterial[]) =>
    items.map((m) => `<li>${esc(m.text)}${m.note ? `：${esc(m.note)}` : ''}</li>`).join('');
  const sections = guide.procedures
    .map((e, i) => {
      const m = e.materials;
      const rows = [
        ['办理机构', `${esc(e.handledBy.text)}${cite(e.handledBy.clause)}`],
        ['办理条件', list(e.conditions)],
        [
          '申请材料',
          `<ul>${m.required.length > 0 ? materials(m.required) : '<li>无需申请人提交材料</li>'}</ul>` +
            (m.whenDelegated.length > 0 ? `<p>委托他人代办的，另需：</p><ul>${materials(m.whenDelegated)}</ul>` : '') +
            (m.notRequired.length > 0 ? `<p>无需提交：</p><ul>${materials(m.notRequired)}</ul>` : '') +
            `<p>${cite(m.clause)}</p>`,
        ],
        ['办理渠道', list(e.channels)],
        [
          '办理时限',
          `${esc(e.timeLimit.text)}${cite(e.timeLimit.clause)}${e.timeLimit.steps.length > 0 ? list(e.timeLimit.steps) : ''}`,
        ],
        ...(e.supplement ? [['一次性告知', `${esc(e.supplement.text)}${cite(e.supplement.clause)}`]] : []),
        ...(e.notes.length > 0 ? [['其他说明', list(e.notes)]] : []),
        ['咨询电话', esc(e.helpline)],
      ];
      return `<section id="${e.procedure}"><h2>${i + 1}. ${esc(e.name)}</h2><table>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table></section>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(guide.title)}</title>
<style>
body{font-family:"Noto Serif CJK SC","Songti SC",serif;max-width:48em;margin:2em auto;line-height:1.6;color:#000}
h1{text-align:center;font-size:1.5em}h2{font-size:1.15em;border-bottom:1px solid #000;margin-top:1.5em}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #444;padding:.4em;vertical-align:top;text-align:left}
th{width:7em;background:#f2f2f2}ul{margin:.2em 0;padding-left:1.4em}p{margin:.2em 0}.clause{color:#555;font-size:.9em}
.meta{text-align:center;color:#333}@media print{body{margin:0;max-width:none}section{page-break-inside:avoid}th{background:none}}
</style></head><body>
<h1>${esc(guide.title)}</h1>
<p class="meta">依据 ${esc(guide.standard)}（第${esc(guide.clause)}条 事后监督：公开办理流程、材料、方式、时限和咨询电话）｜咨询电话：${esc(guide.helpline)}｜${esc(guide.asOf)}</p>
${sections}
</body></html>
`;
}
