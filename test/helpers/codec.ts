/**
 * The run's payload encryption (test/setup/global-setup.ts sets TEST_PAYLOAD_KEYS, a random key
 * of the run's own): every Temporal client and worker in the tests uses testDataConverter(), as
 * production does with PAYLOAD_KEYS.
 */
import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { dataConverter, parsePayloadKeys, type PayloadKeys } from '../../workers/payload-codec';
import { testEnv } from './env';

export function testPayloadKeys(): PayloadKeys {
  const spec = process.env.TEST_PAYLOAD_KEYS;
  if (!spec) throw new Error('TEST_PAYLOAD_KEYS is not set: run the tests through jest (the global set-up sets it)');
  return parsePayloadKeys(spec);
}

export function testDataConverter(): DataConverter {
  return dataConverter(testPayloadKeys());
}

/**
 * A time-skipping environment of the test's own whose client encrypts like the workers (pass it
 * to startInstallation({ timeSkipping })). The SDK waits five seconds for the JVM test server to
 * listen; on a loaded two-core machine it may take longer, so a start that timed out is tried
 * again (the global teardown stops a server that came up after the SDK gave up on it).
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: testEnv.timeSkippingServer } },
        client: { dataConverter: testDataConverter() },
      });
    } catch (err) {
      if (attempt >= 3 || !(err instanceof Error) || !/did not start within/.test(err.message)) throw err;
      process.stderr.write(
        `[test] the time-skipping server did not start in time (attempt ${attempt}): trying again\n`,
      );
    }
  }
}
