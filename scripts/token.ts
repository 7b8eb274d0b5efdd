/**
 * `npm run token -- --user <id> --role <role> --agency <code>[,<code>…] [--person-key <key>] [--ttl <seconds>]`
 * prints a signed bearer token for scripts and local use (and for machine clients: role
 * transfer_platform or tax_feed, with a long --ttl). The key comes from AUTH_SIGNING_KEY, or
 * from the local secrets the run command generated under DATA_DIR.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROLES, signToken, type Role } from '../api/auth/tokens';
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
const key =
  config.authSigningKey ??
  (fs.existsSync(secretsFile) ? (JSON.parse(fs.readFileSync(secretsFile, 'utf8')) as { authSigningKey?: string }).authSigningKey : undefined);
if (!key) fail(`no signing key: set AUTH_SIGNING_KEY, or run \`npm start\` once to generate ${secretsFile}`);
const user = arg('user') ?? fail('--user <id> is required');
const role = (arg('role') ?? fail(`--role is required (${ROLES.join(', ')})`)) as Role;
if (!(ROLES as readonly string[]).includes(role)) fail(`unknown role "${role}" (${ROLES.join(', ')})`);
const agencies = (arg('agency') ?? fail('--agency <code>[,<code>…] is required (* = every agency, auditors)')).split(',').map((a) => a.trim());
if (!agencies.every((a) => a === '*' || /^[0-9]{6}$/.test(a))) fail('--agency takes 6-digit agency codes or *');
const ttl = Number(arg('ttl') ?? 8 * 3600);
if (!Number.isInteger(ttl) || ttl < 60) fail('--ttl must be a number of seconds ≥ 60');
process.stdout.write(
  `${signToken(
    { key: Buffer.from(key, 'hex'), issuer: config.authIssuer, audience: config.authAudience },
    { sub: user, role, agencies, personKey: arg('person-key'), ttlSeconds: ttl },
  )}\n`,
);
