/**
 * A case at an agency for whose region nobody published a risk register or a collective-review
 * quorum (an installation outside Gansu, or a register withdrawn) waits for a supervisor to
 * publish them — the activity answers `awaitingParameters`, naming both — instead of failing and
 * being retried without end. Publishing them lets the same call grade the points.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../../activities';
import { createHttpGovernmentSystems } from '../../../adapters/government/http';
import { createHttpTransferPlatform } from '../../../adapters/transfer-platform/platform';
import { createCalendarProvider } from '../../../db/calendar-store';
import { createDb, type DbHandle } from '../../../db/client';
import { cases, persons } from '../../../db/schema';
import { validateIdNumber } from '../../../domain/id-number';
import { RISK_PARAMETER_NAMES } from '../../../domain/risk';
import { RISK_REGISTER_PARAMETER } from '../../../domain/risk-register';
import { makeIdNumber, testEnv } from '../../helpers/env';
import { addAgencies, createDatabase, publishRiskSettingsFor } from '../../helpers/installation';

let handle: DbHandle;
const agency = `61${randomInt(1000, 9999)}`;

beforeAll(async () => {
  handle = createDb(await createDatabase('riskreg'), { max: 2, connectionTimeoutMillis: 30_000 });
  await addAgencies(handle.db, [agency]);
});
afterAll(async () => {
  await handle?.close();
});

test('no register or quorum in force for the agency: the activity names both as awaited parameters; once published it grades the points', async () => {
  const { db } = handle;
  const idNumber = makeIdNumber();
  const check = validateIdNumber(idNumber, '2026-01-01');
  const [person] = await db
    .insert(persons)
    .values({ idNumber, name: '测试人', sex: check.sex!, birthDate: check.birthDate!, personKey: `P${randomBytes(12).toString('hex').toUpperCase()}` })
    .returning({ id: persons.id });
  const caseId = `stop-${agency}-2026-${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
  await db.insert(cases).values({ id: caseId, procedure: 'stop', agencyCode: agency, channel: 'online', stage: 'review', personId: person.id, application: {}, workflowId: caseId, receivedAt: new Date('2026-03-02T01:00:00Z') });
  const activities = createActivities({
    db,
    calendar: createCalendarProvider(db),
    platform: createHttpTransferPlatform(testEnv.platformUrl),
    government: createHttpGovernmentSystems(testEnv.governmentUrl),
    assertionPublicKeys: testEnv.assertionPublicKeys,
  });
  const touch = () => new MockActivityEnvironment().run(() => activities.touchRiskPoints({ caseId, points: [{ key: 'stop.application' }], touchedAt: '2026-03-02T01:00:00.000Z' }));

  expect(await touch()).toEqual({
    awaitingParameters: [
      { name: RISK_REGISTER_PARAMETER, region: agency, onDate: '2026-03-02' },
      { name: RISK_PARAMETER_NAMES.collectiveQuorum, region: agency, onDate: '2026-03-02' },
    ],
  });

  await publishRiskSettingsFor(db, [agency]);
  expect(await touch()).toMatchObject({ highest: expect.stringMatching(/^(high|medium|low)$/), quorum: 3, touched: [expect.objectContaining({ key: 'stop.application' })] });
});
