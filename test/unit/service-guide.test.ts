/**
 * The service guide (R-5) says what the rules do: its materials are what the one-time notices
 * would ask for from an empty application, its limits are the workflows' clocks, its minimum
 * years those of the parameter table for the year, its help-line and supplement period the
 * configuration's.
 */
import { CLAIM_BUDGET_WORKING_DAYS, missingClaimMaterials } from '../../domain/claim';
import { CATEGORY_TEXT } from '../../domain/enrollment';
import { missingIdentityMaterials } from '../../domain/materials';
import { DEFAULT_MINIMUM_YEARS_TABLE } from '../../domain/minimum-years';
import { STATUTORY_LIMITS } from '../../domain/procedures';
import { buildServiceGuide, renderServiceGuideHtml } from '../../domain/service-guide';
import { STOP_REASON_TEXT } from '../../domain/stop';

const guide = (o: Partial<Parameters<typeof buildServiceGuide>[0]> = {}) =>
  buildServiceGuide({
    helpline: '0931-12333',
    supplementWorkingDays: 7,
    asOf: '2030-06-01',
    minimumYearsTable: DEFAULT_MINIMUM_YEARS_TABLE,
    ...o,
  });
const entry = (g: ReturnType<typeof guide>, procedure: string) => g.procedures.find((p) => p.procedure === procedure)!;

test('the five procedures, in the order of the standard, each with its statutory limit and clause from the workflows’ clocks', () => {
  const g = guide();
  expect(g.procedures.map((p) => p.procedure)).toEqual([
    'enrollment',
    'stop',
    'benefit_claim',
    'transfer_in',
    'transfer_out',
  ]);
  for (const p of g.procedures) {
    const limit = STATUTORY_LIMITS[p.procedure];
    expect(p.timeLimit).toMatchObject({
      workingDays: limit.budgetWorkingDays,
      clause: limit.clause,
      sameDay: limit.budgetWorkingDays === 0,
    });
  }
  expect(entry(g, 'enrollment').timeLimit.text).toBe('即时办结');
  expect(entry(g, 'benefit_claim').timeLimit).toMatchObject({
    workingDays: CLAIM_BUDGET_WORKING_DAYS,
    clause: '8.1.3',
  });
  expect(entry(g, 'benefit_claim').timeLimit.text).toContain(`${CLAIM_BUDGET_WORKING_DAYS}个工作日`);
  expect(entry(g, 'transfer_in').timeLimit.steps).toEqual([
    { text: '自收到转移申请之日起3个工作日内完成审核', clause: '9.2.1 a' },
  ]);
});

test('materials are the ones the one-time notices ask for from an empty application, and the delegate’s extra items', () => {
  const g = guide();
  expect(entry(g, 'enrollment').materials.required).toEqual(missingIdentityMaterials([], false));
  expect(entry(g, 'enrollment').materials.whenDelegated.map((m) => m.code)).toEqual([
    'delegator_id',
    'power_of_attorney',
  ]);
  expect(entry(g, 'benefit_claim').materials.required).toEqual(missingClaimMaterials([]));
  expect(entry(g, 'benefit_claim').materials.notRequired.map((m) => m.code)).toEqual([
    'contribution_proof',
    'personnel_file',
  ]);
  expect(entry(g, 'transfer_out').materials.required).toEqual([]);
});

test('conditions come from the review rules; the claim’s minimum years are those of the guide’s year in the parameter table', () => {
  expect(entry(guide(), 'enrollment').conditions.map((c) => c.text)).toEqual(
    expect.arrayContaining(Object.values(CATEGORY_TEXT).map((t) => `属于${t}`)),
  );
  expect(entry(guide(), 'stop').conditions.map((c) => c.text)).toEqual(
    expect.arrayContaining(Object.values(STOP_REASON_TEXT)),
  );
  expect(entry(guide({ asOf: '2026-03-01' }), 'benefit_claim').conditions[1].text).toContain('2026年为15年');
  expect(entry(guide({ asOf: '2030-03-01' }), 'benefit_claim').conditions[1].text).toContain('2030年为15年6个月');
  expect(entry(guide(), 'transfer_in').conditions[0].text).toBe('男性未满50周岁、女性未满40周岁');
  // A table without the year's row (a region's own table starting later): no number, no error.
  expect(
    entry(guide({ minimumYearsTable: [{ fromYear: 2090, months: 240 }] }), 'benefit_claim').conditions[1].text,
  ).toBe('累计缴费年限（含视同缴费年限）达到最低缴费年限（按国家规定的当年标准）');
});

test('the help-line and the supplement period are the configuration’s; the channels are the procedures’ own', () => {
  const g = guide({ helpline: '12333', supplementWorkingDays: 15 });
  expect(g.helpline).toBe('12333');
  expect(g.procedures.every((p) => p.helpline === '12333')).toBe(true);
  expect(entry(g, 'enrollment').supplement).toMatchObject({ workingDays: 15, clause: '5.2.1.2' });
  expect(entry(g, 'enrollment').supplement!.text).toContain('15个工作日内补正');
  expect(entry(g, 'stop').supplement).toBeNull();
  expect(entry(g, 'transfer_out').channels.map((c) => c.channel)).toEqual(['platform']);
  expect(entry(g, 'benefit_claim').channels.map((c) => c.channel)).toEqual(['online', 'offline']);
});

test('the printable page holds every procedure, the help-line and the clauses, escapes text and runs no script', () => {
  const html = renderServiceGuideHtml(guide());
  expect(html).toMatch(/^<!DOCTYPE html>/);
  for (const name of [
    '灵活就业人员参保登记',
    '停止参保',
    '基本养老金申领',
    '基本养老保险关系转入',
    '基本养老保险关系转出',
  ])
    expect(html).toContain(name);
  expect(html).toContain('咨询电话：0931-12333');
  expect(html).toContain('（第8.1.3条）');
  expect(html).toContain('@media print');
  expect(html).not.toMatch(/<script/i);
  expect(renderServiceGuideHtml({ ...guide(), helpline: '<b>' })).toContain('&lt;b&gt;');
});
