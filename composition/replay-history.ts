/**
 * Replaying recorded workflow histories with the current workflow code: the library behind
 * `npm run replay` (scripts/replay.ts) and the CI gate (test/integration/replay). A replay
 * re-runs the workflow code against the recorded events; it reproduces the history when the
 * code makes the same decisions (commands) in the same order. Nothing here prints or returns
 * payload contents beyond a few whitelisted status fields, so output holds no personal data.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { defaultPayloadConverter, type DataConverter, type Payload } from '@temporalio/common';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { dataConverter, parsePayloadKeys } from '../workers/payload-codec';

const { temporal } = proto;
export type History = proto.temporal.api.history.v1.IHistory;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;
const EventType = temporal.api.enums.v1.EventType;

/**
 * The data converter of a replay: the production payload codec with the given keys. The only
 * place replay and capture build one, so a change to workers/payload-codec.ts is one edit here.
 */
export function replayDataConverter(keys: string, activeKeyId: string): DataConverter {
  return dataConverter(parsePayloadKeys(keys, activeKeyId));
}

/*
 * Proto3 JSON of a history. The SDK's historyFromJSON/historyToJSON (@temporalio/common/lib/
 * proto-utils) fail in this install with "type must be a Type": npm gave @temporalio/common and
 * @temporalio/proto separate copies of protobufjs 8.8.1, and protojson checks `instanceof Type`
 * against its own copy. The same conversion is done here with the protojson of the copy that
 * @temporalio/proto's types were built with. The JSON is the standard form (`temporal workflow
 * show --output json`, the Web UI download, the SDK's historyToJSON) and Worker.runReplayHistory
 * receives decoded History objects, so it never needs the SDK's converter.
 */
interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
}
const protoJson = createRequire(require.resolve('@temporalio/proto'))('protobufjs/ext/protojson') as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType(
  'temporal.api.history.v1.History',
);

export function historyToJSON(history: History): unknown {
  return protoJson.toJson(historyType, temporal.api.history.v1.History.fromObject(history));
}

export function historyFromJSON(json: unknown): History {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { events?: unknown }).events)) {
    throw new TypeError('not a workflow history: expected an object with an array of events');
  }
  // Tolerate fields a newer server adds, as the SDK does.
  return protoJson.fromJson(historyType, json, { ignoreUnknownFields: true }) as History;
}

/** Reads a history exported as JSON (`temporal workflow show --output json`, the UI download, or written by writeHistoryFile). */
export function readHistoryFile(file: string): History {
  return historyFromJSON(JSON.parse(fs.readFileSync(file, 'utf8')));
}

