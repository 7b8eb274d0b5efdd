/**
 * `npm run -s assertion-key -- [keyId]` prints a new key pair for the API's assertions on
 * workflow inputs, as the two lines of the env file: ASSERTION_SIGNING_KEY (the API's, secret)
 * and ASSERTION_PUBLIC_KEYS (the workers', public). On rotation, append the new public key to the
 * workers' list before the API signs with the new key.
 */
import { assertionSigner, newAssertionKey } from '../api/auth/assertions';

const kid = process.argv[2] ?? `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
const spec = newAssertionKey(kid);
const signer = assertionSigner(spec);
process.stdout.write(`ASSERTION_SIGNING_KEY=${spec}\nASSERTION_PUBLIC_KEYS=${signer.kid}:${signer.publicKeyHex}\n`);
