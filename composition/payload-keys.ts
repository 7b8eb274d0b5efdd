/**
 * The payload keys of a command-line tool: PAYLOAD_KEYS / PAYLOAD_KEY_ID, or else the local key
 * the run command generated under DATA_DIR (secrets.json). Production entry points
 * (api/server.ts, workers/main.ts) do not fall back: they require PAYLOAD_KEYS.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from '../config';
import { PayloadKeyError, parsePayloadKeys, type PayloadKeys } from '../workers/payload-codec';
import { AssertionKeyError, assertionSigner, type AssertionSigner } from '../api/auth/assertions';

/** Parses the configured keys, turning a bad specification into a ConfigError. */
export function configuredPayloadKeys(spec: string, activeKeyId: string | undefined): PayloadKeys {
  try {
    return parsePayloadKeys(spec, activeKeyId);
  } catch (err) {
    if (err instanceof PayloadKeyError) throw new ConfigError(err.message);
    throw err;
  }
}

export function payloadKeysForTool(config: Config): PayloadKeys {
  if (config.payloadKeys) return configuredPayloadKeys(config.payloadKeys, config.payloadKeyId);
  const file = path.join(path.resolve(config.dataDir), 'secrets.json');
  const local = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { payloadKeyId?: string; payloadKey?: string })
    : {};
  if (!local.payloadKeyId || !local.payloadKey) {
    throw new ConfigError(
      `no payload key: set PAYLOAD_KEYS (and PAYLOAD_KEY_ID), or run \`npm start\` once to generate ${file}`,
    );
  }
  return configuredPayloadKeys(`${local.payloadKeyId}:${local.payloadKey}`, config.payloadKeyId ?? local.payloadKeyId);
}

/** The API's assertion signing key for a command-line tool: ASSERTION_SIGNING_KEY, or the run command's local one. */
export function assertionSignerForTool(config: Config): AssertionSigner {
  const file = path.join(path.resolve(config.dataDir), 'secrets.json');
  const local = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { assertionSigningKey?: string })
    : {};
  const spec = config.assertionSigningKey ?? local.assertionSigningKey;
  if (!spec)
    throw new ConfigError(
      `no assertion signing key: set ASSERTION_SIGNING_KEY, or run \`npm start\` once to generate ${file}`,
    );
  try {
    return assertionSigner(spec);
  } catch (err) {
    if (err instanceof AssertionKeyError) throw new ConfigError(err.message);
    throw err;
  }
}