export function writeHistoryFile(file: string, history: History): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(historyToJSON(history), null, 1)}\n`);
}

function startedAttributes(
  history: History,
): proto.temporal.api.history.v1.IWorkflowExecutionStartedEventAttributes | undefined {
  return history.events?.[0]?.workflowExecutionStartedEventAttributes ?? undefined;
}

/** The workflow ID recorded in the start event (servers ≥ 1.21), else the fallback (e.g. the file name). */
export function workflowIdOf(history: History, fallback: string): string {
  return startedAttributes(history)?.workflowId || fallback;
}

export function eventTypeName(event: HistoryEvent | undefined): string {
  const name = event?.eventType == null ? undefined : EventType[event.eventType];
  return name ? name.replace(/^EVENT_TYPE_/, '') : 'UNKNOWN';
}

export interface Divergence {
  eventId: number;
  eventType: string;
}

export interface ReplayOutcome {
  workflowId: string;
  reproduces: boolean;
  /** Set when it does not reproduce. */
  error?: { name: string; message: string; nondeterminism: boolean };
  /** The recorded event the current code disagreed with, when the error names it. */
  divergedAt?: Divergence;
}

/**
 * The event a nondeterminism error names. Core words it in several ways depending on the kind of
 * mismatch ("… HistoryEvent(id: 5, …)", "… event id 5 …", "… event_id: 5 …").
 */
export function divergenceOf(message: string, history: History): Divergence | undefined {
  const match =
    /HistoryEvent\(id: (\d+)/.exec(message) ?? /event[ _]id:? (\d+)/i.exec(message) ?? /\bevent (\d+)\b/i.exec(message);
  if (!match) return undefined;
  const eventId = Number(match[1]);
  const event = history.events?.find((e) => Number(e.eventId) === eventId);
  return { eventId, eventType: eventTypeName(event) };
}

export interface ReplayCode {
  /** A prebuilt bundle (CI: the run's bundle; production: dist/workflow-bundle.js). */
  workflowBundle?: ReplayWorkerOptions['workflowBundle'];
  /** Else the workflows module, bundled on the spot. */
  workflowsPath?: string;
  dataConverter?: DataConverter;
}

function replayOptions(code: ReplayCode, replayName: string): ReplayWorkerOptions {
  if (!code.workflowBundle && !code.workflowsPath)
    throw new Error('replay needs a workflow bundle or a workflows path');
  return {
    replayName,
    ...(code.workflowBundle ? { workflowBundle: code.workflowBundle } : { workflowsPath: code.workflowsPath }),
    ...(code.dataConverter ? { dataConverter: code.dataConverter } : {}),
  };
}

function outcomeOf(workflowId: string, history: History, error: unknown): ReplayOutcome {
  if (error === undefined) return { workflowId, reproduces: true };
  const err = error instanceof Error ? error : new Error(typeof error === 'string' ? error : JSON.stringify(error));
  const nondeterminism = err instanceof DeterminismViolationError;
  return {
    workflowId,
    reproduces: false,
    error: { name: err.name, message: err.message, nondeterminism },
    divergedAt: divergenceOf(err.message, history),
  };
}

/** Replays one history; never throws for a replay failure, it reports it. */
export async function replayHistory(code: ReplayCode, history: History, workflowId: string): Promise<ReplayOutcome> {
  try {
    await Worker.runReplayHistory(replayOptions(code, 'replay'), history, workflowId);
    return outcomeOf(workflowId, history, undefined);
  } catch (err) {
    return outcomeOf(workflowId, history, err);
  }
}

/** Replays many histories in one replay worker (one bundle load), in order. */
export async function replayHistories(
  code: ReplayCode,
  histories: Array<{ workflowId: string; history: History; label?: string }>,
): Promise<Array<ReplayOutcome & { label: string }>> {
  const results: Array<ReplayOutcome & { label: string }> = [];
  let i = 0;
  for await (const result of Worker.runReplayHistories(replayOptions(code, 'replay-ci'), histories)) {
    const entry = histories[i++];
    results.push({
      ...outcomeOf(result.workflowId, entry.history, result.error),
      label: entry.label ?? entry.workflowId,
    });
  }
  return results;
}

// ---- What an auditor sees: the decisions recorded in a history ----

export interface DecisionSummary {
  workflowType: string;
  events: number;
  startedAt?: string;
  closedAs?: string;
  /** One line per recorded decision point, in history order. */
  lines: string[];
  /** Activity type → times scheduled. */
  activities: Record<string, number>;
}

/** Result fields that say what happened without saying to whom. */
const SAFE_FIELDS = [
  'status',
  'stage',
  'outcome',
  'outcomeReason',
  'waitingOn',
  'result',
  'step',
  'accepted',
  'duplicate',
  'vote',
];

function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'no value';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (typeof value === 'string') return /^[a-z_.]{1,40}$/.test(value) ? value : `text (${value.length} chars)`;
  if (Array.isArray(value)) return `list of ${value.length}`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const shown = SAFE_FIELDS.filter(
      (k) => ['string', 'number', 'boolean'].includes(typeof record[k]) || record[k] === null,
    ).map((k) => `${k}=${String(record[k])}`);
    const rest = Object.keys(record).length - shown.length;
    return `{${[...shown, ...(rest > 0 ? [`+${rest} fields`] : [])].join(', ')}}`;
  }
  return typeof value;
}

async function decodePayload(
  converter: DataConverter | undefined,
  payload: Payload | null | undefined,
): Promise<unknown> {
  if (!payload) return undefined;
  let decoded: Payload[] = [payload];
  for (const codec of [...(converter?.payloadCodecs ?? [])].reverse()) decoded = await codec.decode(decoded);
  try {
    return defaultPayloadConverter.fromPayload(decoded[0]);
  } catch {
    return '(undecodable payload)';
  }
}

/** An event's time; `seconds` is a Long from the server and a number from JSON. */
function isoOf(event: HistoryEvent): string {
  const t = event.eventTime;
  if (!t || t.seconds == null) return '?';
  return new Date(Number(String(t.seconds)) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString();
}

/**
 * Lists the decision points of a history: Updates accepted (name and a redacted result),
 * signals received (name), timers fired (with their summary), children started, how the run
 * closed. Payloads are decoded with the converter only to pick whitelisted status fields.
 */
export async function summarizeHistory(history: History, converter?: DataConverter): Promise<DecisionSummary> {
  const events = history.events ?? [];
  const started = startedAttributes(history);
  const summary: DecisionSummary = {
    workflowType: started?.workflowType?.name ?? 'unknown',
    events: events.length,
    startedAt: events[0] ? isoOf(events[0]) : undefined,
    lines: [],
    activities: {},
  };
  const updates = new Map<string, string>();
  const timers = new Map<string, string>();
  for (const event of events) {
    const id = `#${String(event.eventId)}`;
    const type = event.eventType;
    if (type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) {
      const a = event.workflowExecutionUpdateAcceptedEventAttributes;
      const name = a?.acceptedRequest?.input?.name ?? '?';
      if (a?.protocolInstanceId) updates.set(a.protocolInstanceId, name);
      summary.lines.push(`${id} update "${name}" accepted (${isoOf(event)})`);
    } else if (type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED) {
      const a = event.workflowExecutionUpdateCompletedEventAttributes;
      const name = updates.get(a?.meta?.updateId ?? '') ?? '?';
      if (a?.outcome?.failure) {
        summary.lines.push(
          `${id} update "${name}" failed: ${a.outcome.failure.applicationFailureInfo?.type ?? 'error'}`,
        );
      } else {
        const value = await decodePayload(converter, a?.outcome?.success?.payloads?.[0]);
        summary.lines.push(`${id} update "${name}" completed → ${describeValue(value)}`);
      }
    } else if (type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) {
      summary.lines.push(
        `${id} signal "${event.workflowExecutionSignaledEventAttributes?.signalName ?? '?'}" received (${isoOf(event)})`,
      );
    } else if (type === EventType.EVENT_TYPE_TIMER_STARTED) {
      const timerId = event.timerStartedEventAttributes?.timerId ?? '?';
      const text = await decodePayload(converter, event.userMetadata?.summary);
      timers.set(timerId, typeof text === 'string' ? text : '');
    } else if (type === EventType.EVENT_TYPE_TIMER_FIRED) {
      const timerId = event.timerFiredEventAttributes?.timerId ?? '?';
      const text = timers.get(timerId);
      summary.lines.push(`${id} timer ${timerId} fired at ${isoOf(event)}${text ? ` — ${text}` : ''}`);
    } else if (type === EventType.EVENT_TYPE_TIMER_CANCELED) {
      const timerId = event.timerCanceledEventAttributes?.timerId ?? '?';
      const text = timers.get(timerId);
      summary.lines.push(`${id} timer ${timerId} cancelled${text ? ` — ${text}` : ''}`);
    } else if (type === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
      const name = event.activityTaskScheduledEventAttributes?.activityType?.name ?? '?';
      summary.activities[name] = (summary.activities[name] ?? 0) + 1;
    } else if (type === EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED) {
      summary.lines.push(
        `${id} child workflow ${event.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name ?? '?'} started`,
      );
    } else if (type === EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED) {
      summary.lines.push(
        `${id} signal "${event.signalExternalWorkflowExecutionInitiatedEventAttributes?.signalName ?? '?'}" sent to another workflow`,
      );
    } else if (type === EventType.EVENT_TYPE_MARKER_RECORDED) {
      const a = event.markerRecordedEventAttributes;
      // patched()/deprecatePatch() record a core_patch marker whose data names the patch.
      let patch = '';
      if (a?.markerName === 'core_patch') {
        const data = await decodePayload(converter, a.details?.['patch-data']?.payloads?.[0]);
        if (data && typeof data === 'object' && typeof (data as { id?: unknown }).id === 'string')
          patch = ` (patch "${(data as { id: string }).id}")`;
      }
      summary.lines.push(`${id} marker ${a?.markerName ?? '?'}${patch}`);
    } else if (
      type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED ||
      type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED ||
      type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW ||
      type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED ||
      type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED ||
      type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT
    ) {
      summary.closedAs = eventTypeName(event).replace(/^WORKFLOW_EXECUTION_/, '');
      let result = '';
      if (type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED) {
        result = ` → ${describeValue(await decodePayload(converter, event.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0]))}`;
      }
      summary.lines.push(`${id} run ${summary.closedAs.toLowerCase().replace(/_/g, ' ')}${result} (${isoOf(event)})`);
    }
  }
  return summary;
}
