/** The working-day calendar: "when will my case be done", and publishing a new year. */
import { Type, type Static } from '@sinclair/typebox';
import { desc } from 'drizzle-orm';
import { createCalendarProvider } from '../../db/calendar-store';
import { calendarVersions } from '../../db/schema';
import { addWorkingDays, isValidDate, workingDaysBetween } from '../../domain/working-days';
import type { App, AppContext } from '../app';
import { badRequest } from '../errors';
import { errorResponses } from '../schemas/common';
import { publishCalendarYear } from '../services/calendar-admin';

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

const YearBody = Type.Object(
  {
    year: Type.Integer({ minimum: 2000, maximum: 2100 }),
    holidays: Type.Array(IsoDate, { maxItems: 60, description: "Every official rest day of the year's holidays" }),
    makeupWorkdays: Type.Array(IsoDate, { maxItems: 20, description: 'Weekend days that are working days (调休上班)' }),
    source: Type.String({
      minLength: 1,
      maxLength: 300,
      description: 'The State Council notice (URL or document number)',
    }),
  },
  { additionalProperties: false },
);

/** Dates the calendar answers for; a deadline counted from beyond them is not a question it takes. */
const FIRST_DATE = '1949-10-01';
const LAST_DATE = '2199-12-31';

function date(value: string, field: string): string {
  if (!isValidDate(value)) throw badRequest('validation.date', `${field}: 不是有效日期`, field);
  if (value < FIRST_DATE || value > LAST_DATE)
    throw badRequest('validation.date_range', `${field}: 须在 ${FIRST_DATE} 至 ${LAST_DATE} 之间`, field);
  return value;
}

export function registerCalendarRoutes(app: App, ctx: AppContext): void {
  const calendar = createCalendarProvider(ctx.db);

  app.get<{ Querystring: { from: string; workingDays: number } }>(
    '/api/v1/calendar/deadline',
    {
      schema: {
        summary: 'The due date N working days after a date of receipt (that day not counted; 0 = the same working day)',
        tags: ['calendar'],
        querystring: Type.Object(
          { from: IsoDate, workingDays: Type.Integer({ minimum: 0, maximum: 366 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ dueDate: Type.String(), calendarVersion: Type.Integer(), provisional: Type.Boolean() }),
          ...errorResponses(400),
        },
      },
    },
    async (request) => {
      const due = addWorkingDays(await calendar.current(), date(request.query.from, 'from'), request.query.workingDays);
      return { dueDate: due.dueDate, calendarVersion: due.calendarVersion, provisional: due.provisional };
    },
  );

  app.get<{ Querystring: { from: string; to: string } }>(
    '/api/v1/calendar/working-days',
    {
      schema: {
        summary: 'Working days d with from < d ≤ to',
        tags: ['calendar'],
        querystring: Type.Object({ from: IsoDate, to: IsoDate }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            workingDays: Type.Integer(),
            calendarVersion: Type.Integer(),
            provisional: Type.Boolean(),
          }),
          ...errorResponses(400),
        },
      },
    },
    async (request) => {
      const cal = await calendar.current();
      const count = workingDaysBetween(cal, date(request.query.from, 'from'), date(request.query.to, 'to'));
      return { workingDays: count.workingDays, calendarVersion: cal.version, provisional: count.provisional };
    },
  );

  app.get(
    '/api/v1/calendar/versions',
    {
      schema: {
        summary: 'Calendar versions, newest first',
        tags: ['calendar'],
        response: {
          200: Type.Array(
            Type.Object({
              version: Type.Integer(),
              firstYear: Type.Integer(),
              lastYear: Type.Integer(),
              source: Type.String(),
              note: Type.Union([Type.String(), Type.Null()]),
              createdAt: Type.String(),
            }),
          ),
        },
      },
    },
    async () =>
      (await ctx.db.select().from(calendarVersions).orderBy(desc(calendarVersions.version))).map((v) => ({
        version: v.version,
        firstYear: v.firstYear,
        lastYear: v.lastYear,
        source: v.source,
        note: v.note,
        createdAt: v.createdAt.toISOString(),
      })),
  );

  app.post<{ Body: Static<typeof YearBody> }>(
    '/api/v1/calendar/years',
    {
      schema: {
        summary:
          "Publish a year's holidays and make-up workdays (the State Council notice); open provisional deadlines are re-projected",
        tags: ['calendar'],
        body: YearBody,
        response: {
          201: Type.Object({
            version: Type.Integer(),
            created: Type.Boolean(),
            firstYear: Type.Integer(),
            lastYear: Type.Integer(),
            reprojected: Type.Array(Type.String()),
          }),
          ...errorResponses(400, 422),
        },
      },
    },
    async (request, reply) => reply.status(201).send(await publishCalendarYear(ctx.db, ctx.temporal, request.body)),
  );
}
