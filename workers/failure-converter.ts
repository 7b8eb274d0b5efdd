/**
 * The failure converter of every client, worker and workflow: a failure's message and stack
 * trace travel in its encoded attributes (a payload, so the encryption codec encrypts them)
 * instead of in the clear. Workflow code gets it through the bundle (`failureConverterPath`),
 * so this module must stay sandbox-safe: it imports nothing but @temporalio/common.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
