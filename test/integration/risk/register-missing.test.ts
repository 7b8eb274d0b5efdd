/**
 * A case at an agency for whose region nobody published a risk register or a collective-review
 * quorum (an installation outside Gansu, or a register withdrawn) waits for a supervisor to
 * publish them — the activity answers `awaitingParameters`, naming both — instead of failing and
 * being retried without end. Publishing them lets the same call grade the points.
 */
import { randomInt } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../../activities';
import { createHttpGovernmentSystems } from '../../../adapters/government/http';
import { createHttpTransferPlatform } from '../../../adapters/transfer-platform/platform';
import { createCalendarProvider } from '../../../db/calendar-store';
import { createDb, type DbHandle } from '../../../db/client';
import { RISK_PARAMETER_NAMES } from '../../../domain/risk';
import { RISK_REGISTER_PARAMETER } from '../../../domain/risk-register';
import { insertBareCase } from '../../helpers/bare-case';
import { testEnv } from '../../helpers/env';
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
  const { caseId } = await insertBareCase(db, { procedure: 'stop', agencyCode: agency, channel: 'online' });
  const activities = createActivities({
    db,
    calendar: createCalendarProvider(db),
    platform: createHttpTransferPlatform(testEnv.platformUrl),
    government: createHttpGovernmentSystems(testEnv.governmentUrl),
    assertionPublicKeys: testEnv.assertionPublicKeys,
  });
  const touch = () =>
    new MockActivityEnvironment().run(() =>
      activities.touchRiskPoints({
        caseId,
        points: [{ key: 'stop.application' }],
        touchedAt: '2026-03-02T01:00:00.000Z',
      }),
    );

  expect(await touch()).toEqual({
    awaitingParameters: [
      { name: RISK_REGISTER_PARAMETER, region: agency, onDate: '2026-03-02' },
      { name: RISK_PARAMETER_NAMES.collectiveQuorum, region: agency, onDate: '2026-03-02' },
    ],
  });

  await publishRiskSettingsFor(db, [agency]);
  expect(await touch()).toMatchObject({
    highest: expect.stringMatching(/^(high|medium|low)$/),
    quorum: 3,
    touched: [expect.objectContaining({ key: 'stop.application' })],
  });
});
