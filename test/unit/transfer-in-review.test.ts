/** The receiving side's review and checks of a transfer in (domain/transfer-in-review.ts). */
import type { InformationSheet } from '../../domain/information-sheet';
import {
  duplicateMonthsProblem,
  remittedFundsProblems,
  reviewTransferInApplication,
} from '../../domain/transfer-in-review';

// 620102 Lanzhou Chengguan (Gansu), 620502 Tianshui (Gansu), 440300 Shenzhen.
const facts = (o: Partial<Parameters<typeof reviewTransferInApplication>[0]> = {}) => ({
  application: { fromAgencyCode: '440300' },
  person: { sex: 'male' as const, birthDate: '1990-03-01', householdCode: null },
  agencyCode: '620102',
  receivedOn: '2026-06-01',
  liveRelationInProvince: false,
  isReceivingPension: false,
  ...o,
});

describe('reviewTransferInApplication (T-1, T-2)', () => {
  test('a man under 50 moving from another province may transfer; the reasons are coded by route', () => {
    const r = reviewTransferInApplication(facts());
    expect(r.route).toBe('transfer');
    expect(r.reasons).toEqual([]);
    expect(r.basis.length).toBeGreaterThan(0);
  });

  test('within the province without a live relation: refused, enrol instead', () => {
    const r = reviewTransferInApplication(facts({ application: { fromAgencyCode: '620502' } }));
    expect(r).toMatchObject({
      route: 'refused',
      reasons: [{ code: 'no_relation_in_province' }],
      ruleVersion: 'transfer-in-review/1',
    });
  });

  test('within the province with a live relation: no transfer needed', () => {
    expect(
      reviewTransferInApplication(facts({ application: { fromAgencyCode: '620502' }, liveRelationInProvince: true }))
        .route,
    ).toBe('not_required_in_province');
  });

  test('a man of 50 or more not returning home: a temporary account, with coded reasons', () => {
    const r = reviewTransferInApplication(
      facts({ person: { sex: 'male', birthDate: '1970-03-01', householdCode: '440300' } }),
    );
    expect(r.route).toBe('temporary_account');
    expect(r.reasons.map((x) => x.code)).toEqual(r.reasons.map((_, i) => `temporary_account_${i + 1}`));
  });

  test('a rule that cannot decide on the application is a refusal naming what is missing, not an error', () => {
    const r = reviewTransferInApplication(
      facts({ application: { fromAgencyCode: '440300', reachedBenefitConditions: true } }),
    );
    expect(r.route).toBe('refused');
    expect(r.reasons.length).toBeGreaterThan(0);
    expect(r.ruleVersion).toBe('transfer-in-review/1');
  });
});

describe('duplicateMonthsProblem (T-5 b)', () => {
  test('months on the sheet already paid here are listed; none, or unreadable periods, give no problem', () => {
    const local = new Set(['2024-12', '2025-02', '2025-09']);
    expect(duplicateMonthsProblem([{ startYearMonth: '2025-01', endYearMonth: '2025-03' }], local)).toEqual({
      code: 'duplicate_contribution_months',
      text: '以下月份在本地已有缴费记录，属重复缴费，不能转移：2025-02',
    });
    expect(duplicateMonthsProblem([{ startYearMonth: '2025-03', endYearMonth: '2025-08' }], local)).toBeUndefined();
    expect(duplicateMonthsProblem([{ startYearMonth: 'x', endYearMonth: '2025-12' }], local)).toBeUndefined();
    expect(duplicateMonthsProblem(undefined, local)).toBeUndefined();
  });
});

describe('remittedFundsProblems (T-5 c)', () => {
  const sheet = {
    funds: { individualAccount: '1000.00', pooledFund: '2000.00', total: '3000.00' },
  } as InformationSheet;
  test('the remitted amounts must equal the sheet, each difference named', () => {
    expect(
      remittedFundsProblems({ individualAccount: '1000.00', pooledFund: '2000.00', total: '3000.00' }, sheet),
    ).toEqual([]);
    expect(
      remittedFundsProblems({ individualAccount: '1000.00', pooledFund: '1999.00', total: '2999.00' }, sheet).map(
        (p) => p.code,
      ),
    ).toEqual(['amount_pooledFund', 'amount_total']);
    expect(remittedFundsProblems({ individualAccount: '1', pooledFund: '2', total: '3' }, null)).toEqual([
      { code: 'sheet_missing', text: '尚未收到并确认信息表' },
    ]);
  });
});
