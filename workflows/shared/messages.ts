/**
 * Messages every case workflow understands. Wire names equal the constant names without the
 * suffix, as the Temporal UI and the CLI show them.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaseView, DeadlineExtension, InboundMessageRef, StaffDecision, Supplement } from './types';

/** Returns once the case has done everything it can without outside input (update-with-start). */
export const settleUpdate = defineUpdate<CaseView>('settle');
/** A staff step; the validator refuses a step the case is not waiting for. */
export const decideUpdate = defineUpdate<CaseView, [StaffDecision]>('decide');
/** Materials supplemented after a one-time notice. */
export const supplementUpdate = defineUpdate<CaseView, [Supplement]>('supplement');
/** The one permitted extension of the statutory deadline, with a reason. */
export const extendDeadlineUpdate = defineUpdate<CaseView, [DeadlineExtension]>('extendDeadline');
/** A new calendar year was published: provisional deadlines are re-projected. */
export const calendarPublishedSignal = defineSignal('calendarPublished');
/** Parameters were published: a case waiting on them computes again. */
export const parametersPublishedSignal = defineSignal('parametersPublished');
export const caseViewQuery = defineQuery<CaseView>('caseView');
/** A message from the national transfer platform; the validator refuses one the case does not expect now. */
export const platformMessageUpdate = defineUpdate<CaseView, [InboundMessageRef]>('platformMessage');
