/**
 * `npm run -s token -- --user <id> --role <role> --agency <code>[,<code>…] [--person-key <key> | --id-number <id>] [--ttl <seconds>]`
 * prints a signed bearer token, and nothing else, for scripts and local use (and for machine
 * clients: role transfer_platform or tax_feed, with a long --ttl). The key, issuer and audience
 * are the API's: AUTH_SIGNING_KEY (else the local secrets the run command generated under
 * DATA_DIR), AUTH_ISSUER, AUTH_AUDIENCE. An applicant's token carries their person key: give it,
 * or give the ID number and the key is computed with the person-key secret (PERSON_KEY_SECRET,
 * else the local secrets). `-s` keeps npm from printing its own banner above the token.
 *
 * `npm run -s token -- --codec --user <id> [--ttl <seconds>]` prints a decode-only codec
 * credential instead (12 hours at most), for the Temporal Web UI's Data Encoder setting
 * (`<API>/codec/t/<credential>`); it is no API token.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CODEC_CREDENTIAL_MAX_TTL_SECONDS, ROLES, signCodecCredential, signToken, type Role } from '../api/auth/tokens';
import { personKeyOf } from '../db/repositories/persons';
import { loadConfig } from '../config';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const config = loadConfig();
const secretsFile = path.join(path.resolve(config.dataDir), 'secrets.json');
const local = fs.existsSync(secretsFile)
  ? (JSON.parse(fs.readFileSync(secretsFile, 'utf8')) as { authSigningKey?: string; personKeySecret?: string })
  : {};
const key = config.authSigningKey ?? local.authSigningKey;
if (!key) fail(`no signing key: set AUTH_SIGNING_KEY, or run \`npm start\` once to generate ${secretsFile}`);
const user = arg('user') ?? fail('--user <id> is required');
const settings = { key: Buffer.from(key, 'hex'), issuer: config.authIssuer, audience: config.authAudience };
if (process.argv.includes('--codec')) {
  const ttl = Number(arg('ttl') ?? 8 * 3600);
  if (!Number.isInteger(ttl) || ttl < 60 || ttl > CODEC_CREDENTIAL_MAX_TTL_SECONDS)
    fail(`--ttl must be 60 to ${CODEC_CREDENTIAL_MAX_TTL_SECONDS} seconds for a codec credential`);
  process.stdout.write(`${signCodecCredential(settings, { sub: user, ttlSeconds: ttl })}\n`);
  process.exit(0);
}
const role = (arg('role') ?? fail(`--role is required (${ROLES.join(', ')})`)) as Role;
if (!(ROLES as readonly string[]).includes(role)) fail(`unknown role "${role}" (${ROLES.join(', ')})`);
const agencies = (arg('agency') ?? fail('--agency <code>[,<code>…] is required (* = every agency, auditors)'))
  .split(',')
  .map((a) => a.trim());
if (!agencies.every((a) => a === '*' || /^[0-9]{6}$/.test(a))) fail('--agency takes 6-digit agency codes or *');
const idNumber = arg('id-number')?.trim().toUpperCase();
let personKey = arg('person-key');
if (idNumber) {
  if (!/^[0-9]{17}[0-9X]$/.test(idNumber)) fail('--id-number takes an 18-character resident ID number');
  const secret = config.personKeySecret ?? local.personKeySecret;
  if (!secret)
    fail(`no person-key secret: set PERSON_KEY_SECRET, or run \`npm start\` once to generate ${secretsFile}`);
  personKey = personKeyOf(secret, idNumber);
}
if (role === 'applicant' && !personKey) fail('an applicant token needs --id-number <id> (or --person-key <key>)');
const ttl = Number(arg('ttl') ?? 8 * 3600);
if (!Number.isInteger(ttl) || ttl < 60) fail('--ttl must be a number of seconds ≥ 60');
process.stdout.write(`${signToken(settings, { sub: user, role, agencies, personKey, ttlSeconds: ttl })}\n`);
