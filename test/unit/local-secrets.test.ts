import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localSecrets } from '../../composition/local/local-secrets';

test('the run command generates its secrets once and reads the same ones back on the next start', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-'));
  try {
    const first = localSecrets(dir);
    const file = path.join(dir, 'secrets.json');
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(first.authSigningKey).toMatch(/^[0-9a-f]{64}$/);
    expect(localSecrets(dir)).toEqual(first);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a secret missing from an older file is generated and added; the others are kept', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-'));
  try {
    fs.writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify({ personKeySecret: 'ab'.repeat(32) }));
    const secrets = localSecrets(dir);
    expect(secrets.personKeySecret).toBe('ab'.repeat(32));
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8'))).toEqual(secrets);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
