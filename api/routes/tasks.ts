/** The staff task inbox: list, claim, release and complete (api/services/tasks.ts, docs/inbox.md). */
import { Type, type Static } from '@sinclair/typebox';
import { createCalendarProvider } from '../../db/calendar-store';
import { TOTAL_CAP } from '../../db/repositories/paging';
import { procedureEnum } from '../../db/schema';
import type { App, AppContext } from '../app';
import { errorResponses } from '../schemas/common';
import { CaseOutcomeSchema } from '../schemas/decisions';
import { idempotencyKeyOf } from '../validation';
import { claim, complete, listInbox, release, type TaskDeps } from '../services/tasks';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const TaskItem = Type.Object(
  {
    taskId: Type.String({ format: 'uuid' }),
    caseId: Type.String(),
    procedure: Type.String(),
    agencyCode: Type.String(),
    step: Type.String({ examples: ['acceptance', 'review', 'collective_review'] }),
    clause: Nullable(Type.String({ description: 'Clause of DB62/T 5079.1—2025 the step follows' })),
    title: Type.String({ description: 'What to do (Chinese)' }),
    role: Type.String({ description: 'Role whose inbox holds the task' }),
    status: Type.Union([
      Type.Literal('open'),
      Type.Literal('claimed'),
      Type.Literal('done'),
      Type.Literal('cancelled'),
    ]),
    assignee: Nullable(Type.String()),
    claimedAt: Nullable(Type.String({ format: 'date-time' })),
    createdAt: Type.String({ format: 'date-time' }),
    dueAt: Nullable(Type.String({ format: 'date-time', description: "The case's statutory due instant" })),
    dueDate: Nullable(Type.String({ format: 'date', description: 'Due date (China time)' })),
    workingDaysRemaining: Nullable(
      Type.Integer({
        description: 'Working days after today up to the due date (0 = due today); negative: working days overdue',
      }),
    ),
    remainingProvisional: Type.Boolean({ description: 'The count reaches beyond the published holiday calendar' }),
    overdue: Type.Boolean(),
    completedAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'TaskItem' },
);

const InboxQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('claimed')])),
    step: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    procedure: Type.Optional(Type.Union(procedureEnum.enumValues.map((p) => Type.Literal(p)))),
    caseId: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    agencyCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
    assignee: Type.Optional(
      Type.Union([Type.Literal('me'), Type.Literal('none')], {
        description: 'me: claimed by the caller; none: unclaimed',
      }),
    ),
    overdue: Type.Optional(Type.Boolean()),
    sort: Type.Union([Type.Literal('dueAt'), Type.Literal('createdAt')], { default: 'dueAt' }),
    order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'asc' }),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    offset: Type.Integer({
      minimum: 0,
      maximum: 1000000,
      default: 0,
      description: 'Rows to skip; prefer `cursor`, which does not read the skipped rows',
    }),
    cursor: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 300,
        description: "The previous page's `nextCursor` (same sort and order): the page after it",
      }),
    ),
  },
  { additionalProperties: false },
);

const TaskParams = Type.Object({ taskId: Type.String({ format: 'uuid', description: 'Task ID' }) });
type TaskParams = Static<typeof TaskParams>;

const CompleteBody = Type.Object(
  {
    result: Type.String({
      minLength: 1,
      maxLength: 40,
      examples: ['accept', 'incomplete', 'approve', 'refuse'],
      description:
        "One of the results the task's step takes: a case step's (see POST /api/v1/cases/{caseId}/decisions), a supervision task's, or `handled` for a failed case",
    }),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
    items: Type.Optional(
      Type.Array(
        Type.Object(
          { code: Type.String({ minLength: 1, maxLength: 40 }), note: Type.Optional(Type.String({ maxLength: 200 })) },
          { additionalProperties: false },
        ),
        {
          maxItems: 20,
        },
      ),
    ),
  },
  { additionalProperties: false },
);

const CompleteResponse = Type.Object({
  task: Type.Ref(TaskItem),
  case: Type.Object({
    caseId: Type.String(),
    status: Type.String(),
    stage: Type.String(),
    waitingOn: Nullable(Type.String()),
    outcome: CaseOutcomeSchema,
  }),
});

export function registerTaskRoutes(app: App, ctx: AppContext): void {
  const deps: TaskDeps = {
    db: ctx.db,
    temporal: ctx.temporal,
    assertions: ctx.assertions,
    now: ctx.now,
    calendar: createCalendarProvider(ctx.db),
  };
  app.addSchema(TaskItem);

  app.get<{ Querystring: Static<typeof InboxQuery> }>(
    '/api/v1/tasks',
    {
      schema: {
        summary: "The caller's task inbox: case steps waiting on a person of their role and agencies",
        tags: ['tasks'],
        querystring: InboxQuery,
        response: {
          200: Type.Object({
            total: Type.Integer({ description: `Tasks matching the filters, counted up to ${TOTAL_CAP}` }),
            totalCapped: Type.Boolean({ description: `More than ${TOTAL_CAP} tasks match (total shows ${TOTAL_CAP})` }),
            nextCursor: Type.Union([Type.String(), Type.Null()], {
              description: 'Pass as `cursor` for the next page; null on the last page',
            }),
            items: Type.Array(Type.Ref(TaskItem)),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => listInbox(deps, request, request.actor!, request.query),
  );

  app.post<{ Params: TaskParams }>(
    '/api/v1/tasks/:taskId/claim',
    {
      schema: {
        summary: 'Claim a task (idempotent for the same user)',
        tags: ['tasks'],
        params: TaskParams,
        response: { 200: Type.Ref(TaskItem), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => claim(deps, request, request.actor!, request.params.taskId),
  );

  app.post<{ Params: TaskParams }>(
    '/api/v1/tasks/:taskId/release',
    {
      schema: {
        summary: 'Release a claimed task (its assignee or a supervisor)',
        tags: ['tasks'],
        params: TaskParams,
        response: { 200: Type.Ref(TaskItem), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => release(deps, request, request.actor!, request.params.taskId),
  );

  app.post<{ Params: TaskParams; Body: Static<typeof CompleteBody> }>(
    '/api/v1/tasks/:taskId/complete',
    {
      schema: {
        summary: "Submit the decision for the task's step (the assignee); the workflow closes the task",
        tags: ['tasks'],
        params: TaskParams,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: CompleteBody,
        response: { 200: CompleteResponse, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) =>
      complete(deps, request, request.actor!, request.params.taskId, request.body, idempotencyKeyOf(request.headers)),
  );
}
