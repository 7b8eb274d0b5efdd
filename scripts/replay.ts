/**
 * `npm run replay -- --workflow-id <id> [--run-id <id>]` replays a case's recorded history from
 * the Temporal server (TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE; default the local run's dev server)
 * with the current workflow code; `npm run replay -- --file <history.json>` does the same for an
 * exported history. It lists the decisions found in the history and says whether the current
 * code reproduces them: exit 0 "reproduces", exit 1 with the nondeterminism error and the event
 * where it diverged, exit 2 for a usage or connection problem.
 *
 * Options: --bundle <file> (a prebuilt workflow bundle; default WORKFLOW_BUNDLE, else the
 * workflows are bundled now), --test-key (decode with the TEST-ONLY key of the committed
 * histories in test/histories instead of PAYLOAD_KEYS / the local secrets).
 * Payload keys: PAYLOAD_KEYS + PAYLOAD_KEY_ID, else the run command's DATA_DIR/secrets.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig } from '../config';
import {
  readHistoryFile,
  replayDataConverter,
  replayHistory,
  summarizeHistory,
  workflowIdOf,
  type History,
  type ReplayCode,
} from '../composition/replay-history';

const USAGE =
  'usage: npm run replay -- (--workflow-id <id> [--run-id <id>] | --file <history.json>) [--bundle <workflow-bundle.js>] [--test-key]';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const value = process.argv[i + 1];
  if (value === undefined || value.startsWith('--')) fail(`--${name} needs a value\n${USAGE}`);
  return value;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const out = (line = ''): boolean => process.stdout.write(`${line}\n`);

function payloadConverter(config: ReturnType<typeof loadConfig>): { converter?: DataConverter; source: string } {
  if (process.argv.includes('--test-key')) {
    // Loaded only on request, so the test key never becomes part of a build.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { TEST_PAYLOAD_KEYS, TEST_PAYLOAD_KEY_ID } = require(
      path.join(__dirname, '..', 'test', 'histories', 'test-key'),
    ) as { TEST_PAYLOAD_KEYS: string; TEST_PAYLOAD_KEY_ID: string };
    return {
      converter: replayDataConverter(TEST_PAYLOAD_KEYS, TEST_PAYLOAD_KEY_ID),
      source: 'TEST-ONLY key of test/histories',
    };
  }
  if (config.payloadKeys) {
    if (!config.payloadKeyId) fail('PAYLOAD_KEYS is set but PAYLOAD_KEY_ID is not');
    return { converter: replayDataConverter(config.payloadKeys, config.payloadKeyId), source: 'PAYLOAD_KEYS' };
  }
  const secretsFile = path.join(path.resolve(config.dataDir), 'secrets.json');
  if (fs.existsSync(secretsFile)) {
    const local = JSON.parse(fs.readFileSync(secretsFile, 'utf8')) as { payloadKeyId?: string; payloadKey?: string };
    if (local.payloadKeyId && local.payloadKey) {
      return {
        converter: replayDataConverter(`${local.payloadKeyId}:${local.payloadKey}`, local.payloadKeyId),
        source: secretsFile,
      };
    }
  }
  return { source: 'none (payloads read as stored; encrypted payloads cannot be decoded)' };
}

async function fetchFromServer(
  config: ReturnType<typeof loadConfig>,
  workflowId: string,
  runId: string | undefined,
  converter?: DataConverter,
): Promise<History> {
  const address = config.temporalAddress ?? `127.0.0.1:${config.temporalPort}`;
  let connection: Connection;
  try {
    connection = await Connection.connect({ address, connectTimeout: 5000 });
  } catch (err) {
    fail(`cannot reach Temporal at ${address}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const client = new Client({
      connection,
      namespace: config.temporalNamespace,
      ...(converter ? { dataConverter: converter } : {}),
    });
    return await client.workflow.getHandle(workflowId, runId).fetchHistory();
  } catch (err) {
    fail(
      `cannot fetch the history of ${workflowId}${runId ? ` run ${runId}` : ''} from ${address} (${config.temporalNamespace}): ${err instanceof Error ? err.message : String(err)}`,
    );
  } finally {
    await connection.close();
  }
}

async function main(): Promise<number> {
  const config = loadConfig();
  const file = arg('file');
  const workflowIdArg = arg('workflow-id');
  const runId = arg('run-id');
  if ((file === undefined) === (workflowIdArg === undefined)) fail(USAGE);
  if (runId && !workflowIdArg) fail(`--run-id goes with --workflow-id\n${USAGE}`);
  Runtime.install({ logger: new DefaultLogger('ERROR') });

  const { converter, source } = payloadConverter(config);
  let history: History;
  let origin: string;
  if (file !== undefined) {
    if (!fs.existsSync(file)) fail(`no such file: ${file}`);
    try {
      history = readHistoryFile(file);
    } catch (err) {
      fail(`${file} is not an exported workflow history: ${err instanceof Error ? err.message : String(err)}`);
    }
    origin = file;
  } else {
    history = await fetchFromServer(config, workflowIdArg!, runId, converter);
    origin = `${config.temporalAddress ?? `127.0.0.1:${config.temporalPort}`} namespace ${config.temporalNamespace}`;
  }
  const workflowId = workflowIdArg ?? workflowIdOf(history, path.basename(file!, '.json'));

  const bundlePath = arg('bundle') ?? config.workflowBundle;
  const code: ReplayCode = {
    dataConverter: converter,
    ...(bundlePath
      ? { workflowBundle: { codePath: path.resolve(bundlePath) } }
      : { workflowsPath: require.resolve('../workflows') }),
  };

  const summary = await summarizeHistory(history, converter);
  out(
    `Workflow ${summary.workflowType} · ID ${workflowId}${runId ? ` · run ${runId}` : ''} · ${summary.events} events · from ${origin}`,
  );
  out(
    `Started ${summary.startedAt ?? '?'}; ${summary.closedAs ? `closed as ${summary.closedAs}` : 'still running when exported'}`,
  );
  out(`Payload key: ${source}`);
  out(`Workflow code: ${bundlePath ? `bundle ${bundlePath}` : 'workflows/ (bundled now)'}`);
  out();
  out('Recorded decisions (历史中记录的决策):');
  for (const line of summary.lines) out(`  ${line}`);
  if (summary.lines.length === 0) out('  (none besides activities)');
  const activities = Object.entries(summary.activities);
  out(`Activities scheduled: ${activities.length ? activities.map(([name, n]) => `${name}×${n}`).join(', ') : 'none'}`);
  out();

  const outcome = await replayHistory(code, history, workflowId);
  if (outcome.reproduces) {
    out('REPRODUCES: the current workflow code makes the recorded decisions in the recorded order.');
    out('回放结果：当前流程代码重现了历史中记录的全部决策。');
    return 0;
  }
  out(
    `DOES NOT REPRODUCE: ${outcome.error!.nondeterminism ? 'the current code decides differently (nondeterminism)' : 'the replay failed'}.`,
  );
  out('回放结果：当前流程代码未能重现历史记录。');
  out(`${outcome.error!.name}: ${outcome.error!.message}`);
  out(
    outcome.divergedAt
      ? `Diverged at event #${outcome.divergedAt.eventId} (${outcome.divergedAt.eventType}).`
      : 'The error does not name the event where it diverged.',
  );
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[replay] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
