import type { FastifyReply } from 'fastify';
import { getCaseDetail } from '../../db/repositories/cases';
import { settleUpdate } from '../../workflows/shared/messages';
import type { AppContext } from '../app';
import { notFound } from '../errors';
import type { IntakeResult } from '../services/case-intake';

/**
 * Answers a case-creating request with the case as recorded: 201 once the workflow has
 * settled, 202 when it could not be started yet. A replayed Idempotency-Key first waits for
 * the original request's workflow to settle, so both get the same answer.
 */
export async function respondWithCase(ctx: AppContext, reply: FastifyReply, result: IntakeResult) {
  if (result.replayed) {
    await ctx.temporal.workflow
      .getHandle(result.caseId)
      .executeUpdate(settleUpdate)
      .catch(() => undefined);
  }
  const view = await getCaseDetail(ctx.db, result.caseId);
  if (!view) throw notFound('case.not_found', `case ${result.caseId} not found`);
  return reply.status(result.started ? 201 : 202).send(view);
}
