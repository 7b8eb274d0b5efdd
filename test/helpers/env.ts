/** What the global set-up started, and generators for unique test data. */
import { randomInt, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { assertionSigner, type AssertionSigner } from '../../api/auth/assertions';
import type { TokenSettings } from '../../api/auth/tokens';
import { computeCheckDigit } from '../../domain/id-number';
import { birthDateAged } from './time';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest (the global set-up sets it)`);
  return value;
}

export const testEnv = {
  get databaseUrl() {
    return required('TEST_DATABASE_URL');
  },
  get temporalAddress() {
    return required('TEST_TEMPORAL_ADDRESS');
  },
  get workflowBundlePath() {
    return required('TEST_WORKFLOW_BUNDLE');
  },
  get timeSkippingServer() {
    return required('TEST_TIME_SKIPPING_SERVER');
  },
  get platformUrl() {
    return required('TEST_PLATFORM_URL');
  },
  get governmentUrl() {
    return required('TEST_GOVERNMENT_URL');
  },
  get personKeySecret() {
    return required('TEST_PERSON_KEY_SECRET');
  },
  /** The API's signature on workflow inputs (the run's own key). */
  get assertions(): AssertionSigner {
    return assertionSigner(required('TEST_ASSERTION_KEY'));
  },
  /** What the test workers trust: the run's signing key's public half. */
  get assertionPublicKeys(): Record<string, string> {
    const signer = assertionSigner(required('TEST_ASSERTION_KEY'));
    return { [signer.kid]: signer.publicKeyHex };
  },
  /** How the API under test verifies bearer tokens (test/helpers/auth.ts mints them). */
  get auth(): TokenSettings {
    return {
      key: Buffer.from(required('TEST_AUTH_SIGNING_KEY'), 'hex'),
      issuer: 'flex-pension-test',
      audience: 'flex-pension-api',
    };
  },
};

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/**
 * Claims an ID number for this test run across every jest worker: the first process to create
 * its marker file in the run's directory (TEST_ROOT, from the global set-up) owns it. Test files
 * share one database, so two files drawing the same random ID would meet the same person.
 */
function claimForRun(id: string): boolean {
  const root = process.env.TEST_ROOT;
  if (!root) return true;
  const dir = path.join(root, 'id-numbers');
  fs.mkdirSync(dir, { recursive: true });
  try {
    fs.closeSync(fs.openSync(path.join(dir, id), 'wx'));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * A valid 18-digit ID number, unique in the test run: region, birth date and sex as asked, a
 * random sequence, the right check digit. Without a birth date, someone aged 20 to 45 today: far
 * from retirement whatever the year (an enrolment arms a retirement watch, which would open a
 * pre-review in the agency for someone due to retire within three months).
 */
export function makeIdNumber(o: { region?: string; birthDate?: string; sex?: 'male' | 'female' } = {}): string {
  for (let attempt = 0; attempt < 10_000; attempt += 1) {
    const region = o.region ?? '620102';
    const birth = (
      o.birthDate ?? birthDateAged(randomInt(20, 46), { extraMonths: randomInt(0, 12), day: randomInt(10, 20) })
    ).replace(/-/g, '');
    let seq = randomInt(0, 1000);
    const wantOdd = (o.sex ?? (randomInt(0, 2) === 0 ? 'male' : 'female')) === 'male';
    if ((seq % 2 === 1) !== wantOdd) seq = (seq + 1) % 1000;
    const first17 = `${region}${birth}${String(seq).padStart(3, '0')}`;
    const id = first17 + computeCheckDigit(first17);
    if (claimForRun(id)) return id;
  }
  throw new Error(`no unused ID number left for ${JSON.stringify(o)} in this test run`);
}
