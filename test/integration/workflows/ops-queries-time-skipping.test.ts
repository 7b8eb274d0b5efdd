/**
 * What operations staff see once the other province has let its reply deadline pass: on the
 * time-skipping server (the dev server cannot wait 15 working days), a transfer in whose contact
 * letter is never answered is moved 40 days on. The case shows `CounterpartOverdue = true` and
 * `Overdue = true` (docs/operations.md 3.1 and 3.3), and its current details say so. (The test
 * server cannot list workflows; the queries themselves run on the dev server in ops-queries.test.ts.)
 */
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import {
  saCounterpartDueAt,
  saCounterpartOverdue,
  saOverdue,
  saWaitingOn,
} from '../../../workflows/shared/search-attributes';
import { applicantOf, asUser } from '../../helpers/auth';
import { createTimeSkippingEnv } from '../../helpers/codec';
import { makeIdNumber } from '../../helpers/env';
import { installRuntime, randomAgencies, startInstallation, type Installation } from '../../helpers/installation';
import { simulator } from '../../helpers/transfers';
import { eventually } from '../../helpers/wait';
import { birthDateAged } from '../../helpers/time';

jest.setTimeout(180_000);

let env: TestWorkflowEnvironment;
let inst: Installation;
let codes: { lanzhou: string; xian: string };

beforeAll(async () => {
  codes = randomAgencies();
  installRuntime();
  env = await createTimeSkippingEnv();
  inst = await startInstallation({
    name: 'ops_ts',
    servedAgencies: [codes.lanzhou],
    directory: [codes.lanzhou, codes.xian],
    timeSkipping: env,
  });
  // The other province is known to the platform but never answers: everything to it is held.
  await simulator(`/agencies/${codes.xian}`, {
    method: 'PUT',
    body: { inboundUrl: 'http://127.0.0.1:9/never-answers', hold: true },
  });
});
afterAll(async () => {
  await inst?.stop();
  await env?.teardown();
});

test('40 days after a contact letter nobody answers: CounterpartOverdue and Overdue are set and the current details say the other side is overdue', async () => {
  const mover = makeIdNumber({ birthDate: birthDateAged(35, { day: 18 }), sex: 'male' });
  const res = await inst.app.inject({
    method: 'POST',
    url: '/api/v1/transfers/in',
    headers: asUser(applicantOf(mover)),
    payload: {
      agencyCode: codes.lanzhou,
      channel: 'online',
      applicant: { idNumber: mover, name: '王五' },
      fromAgencyCode: codes.xian,
    },
  });
  expect(res.statusCode).toBe(201);
  const caseId: string = res.json().caseId;
  const handle = inst.client.workflow.getHandle(caseId);
  const details = async () =>
    (await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata')).currentDetails ?? '';
  expect(await details()).toMatch(/；对方答复期限: \d{4}年\d{1,2}月\d{1,2}日$/);

  await inst.sleep('40 days');
  const attributes = await eventually(
    async () => (await handle.describe()).typedSearchAttributes,
    (a) => a.get(saCounterpartOverdue) === true && a.get(saOverdue) === true,
    20_000,
  );
  expect(attributes.get(saCounterpartOverdue)).toBe(true);
  expect(attributes.get(saOverdue)).toBe(true);
  expect(attributes.get(saWaitingOn)).toBe('counterpart');
  expect(attributes.get(saCounterpartDueAt)?.getTime()).toBeGreaterThan(await env.currentTimeMs());
  expect(await details()).toMatch(
    /^当前环节: 等待转出地信息表；等待对方经办机构；法定时限: 15 个工作日 \(9\.1\.3\)；到期日: .+；已超期；对方答复期限: .+；对方已超期未答复（已催办）$/,
  );
  // The Java test server does not implement ListWorkflowExecutions (UNIMPLEMENTED), so the query
  // itself (opsQueries.counterpartOverdue) runs on the dev server in ops-queries.test.ts; here the
  // attribute values it matches are checked through describe().
});
