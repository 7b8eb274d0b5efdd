/**
 * TEST-ONLY payload key. It encrypts the committed histories in this folder (so they hold no
 * plaintext personal data, and so the replay gate exercises the same codec as production) and
 * nothing else: never configure it as PAYLOAD_KEYS anywhere, never use it for real data. It is
 * public by being committed; histories under it are only as secret as fake test data needs.
 *
 * Used by: test/integration/replay/*.test.ts (capture and replay) and `npm run replay -- --test-key`.
 */
export const TEST_PAYLOAD_KEY_ID = 'replay-test-only-1';
export const TEST_PAYLOAD_KEYS = `${TEST_PAYLOAD_KEY_ID}:38e0815222c78eed4a4aa8f02f3ecfcbf32a110dcfc7f13391892187d54e0f60`;
