import { ApplicationFailure } from '@temporalio/workflow';

/** Refuses a message with a stable error type the API maps to an HTTP status. */
export function refuse(type: string, message: string, field?: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true, details: field ? [{ field }] : [] });
}
