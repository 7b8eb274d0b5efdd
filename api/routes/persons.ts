/** PATCH /api/v1/persons/:personKey — staff correct what the retirement date is computed from (B-7). */
import { Type, type Static } from '@sinclair/typebox';
import { eq } from 'drizzle-orm';
import { loadParameters } from '../../db/parameters-store';
import { liveRelation, scheduleOf } from '../../db/repositories/retirement';
import { persons } from '../../db/schema';
import { RuleInputError } from '../../domain/errors';
import { chinaDateOf, isValidDate } from '../../domain/working-days';
import { retirementWatchId } from '../../workflows/retirement-watch';
import type { App, AppContext } from '../app';
import { badRequest, notFound, unprocessable } from '../errors';
import { errorResponses } from '../schemas/common';
import { requireNonBlank } from '../validation';
import { signalInputsChanged } from '../services/watches';
import { actorOf, caseActor, requirePersonAgency } from '../auth/access';

const Params = Type.Object({
  personKey: Type.String({ pattern: '^P[0-9A-F]{24}$', description: 'Pseudonymous person key (PersonKey)' }),
});
const Body = Type.Object(
  {
    fileBirthDate: Type.Optional(
      Type.Union([
        Type.String({ description: 'YYYY-MM-DD: the birth date the personnel file records; null clears it' }),
        Type.Null(),
      ]),
    ),
    originalRetirementAge: Type.Optional(
      Type.Union([Type.Literal(50), Type.Literal(55), Type.Null()], {
        description: 'Women only: 50 (worker) or 55 (cadre) per the file; null: the province parameter',
      }),
    ),
    reason: Type.String({
      minLength: 1,
      maxLength: 500,
      description: 'Why the file is corrected (e.g. the document checked)',
    }),
  },
  { additionalProperties: false },
);

const PersonFileResponse = Type.Object({
  personKey: Type.String(),
  sex: Type.String(),
  fileBirthDate: Type.Union([Type.String(), Type.Null()]),
  originalRetirementAge: Type.Union([Type.Integer(), Type.Null()]),
  retirement: Type.Object({
    birthDateSource: Type.String({ description: 'file or id_number' }),
    statutoryAge: Type.Object({ years: Type.Integer(), months: Type.Integer() }),
    retirementYearMonth: Type.String(),
    preReviewDate: Type.String({ format: 'date' }),
  }),
  watch: Type.Object({ workflowId: Type.String(), signalled: Type.Boolean() }),
});

export function registerPersonRoutes(app: App, ctx: AppContext, taskQueue: string): void {
  app.patch<{ Params: Static<typeof Params>; Body: Static<typeof Body> }>(
    '/api/v1/persons/:personKey',
    {
      schema: {
        summary:
          "Correct the file birth date or a woman's original retirement age; the retirement watch computes again (B-7)",
        tags: ['benefits'],
        params: Params,
        body: Body,
        response: { 200: PersonFileResponse, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const body = request.body;
      const reason = requireNonBlank(body.reason, 'reason');
      if (body.fileBirthDate === undefined && body.originalRetirementAge === undefined) {
        throw badRequest(
          'validation.nothing_to_change',
          'fileBirthDate 或 originalRetirementAge 至少填写一项',
          'fileBirthDate',
        );
      }
      const today = chinaDateOf(ctx.now().getTime());
      if (typeof body.fileBirthDate === 'string') {
        if (!isValidDate(body.fileBirthDate))
          throw badRequest('validation.date', 'fileBirthDate: 日期格式应为 YYYY-MM-DD', 'fileBirthDate');
        if (body.fileBirthDate > today || body.fileBirthDate < '1900-01-01')
          throw badRequest('validation.date_out_of_range', 'fileBirthDate: 出生日期不合理', 'fileBirthDate');
      }
      const { personKey } = request.params;
      const [person] = await ctx.db.select().from(persons).where(eq(persons.personKey, personKey));
      if (!person) throw notFound('person.not_found', `person ${personKey} not found`);
      await requirePersonAgency(ctx.db, request, personKey);
      if (typeof body.originalRetirementAge === 'number' && person.sex !== 'female') {
        throw unprocessable(
          'person.original_age_women_only',
          '原法定退休年龄（50或55周岁）只适用于女性',
          'originalRetirementAge',
        );
      }
      const changes = {
        ...(body.fileBirthDate !== undefined ? { fileBirthDate: body.fileBirthDate } : {}),
        ...(body.originalRetirementAge !== undefined ? { originalRetirementAge: body.originalRetirementAge } : {}),
      };
      // The rules must accept the corrected file before it is stored.
      let schedule;
      try {
        schedule = scheduleOf(
          { ...person, ...changes },
          (await liveRelation(ctx.db, person.id))?.agencyCode,
          await loadParameters(ctx.db),
          today,
        );
      } catch (err) {
        if (err instanceof RuleInputError)
          throw unprocessable(`person.${err.code.toLowerCase()}`, err.message, 'fileBirthDate');
        throw err;
      }
      const [updated] = await ctx.db
        .update(persons)
        .set({ ...changes, updatedAt: new Date() })
        .where(eq(persons.id, person.id))
        .returning();
      const actor = caseActor(actorOf(request));
      let signalled = true;
      try {
        // No watch running: the person's pre-review date is noted instead (the reconciler arms it).
        const done = await signalInputsChanged(
          { client: ctx.temporal, db: ctx.db, taskQueue, nowMs: ctx.now().getTime() },
          personKey,
          { reason: 'file_corrected', fields: Object.keys(changes), actor, note: reason },
          { signer: ctx.assertions, by: { ...actor, agencies: actorOf(request).agencies } },
        );
        signalled = done === 'signalled';
      } catch (err) {
        // The correction is stored; the watch plans again from it when it next wakes.
        signalled = false;
        request.log.warn(
          { personKey, err: err instanceof Error ? err.message : String(err) },
          'retirement watch not signalled',
        );
      }
      return {
        personKey,
        sex: updated.sex,
        fileBirthDate: updated.fileBirthDate,
        originalRetirementAge: updated.originalRetirementAge,
        retirement: {
          birthDateSource: schedule.birthDateSource,
          statutoryAge: schedule.statutory.statutoryAge,
          retirementYearMonth: schedule.statutory.retirementYearMonth,
          preReviewDate: schedule.preReviewDate,
        },
        watch: { workflowId: retirementWatchId(personKey), signalled },
      };
    },
  );
}
