/**
 * Support for capturing the committed replay histories (capture.test.ts): the TEST-ONLY data
 * converter, a guard that no captured history holds a test person's ID number or name in the
 * clear, and writing the history file.
 */
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import {
  historyToJSON,
  replayDataConverter,
  writeHistoryFile,
  type History,
} from '../../../composition/replay-history';
import { ENCRYPTED_ENCODING } from '../../../workers/payload-codec';
import { TEST_PAYLOAD_KEY_ID, TEST_PAYLOAD_KEYS } from '../../histories/test-key';

export const HISTORIES_DIR = path.join(__dirname, '..', '..', 'histories');

export function testDataConverter(): DataConverter {
  return replayDataConverter(TEST_PAYLOAD_KEYS, TEST_PAYLOAD_KEY_ID);
}

/** Every string of a JSON value, and the UTF-8 text of every base64 `data` field (plaintext payloads). */
function texts(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) texts(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'data' && typeof v === 'string') out.push(Buffer.from(v, 'base64').toString('utf8'));
      texts(v, out);
    }
  }
  return out;
}

/** Throws when a history shows any of the given values (ID numbers, names) outside encrypted payloads. */
export function assertNoPersonalData(name: string, history: History, sensitive: Iterable<string>): void {
  const all = texts(historyToJSON(history)).join('\n');
  const found = [...sensitive].filter((s) => s.length > 0 && all.includes(s));
  if (found.length > 0)
    throw new Error(`history ${name} shows personal data in the clear (${found.length} value(s)): not written`);
}

/** Throws unless the workflow input was encrypted by the payload codec (the capture used the codec). */
export function assertEncrypted(name: string, history: History): void {
  const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  const encoding = input?.metadata?.encoding ? Buffer.from(input.metadata.encoding).toString('utf8') : '(no input)';
  if (input && encoding !== ENCRYPTED_ENCODING)
    throw new Error(
      `history ${name}: the workflow input is ${encoding}, not ${ENCRYPTED_ENCODING}; the capture did not use the payload codec`,
    );
}

/** Waits (wall time) until the workflow has no workflow task in flight, so its history ends at a task boundary. */
export async function settled(client: Client, workflowId: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await client.workflow.getHandle(workflowId).describe();
    if (d.status.name !== 'RUNNING' || (!d.raw.pendingWorkflowTask && (d.raw.pendingActivities ?? []).length === 0))
      return;
    if (Date.now() > deadline) throw new Error(`${workflowId} did not settle in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Fetches the (current run's) history, checks it and writes test/histories/<name>.json. */
export async function captureHistory(
  client: Client,
  name: string,
  workflowId: string,
  sensitive: Iterable<string>,
  runId?: string,
): Promise<History> {
  if (!runId) await settled(client, workflowId);
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  // The Java time-skipping server leaves the start event's workflowId (server ≥ 1.21) empty; fill
  // it in so a replay runs under the ID the case really had, as for dev-server captures.
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  if (started && !started.workflowId) started.workflowId = workflowId;
  assertEncrypted(name, history);
  assertNoPersonalData(name, history, sensitive);
  writeHistoryFile(path.join(HISTORIES_DIR, `${name}.json`), history);
  return history;
}
