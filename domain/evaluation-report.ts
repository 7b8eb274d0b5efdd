/**
 * The service evaluation as an HTML report (V-1): tables of every figure and bar charts drawn as
 * inline SVG, so it reads and prints without JavaScript. Pure.
 */
import type { Evaluation, EvaluationFigures, EvaluationGroup } from './evaluation';
import { PROCEDURE_TEXT } from './notices';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const num = (n: number | null) => (n === null ? '—' : String(n));
const procedureName = (p: string | null) => (p ? (PROCEDURE_TEXT[p] ?? p) : '合计');

interface Bar {
  label: string;
  value: number;
  text: string;
}

/** A horizontal bar chart; `max` is the value of a full bar. */
export function barChart(title: string, bars: readonly Bar[], max: number): string {
  const rowH = 26;
  const labelW = 190;
  const barW = 360;
  const height = bars.length * rowH + 34;
  const scale = max > 0 ? barW / max : 0;
  const rows = bars
    .map((b, i) => {
      const y = 28 + i * rowH;
      const w = Math.max(Math.round(b.value * scale), 0);
      return (
        `<text x="${labelW - 8}" y="${y + 14}" text-anchor="end" font-size="13">${esc(b.label)}</text>` +
        `<rect x="${labelW}" y="${y}" width="${w}" height="18" fill="#3b6ea5"><title>${esc(`${b.label}: ${b.text}`)}</title></rect>` +
        `<text x="${labelW + w + 6}" y="${y + 14}" font-size="13">${esc(b.text)}</text>`
      );
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" width="${labelW + barW + 90}" height="${height}" viewBox="0 0 ${labelW + barW + 90} ${height}">` +
    `<title>${esc(title)}</title><text x="0" y="16" font-size="14" font-weight="bold">${esc(title)}</text>` +
    `<line x1="${labelW}" y1="24" x2="${labelW}" y2="${height - 4}" stroke="#000"/>${rows}</svg>`
  );
}

function figuresRow(label: string, f: EvaluationFigures): string {
  const s = f.satisfaction;
  const cells = [
    esc(label),
    f.handled,
    `${f.onTime} / ${f.late}`,
    pct(f.onTimeRate),
    num(f.handlingWorkingDays.median),
    num(f.handlingWorkingDays.p90),
    f.pausedCases,
    `${f.noticeCases} / ${f.multiRoundNoticeCases}`,
    pct(f.oneTimeNoticeRate),
    f.deadlineBreaches,
    `${s.ratings}（${s.average ?? '—'}）`,
    `${s.poor} / ${s.poorFollowedUp}`,
  ];
  return `<tr>${cells.map((c, i) => (i === 0 ? `<th>${c}</th>` : `<td>${c}</td>`)).join('')}</tr>`;
}

const HEADER =
  '<tr><th></th><th>办结件数</th><th>按时 / 超时</th><th>按时办结率</th><th>办理用时中位数（工作日）</th><th>第90百分位（工作日）</th>' +
  '<th>补正暂停件数</th><th>一次性告知件数 / 多轮告知件数</th><th>一次性告知合规率</th><th>超期次数</th><th>评价件数（平均分）</th><th>差评 / 已回访</th></tr>';

function table(caption: string, rows: string[]): string {
  return `<table><caption>${esc(caption)}</caption><thead>${HEADER}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function reasonsTable(groups: readonly EvaluationGroup[], total: EvaluationFigures): string {
  const rows = [
    ...total.refusalReasons.map((r) => `<tr><th>合计</th><td>${esc(r.code)}</td><td>${r.count}</td></tr>`),
    ...groups.flatMap((g) =>
      g.refusalReasons.map(
        (r) => `<tr><th>${esc(procedureName(g.procedure))}</th><td>${esc(r.code)}</td><td>${r.count}</td></tr>`,
      ),
    ),
  ];
  return `<table><caption>不予办理原因</caption><thead><tr><th>事项</th><th>原因代码</th><th>件数</th></tr></thead><tbody>${rows.join('') || '<tr><td colspan="3">无</td></tr>'}</tbody></table>`;
}

export function renderEvaluationHtml(e: Evaluation, o: { generatedAt: string }): string {
  const onTime = barChart(
    '按时办结率（按事项）',
    e.byProcedure.map((g) => ({
      label: procedureName(g.procedure),
      value: (g.onTimeRate ?? 0) * 100,
      text: g.handled ? `${pct(g.onTimeRate)}（${g.onTime}/${g.handled}）` : '无办结',
    })),
    100,
  );
  const maxDays = Math.max(1, ...e.byProcedure.map((g) => g.handlingWorkingDays.p90 ?? 0));
  const times = barChart(
    '办理用时（工作日，扣除补正暂停）：中位数 / 第90百分位',
    e.byProcedure.flatMap((g) => [
      {
        label: `${procedureName(g.procedure)} 中位数`,
        value: g.handlingWorkingDays.median ?? 0,
        text: num(g.handlingWorkingDays.median),
      },
      {
        label: `${procedureName(g.procedure)} P90`,
        value: g.handlingWorkingDays.p90 ?? 0,
        text: num(g.handlingWorkingDays.p90),
      },
    ]),
    maxDays,
  );
  const dist = e.total.satisfaction.distribution;
  const maxDist = Math.max(1, ...Object.values(dist));
  const satisfaction = barChart(
    '满意度评价分布（好差评）',
    (['5', '4', '3', '2', '1'] as const).map((k) => ({ label: `${k} 分`, value: dist[k], text: String(dist[k]) })),
    maxDist,
  );
  const agencies = barChart(
    '按时办结率（按经办机构）',
    e.byAgency.map((g) => ({
      label: g.agencyCode ?? '',
      value: (g.onTimeRate ?? 0) * 100,
      text: g.handled ? `${pct(g.onTimeRate)}（${g.onTime}/${g.handled}）` : '无办结',
    })),
    100,
  );
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>经办服务绩效评价 ${esc(e.from)} 至 ${esc(e.to)}</title>
<style>
body{font-family:"Noto Sans CJK SC","PingFang SC",sans-serif;margin:2em;color:#000}
table{border-collapse:collapse;margin:1em 0;font-size:13px}th,td{border:1px solid #888;padding:.3em .5em;text-align:right}
thead th{background:#eee;text-align:center}tbody th{text-align:left}caption{font-weight:bold;text-align:left;padding:.3em 0}
figure{margin:1em 0}.note{font-size:12px;color:#333;max-width:60em}@media print{body{margin:0}}
</style></head><body>
<h1>经办服务绩效评价报告</h1>
<p>评价期间：${esc(e.from)} 至 ${esc(e.to)}（按办结日期）；经办机构：${esc(e.agencies.join('、') || '—')}；依据 DB62/T 5079.1—2025 第12.1条、GB/T 34414。生成时间：${esc(o.generatedAt)}</p>
<figure>${onTime}</figure>
<figure>${times}</figure>
<figure>${satisfaction}</figure>
<figure>${agencies}</figure>
${table('合计与分事项', [figuresRow('合计', e.total), ...e.byProcedure.map((g) => figuresRow(procedureName(g.procedure), g))])}
${table(
  '分经办机构',
  e.byAgency.map((g) => figuresRow(g.agencyCode ?? '', g)),
)}
${table(
  '分经办机构、分事项',
  e.byAgencyProcedure
    .filter((g) => g.handled > 0 || g.deadlineBreaches > 0)
    .map((g) => figuresRow(`${g.agencyCode} ${procedureName(g.procedure)}`, g)),
)}
${reasonsTable(e.byProcedure, e.total)}
<p class="note">口径：办结件数为评价期间内办结的案件；按时指办结前未发生法定时限超期（deadline_breached）；办理用时为受理至办结的工作日数，扣除申请人补正材料期间（时限暂停）；一次性告知合规率为收到补正告知的案件中仅告知一轮的比例；超期次数为评价期间内记录的法定时限超期（含未办结案件）；第90百分位按最近秩法计算。</p>
</body></html>
`;
}
