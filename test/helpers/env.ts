/** What the global set-up started, and generators for unique test data. */
import { randomInt, randomUUID } from 'node:crypto';
import type { TokenSettings } from '../../api/auth/tokens';
import { computeCheckDigit } from '../../domain/id-number';

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
  /** How the API under test verifies bearer tokens (test/helpers/auth.ts mints them). */
  get auth(): TokenSettings {
    return { key: Buffer.from(required('TEST_AUTH_SIGNING_KEY'), 'hex'), issuer: 'flex-pension-test', audience: 'flex-pension-api' };
  },
};

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/**
 * A valid, (practically) unique 18-digit ID number: region, birth date and sex as asked,
 * a random sequence, the right check digit.
 */
export function makeIdNumber(o: { region?: string; birthDate?: string; sex?: 'male' | 'female' } = {}): string {
  const region = o.region ?? '620102';
  const birth = (o.birthDate ?? `19${randomInt(60, 99)}-0${randomInt(1, 9)}-1${randomInt(0, 9)}`).replace(/-/g, '');
  let seq = randomInt(0, 1000);
  const wantOdd = (o.sex ?? (randomInt(0, 2) === 0 ? 'male' : 'female')) === 'male';
  if ((seq % 2 === 1) !== wantOdd) seq = (seq + 1) % 1000;
  const first17 = `${region}${birth}${String(seq).padStart(3, '0')}`;
  return first17 + computeCheckDigit(first17);
}
