/**
 * The run command's local secrets (person-key secret, API signing key, payload key), generated on
 * first start into <data dir>/secrets.json (mode 0600, never committed) and read back on every
 * later start, so person keys, tokens and encrypted histories stay valid across restarts.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Local secrets, generated on first start and kept under the data directory (never committed). */
export interface LocalSecrets {
  personKeySecret: string;
  /** Signs API tokens (`npm run token`). */
  authSigningKey: string;
  /** Payload encryption key for Temporal (id and key). */
  payloadKeyId: string;
  payloadKey: string;
  /** Signs the API's assertions on workflow inputs ("keyId:<64 hex seed>"; workflows/shared/trust.ts). */
  assertionSigningKey: string;
}

export function localSecrets(dataDir: string, say: (message: string) => void = () => undefined): LocalSecrets {
  const file = path.join(dataDir, 'secrets.json');
  const existing = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LocalSecrets>) : {};
  // Secrets added by later versions are generated once and kept; existing ones never change
  // (a new person-key secret would re-key every person, a new payload key could not read old histories).
  const secrets: LocalSecrets = {
    personKeySecret: existing.personKeySecret ?? randomBytes(32).toString('hex'),
    authSigningKey: existing.authSigningKey ?? randomBytes(32).toString('hex'),
    payloadKeyId: existing.payloadKeyId ?? `local-${randomBytes(3).toString('hex')}`,
    payloadKey: existing.payloadKey ?? randomBytes(32).toString('hex'),
    assertionSigningKey:
      existing.assertionSigningKey ?? `local-${randomBytes(3).toString('hex')}:${randomBytes(32).toString('hex')}`,
  };
  // Written when the file is missing or lacks a secret (one generated just now).
  if ((Object.keys(secrets) as Array<keyof LocalSecrets>).some((k) => existing[k] !== secrets[k])) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    say(`wrote local secrets to ${file}`);
  }
  return secrets;
}
