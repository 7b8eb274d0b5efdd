import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import {
  ENCRYPTED_ENCODING,
  EncryptionCodec,
  KEY_ID_METADATA,
  PLAINTEXT_REFUSED_KEY,
  PayloadDecryptionError,
  PayloadKeyError,
  dataConverter,
  parsePayloadKeys,
} from '../../workers/payload-codec';

const hex = () => randomBytes(32).toString('hex');
const utf8 = (b?: Uint8Array | null) => Buffer.from(b ?? []).toString('utf8');
const toPayload = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const fromPayload = (payload: Payload): unknown => defaultPayloadConverter.fromPayload(payload);

const person = { idNumber: '620102198005120013', name: '张三', phone: '13912345678' };

describe('payload keys from configuration', () => {
  test('one key needs no active key ID; several need one that is configured', () => {
    expect(parsePayloadKeys(`k1:${hex()}`).activeKeyId).toBe('k1');
    expect(parsePayloadKeys(`k1:${hex()}, k2:${hex()}`, 'k2').activeKeyId).toBe('k2');
    expect(() => parsePayloadKeys(`k1:${hex()},k2:${hex()}`)).toThrow(/PAYLOAD_KEY_ID must name/);
    expect(() => parsePayloadKeys(`k1:${hex()}`, 'k9')).toThrow(/"k9" is not among/);
  });

  test('malformed specifications are refused without echoing key material', () => {
    const short = 'abcd'.repeat(8);
    for (const spec of ['', 'k1', `k1:${short}`, `k 1:${hex()}`, `k1:${hex()}:x`]) {
      let error: unknown;
      try {
        parsePayloadKeys(spec);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(PayloadKeyError);
      expect((error as Error).message).not.toContain(short);
    }
    expect(() => parsePayloadKeys(`k1:${hex()},k1:${hex()}`)).toThrow(/twice/);
  });
});

describe('EncryptionCodec', () => {
  const codec = new EncryptionCodec(parsePayloadKeys(`k1:${hex()}`));

  test('round trip: structured payloads are encrypted under the active key and decode to the original', async () => {
    const original = toPayload(person);
    const [encrypted] = await codec.encode([original]);
    expect(utf8(encrypted.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(utf8(encrypted.metadata?.[KEY_ID_METADATA])).toBe('k1');
    const raw = Buffer.from(encrypted.data ?? []).toString('latin1');
    for (const secret of Object.values(person)) expect(raw).not.toContain(secret);
    expect(Buffer.from(encrypted.data ?? []).includes(Buffer.from('张三'))).toBe(false);
    const [decoded] = await codec.decode([encrypted]);
    expect(fromPayload(decoded)).toEqual(person);
  });

  test('two encryptions of the same value differ (fresh IV)', async () => {
    const [a, b] = await codec.encode([toPayload(person), toPayload(person)]);
    expect(Buffer.from(a.data ?? []).equals(Buffer.from(b.data ?? []))).toBe(false);
  });

  test('operations text stays readable, but a bare string holding a long digit run is encrypted', async () => {
    const [summary, withId, withPhone, withBirth] = await codec.encode([
      toPayload('灵活就业人员参保登记 · 经办机构 620102 · 窗口受理'),
      toPayload(`申请人 ${person.idNumber}`),
      toPayload(`电话 ${person.phone}`),
      toPayload('19800512'),
    ]);
    expect(fromPayload(summary)).toBe('灵活就业人员参保登记 · 经办机构 620102 · 窗口受理');
    for (const p of [withId, withPhone, withBirth]) expect(utf8(p.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
  });

  test('an unencrypted payload is refused by decode: it becomes a marker, never its content; bare operator texts pass', async () => {
    const [decoded, nullish, summary] = await codec.decode([
      toPayload(person),
      toPayload(null),
      toPayload('灵活就业人员参保登记 · 经办机构 620102'),
    ]);
    expect(fromPayload(decoded)).toEqual({ [PLAINTEXT_REFUSED_KEY]: true, encoding: 'json/plain' });
    expect(fromPayload(nullish)).toEqual({ [PLAINTEXT_REFUSED_KEY]: true, encoding: 'json/plain' });
    expect(fromPayload(summary)).toBe('灵活就业人员参保登记 · 经办机构 620102');
  });

  test('rotation: payloads under the old key still decode once a new key is active', async () => {
    const oldKey = hex();
    const before = new EncryptionCodec(parsePayloadKeys(`2025:${oldKey}`));
    const [old] = await before.encode([toPayload(person)]);
    const after = new EncryptionCodec(parsePayloadKeys(`2025:${oldKey},2026:${hex()}`, '2026'));
    const [fresh] = await after.encode([toPayload(person)]);
    expect(utf8(fresh.metadata?.[KEY_ID_METADATA])).toBe('2026');
    const decoded = await after.decode([old, fresh]);
    expect(decoded.map(fromPayload)).toEqual([person, person]);
  });

  test('a payload under a key that is not configured fails clearly, naming the key ID', async () => {
    const [other] = await new EncryptionCodec(parsePayloadKeys(`retired:${hex()}`)).encode([toPayload(person)]);
    await expect(codec.decode([other])).rejects.toThrow(PayloadDecryptionError);
    await expect(codec.decode([other])).rejects.toThrow(/key "retired", which is not configured/);
  });

  test('a tampered ciphertext or a different key under the same ID fails authentication', async () => {
    const [encrypted] = await codec.encode([toPayload(person)]);
    const data = Buffer.from(encrypted.data ?? []);
    data[20] ^= 0x01;
    await expect(codec.decode([{ ...encrypted, data }])).rejects.toThrow(/failed authentication/);
    const impostor = new EncryptionCodec(parsePayloadKeys(`k1:${hex()}`));
    await expect(impostor.decode([encrypted])).rejects.toThrow(/failed authentication/);
    await expect(codec.decode([{ ...encrypted, data: data.subarray(0, 10) }])).rejects.toThrow(/too short/);
  });

  test('the data converter moves failure messages and stack traces into an encrypted payload', async () => {
    const loaded = loadDataConverter(dataConverter(parsePayloadKeys(`k1:${hex()}`)));
    const failure = loaded.failureConverter.errorToFailure(
      new Error(`no such person ${person.idNumber}`),
      loaded.payloadConverter,
    );
    expect(failure.message).not.toContain(person.idNumber);
    expect(failure.stackTrace ?? '').not.toContain(person.idNumber);
    expect(failure.encodedAttributes).toBeDefined();
    const [encoded] = await loaded.payloadCodecs[0].encode([failure.encodedAttributes!]);
    expect(utf8(encoded.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
  });
});

test('the marker of a refused payload is the one the workflows recognise', () => {
  // workflows/shared/trust.ts cannot import the codec (no Node code in workflows): the two must agree.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const source = require('node:fs').readFileSync(require.resolve('../../workflows/shared/trust.ts'), 'utf8') as string;
  expect(source).toContain(`export const PLAINTEXT_REFUSED = '${PLAINTEXT_REFUSED_KEY}';`);
});
