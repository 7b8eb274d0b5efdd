/**
 * The custom search attributes every case workflow keeps current, so operations staff can
 * find stuck and overdue cases in the Temporal Web UI. None of them carries personal data:
 * the person appears only as the pseudonymous PersonKey.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const saProcedure = defineSearchAttributeKey('CaseProcedure', SearchAttributeType.KEYWORD);
export const saCaseStatus = defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD);
export const saCaseStage = defineSearchAttributeKey('CaseStage', SearchAttributeType.KEYWORD);
export const saAgencyCode = defineSearchAttributeKey('AgencyCode', SearchAttributeType.KEYWORD);
export const saDueAt = defineSearchAttributeKey('DueAt', SearchAttributeType.DATETIME);
export const saOverdue = defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL);
export const saPersonKey = defineSearchAttributeKey('PersonKey', SearchAttributeType.KEYWORD);
export const saWaitingOn = defineSearchAttributeKey('WaitingOn', SearchAttributeType.KEYWORD);
export const saClockState = defineSearchAttributeKey('ClockState', SearchAttributeType.KEYWORD);
export const saDeadlineProvisional = defineSearchAttributeKey('DeadlineProvisional', SearchAttributeType.BOOL);
export const saCaseOutcome = defineSearchAttributeKey('CaseOutcome', SearchAttributeType.KEYWORD);
export const saCounterpartAgency = defineSearchAttributeKey('CounterpartAgency', SearchAttributeType.KEYWORD);
/** Since when the case waits on `WaitingOn` (e.g. the other province). */
export const saWaitingSince = defineSearchAttributeKey('WaitingSince', SearchAttributeType.DATETIME);
/** When the other province's reply is due (cross-province transfers). */
export const saCounterpartDueAt = defineSearchAttributeKey('CounterpartDueAt', SearchAttributeType.DATETIME);
export const saCounterpartOverdue = defineSearchAttributeKey('CounterpartOverdue', SearchAttributeType.BOOL);
/** The highest grade of the risk points the case touched (high, medium, low; none before any). */
export const saRiskGrade = defineSearchAttributeKey('RiskGrade', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [
  saProcedure,
  saCaseStatus,
  saCaseStage,
  saAgencyCode,
  saDueAt,
  saOverdue,
  saPersonKey,
  saWaitingOn,
  saClockState,
  saDeadlineProvisional,
  saCaseOutcome,
  saCounterpartAgency,
  saWaitingSince,
  saCounterpartDueAt,
  saRiskGrade,
  saCounterpartOverdue,
] as const;
