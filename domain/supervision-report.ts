/**
 * The written self-inspection report (自查报告, R-5) as a printable page: the sample and its
 * strata, what was inspected, every finding with its rectification as it stands now. Pure.
 */
import { PROCEDURE_TEXT } from './notices';

export interface InspectionReportContent {
  inspectionId: string;
  agencyCode: string;
  quarter: string;
  period: { from: string; to: string };
  status: string;
  dueDate: string;
  reportedAt: string | null;
  plan: { rate: Record<string, number>; minimumPerStratum: number; maximumPerStratum: number; seed: string };
  summary: {
    population: number;
    sampled: number;
    inspected: number;
    compliant: number;
    withFindings: number;
    notInspected: number;
    findings: number;
    rectificationsOpen: number;
    rectificationsResolved: number;
  };
  strata: Array<{
    procedure: string;
    riskGrade: string;
    population: number;
    sampled: number;
    inspected: number;
    withFindings: number;
  }>;
  items: Array<{
    caseId: string;
    procedure: string;
    riskGrade: string;
    status: string;
    inspectedBy: string | null;
    inspectedAt: string | null;
    note: string | null;
  }>;
  findings: Array<{
    caseId: string;
    categoryText: string;
    clause: string;
    text: string;
    recordedBy: string;
    status: string;
    followUp: {
      status: string | null;
      dueAt: string | null;
      resolvedBy: string | null;
      resolvedAt: string | null;
      resolution: string | null;
    } | null;
  }>;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const GRADE_TEXT: Record<string, string> = { high: '高', medium: '中', low: '低', unknown: '未分级' };
const ITEM_STATUS: Record<string, string> = {
  pending: '待检查',
  compliant: '合规',
  finding: '发现问题',
  not_inspected: '未按期检查',
};
const FOLLOW_UP_STATUS: Record<string, string> = {
  open: '整改中',
  claimed: '整改中',
  done: '已整改',
  cancelled: '已取消',
};

export function renderInspectionReportHtml(r: InspectionReportContent): string {
  const s = r.summary;
  const rates = Object.entries(r.plan.rate)
    .map(([g, rate]) => `${GRADE_TEXT[g] ?? g}风险 ${Math.round(rate * 100)}%`)
    .join('，');
  const strata = r.strata
    .map(
      (x) =>
        `<tr><td>${esc(PROCEDURE_TEXT[x.procedure] ?? x.procedure)}</td><td>${GRADE_TEXT[x.riskGrade] ?? esc(x.riskGrade)}</td><td>${x.population}</td><td>${x.sampled}</td><td>${x.inspected}</td><td>${x.withFindings}</td></tr>`,
    )
    .join('');
  const items = r.items
    .map(
      (i) =>
        `<tr><td>${esc(i.caseId)}</td><td>${esc(PROCEDURE_TEXT[i.procedure] ?? i.procedure)}</td><td>${GRADE_TEXT[i.riskGrade] ?? esc(i.riskGrade)}</td><td>${ITEM_STATUS[i.status] ?? esc(i.status)}</td><td>${esc(i.inspectedBy ?? '')}</td><td>${esc(i.note ?? '')}</td></tr>`,
    )
    .join('');
  const findings = r.findings
    .map((f, n) => {
      const fu = f.followUp;
      const state = fu
        ? `${FOLLOW_UP_STATUS[fu.status ?? ''] ?? esc(fu.status ?? '')}${fu.dueAt ? `（整改期限 ${esc(fu.dueAt.slice(0, 10))}）` : ''}${fu.resolution ? `：${esc(fu.resolution)}（${esc(fu.resolvedBy ?? '')}）` : ''}`
        : '无需整改';
      return `<tr><td>${n + 1}</td><td>${esc(f.caseId)}</td><td>${esc(f.categoryText)}（第${esc(f.clause)}条）</td><td>${esc(f.text)}</td><td>${esc(f.recordedBy)}</td><td>${state}</td></tr>`;
    })
    .join('');
  const issued = r.reportedAt
    ? `本报告于 ${esc(r.reportedAt)} 出具。`
    : `检查进行中，尚未出具报告（检查期限 ${esc(r.dueDate)}）。`;
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(r.quarter)} 自查报告 ${esc(r.agencyCode)}</title>
<style>body{font-family:"Noto Serif CJK SC",serif;max-width:56em;margin:2em auto;line-height:1.6}h1{text-align:center}
table{border-collapse:collapse;width:100%;margin:.6em 0;font-size:13px}th,td{border:1px solid #555;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#eee}@media print{body{margin:0;max-width:none}}</style></head><body>
<h1>灵活就业人员养老保险经办业务自查报告</h1>
<p>经办机构：${esc(r.agencyCode)}；自查期间：${esc(r.period.from)} 至 ${esc(r.period.to)}（${esc(r.quarter)}）；依据 DB62/T 5079.1—2025 第10.2.4条。${issued}</p>
<h2>一、抽查情况</h2>
<p>本季度办结案件 ${s.population} 件，按事项和风险等级分层抽取 ${s.sampled} 件（抽查比例：${rates}；每层至少 ${r.plan.minimumPerStratum} 件、至多 ${r.plan.maximumPerStratum} 件；抽样种子 ${esc(r.plan.seed)}，可复核）。已检查 ${s.inspected} 件，其中合规 ${s.compliant} 件、发现问题 ${s.withFindings} 件；未按期检查 ${s.notInspected} 件。检查人员均未经办所检查的案件。</p>
<table><thead><tr><th>事项</th><th>风险等级</th><th>办结件数</th><th>抽查件数</th><th>已检查</th><th>发现问题</th></tr></thead><tbody>${strata || '<tr><td colspan="6">本季度无办结案件</td></tr>'}</tbody></table>
<h2>二、发现的问题及整改</h2>
<p>共发现问题 ${s.findings} 项，已整改 ${s.rectificationsResolved} 项，整改中 ${s.rectificationsOpen} 项。</p>
<table><thead><tr><th>序号</th><th>案件</th><th>问题类别</th><th>问题描述</th><th>检查人</th><th>整改情况</th></tr></thead><tbody>${findings || '<tr><td colspan="6">未发现问题</td></tr>'}</tbody></table>
<h2>三、抽查案件明细</h2>
<table><thead><tr><th>案件</th><th>事项</th><th>风险等级</th><th>结论</th><th>检查人</th><th>说明</th></tr></thead><tbody>${items}</tbody></table>
</body></html>
`;
}
