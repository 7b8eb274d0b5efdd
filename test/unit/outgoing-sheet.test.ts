/** The information sheet the sending side prepares (domain/outgoing-sheet.ts). */
import { summariseProvincialRecord, type ProvincialRecord } from '../../domain/contribution-summary';
import { validateInformationSheet } from '../../domain/information-sheet-validation';
import { outgoingInformationSheet, sheetPlaces, sheetRecord } from '../../domain/outgoing-sheet';
import { ParameterResolver } from '../../domain/parameter-resolver';
import { PARAMETER_SEED } from '../../domain/parameter-seed';
import { makeIdNumber } from '../helpers/env';
import { monthRange } from '../helpers/time';

const LANZHOU = { code: '620102', name: '兰州市城关区社会保险事业管理局' };
const TIANSHUI = { code: '620502', name: '天水市秦州区社会保险事业管理局' };
const XIAN = { code: '610102', name: '西安市新城区社会保险经办处' };

const record: ProvincialRecord = {
  records: [
    ...monthRange('2019-01', '2020-12').map((yearMonth) => ({ yearMonth, base: '4000.00', agencyCode: TIANSHUI.code })),
    ...monthRange('2021-01', '2023-06').map((yearMonth) => ({ yearMonth, base: '4500.00', agencyCode: LANZHOU.code })),
  ],
  transferred: [],
  transfersIn: [],
};

describe('sheetRecord and sheetPlaces', () => {
  test('months staff exclude are left out of the record; the places are its agencies and this one', () => {
    const { kept, excluded } = sheetRecord(record, { excludeMonths: ' 2023-05, 2023-06 ,' });
    expect(excluded).toEqual(['2023-05', '2023-06']);
    expect(kept.records).toHaveLength(record.records.length - 2);
    expect(sheetRecord(record, undefined).kept.records).toHaveLength(record.records.length);
    expect(sheetPlaces(kept, LANZHOU.code).sort()).toEqual([LANZHOU.code, TIANSHUI.code].sort());
  });
});

describe('outgoingInformationSheet', () => {
  test('a sheet from the whole record that passes the receiving check, with corrections and its basis', () => {
    const { kept, excluded } = sheetRecord(record, { excludeMonths: '2023-06', name: '更正姓名' });
    const asOf = '2023-07-15';
    const summary = summariseProvincialRecord(kept, {
      asOf,
      resolver: new ParameterResolver(PARAMETER_SEED, LANZHOU.code),
      withIndex: false,
    });
    const idNumber = makeIdNumber({ region: '620102', birthDate: '1985-04-11', sex: 'male' });
    const { sheet, basis } = outgoingInformationSheet({
      kept,
      excluded,
      summary,
      placeNames: new Map([TIANSHUI, LANZHOU].map((a) => [a.code, a.name])),
      here: LANZHOU,
      there: XIAN,
      person: { name: '原姓名', idNumber, birthDate: '1985-04-11', workStartDate: null },
      corrections: { excludeMonths: '2023-06', name: '更正姓名' },
      asOf,
      sheetVersion: 2,
      parameterSetVersion: 5,
    });
    expect(validateInformationSheet(sheet).problems).toEqual([]);
    expect(sheet).toMatchObject({ sheetVersion: 2, localActualMonths: 53 });
    expect(sheet.person).toMatchObject({
      name: '更正姓名',
      localStart: '2019-01',
      localEnd: '2023-05',
      firstInsuredDate: '2019-01-01',
      transferDate: asOf,
    });
    expect(sheet.person.toAgency).toEqual(XIAN);
    expect(basis).toMatchObject({
      asOf,
      parameterSetVersion: 5,
      record: {
        localMonths: 53,
        agencies: [TIANSHUI.code, LANZHOU.code],
        transferredPeriods: 0,
        excludedMonths: ['2023-06'],
      },
    });
  });
});
