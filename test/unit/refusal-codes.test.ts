/**
 * The one table of refusal codes (domain/refusal-codes.ts): every code the workflows throw is in
 * it, found in their sources (`refuse('…'`, `ApplicationFailure.create({ type: '…'`,
 * `ApplicationFailure.nonRetryable(…, '…')`, and the `code: '…'` of a verdict that a validator
 * throws: the trust boundary's and separation of duties', and a `const code = …` that is thrown);
 * an unknown code is answered 422.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_REFUSAL_STATUS, REFUSAL_STATUS, refusalStatus } from '../../domain/refusal-codes';

const root = path.join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(path.join(root, dir, f), 'utf8'));
}

const THROWN = [
  /\brefuse\(\s*'([^']+)'/g,
  /ApplicationFailure\.create\(\{\s*type:\s*'([^']+)'/g,
  /ApplicationFailure\.nonRetryable\([^;]*?,\s*'([^']+)'\s*\)/g,
];
const VERDICT = /\bcode:\s*'([a-z_]+\.[a-z_]+)'/g;
const CODE_VARIABLE = /\bconst code\s*=[^;]*?'([a-z_]+\.[a-z_]+)'/g;

function codesIn(texts: string[], patterns: RegExp[]): Set<string> {
  const found = new Set<string>();
  for (const text of texts) for (const p of patterns) for (const m of text.matchAll(p)) found.add(m[1]);
  return found;
}

const thrown = new Set([
  ...codesIn(sources('workflows'), [...THROWN, VERDICT, CODE_VARIABLE]),
  ...codesIn([readFileSync(path.join(root, 'domain', 'separation-of-duties.ts'), 'utf8')], [VERDICT]),
]);

test('the scan finds the codes of every kind of refusal (so an empty scan cannot pass)', () => {
  for (const code of [
    'case.closed',
    'separation.own_work',
    'assertion.expired',
    'assertion.actor_mismatch',
    'deadline.already_extended',
    'certification.invalid_method',
    'payroll.future_month',
  ]) {
    expect(thrown).toContain(code);
  }
});

test('every refusal code thrown in workflows/ has its HTTP status in the table', () => {
  expect([...thrown].filter((code) => !(code in REFUSAL_STATUS)).sort()).toEqual([]);
});

test('409 for the case state, 403 for separation of duties, 422 for the request; an unknown code 422', () => {
  expect(refusalStatus('case.closed')).toBe(409);
  expect(refusalStatus('case.wrong_step')).toBe(409);
  expect(refusalStatus('separation.acceptor_cannot_review')).toBe(403);
  expect(refusalStatus('decision.reasons_required')).toBe(422);
  expect(refusalStatus('assertion.bad_signature')).toBe(422);
  expect(refusalStatus('no.such_code')).toBe(DEFAULT_REFUSAL_STATUS);
  expect(refusalStatus('toString')).toBe(DEFAULT_REFUSAL_STATUS);
  expect(DEFAULT_REFUSAL_STATUS).toBe(422);
});
