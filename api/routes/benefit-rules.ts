/**
 * Benefit calculators for counter staff: the rules the claim procedure uses (retirement age,
 * minimum contribution years, the monthly pension), with the parameters from the parameter table
 * in force on the day (never literals). Rule input errors answer 400 with the rule's stable code
 * and the request field; a missing parameter row answers 422.
 */
import { Type, type Static } from '@sinclair/typebox';
import { loadParameters, loadParameterSet } from '../../db/parameters-store';
import { summariseProvincialRecord } from '../../domain/contribution-summary';
import { describeMissing, MissingParametersError, ParameterResolver } from '../../domain/parameter-resolver';
import { ParameterLookupError, RuleInputError } from '../../domain/errors';
import {
  formatMonthsChinese,
  minimumContributionMonths,
  minimumYearsTableFromParameters,
} from '../../domain/minimum-years';
import {
  GANSU_REGION,
  PARAMETER_NAMES,
  parameterUse,
  pickParameter,
  type ParameterValue,
} from '../../domain/parameters';
import { computePension, type PensionParameters } from '../../domain/pension';
import { retirementOption, statutoryRetirement } from '../../domain/retirement-age';
import { daysInMonth, isIsoDate } from '../../domain/year-month';
import { chinaDateOf } from '../../domain/working-days';
import type { App, AppContext } from '../app';
import { badRequest, unprocessable } from '../errors';
import { errorResponses, ParameterUsedSchema } from '../schemas/common';

const Region = Type.String({
  pattern: '^[0-9]{2,6}$',
  description: 'Region of the parameters: province (62), city or county code; default 62 (Gansu)',
});
const OnDate = Type.String({ format: 'date', description: 'Date whose parameters apply; default today (China)' });
const Age = Type.Object(
  { years: Type.Integer({ minimum: 0, maximum: 150 }), months: Type.Integer({ minimum: 0, maximum: 1800 }) },
  { additionalProperties: false },
);
const ParameterUseSchema = Type.Object({
  name: Type.String(),
  value: Type.String(),
  source: Type.String(),
  validFrom: Type.Optional(Type.String()),
});

const RetirementQuery = Type.Object(
  {
    birthYearMonth: Type.String({ maxLength: 16, description: 'Birth year-month YYYY-MM' }),
    sex: Type.Union([Type.Literal('male'), Type.Literal('female')]),
    originalAge: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 150,
        description:
          'Original statutory age: 60 (men), 55 or 50 (women); women default to the province parameter retirement.femaleFlexibleOriginalAge',
      }),
    ),
    retireAt: Type.Optional(
      Type.String({ maxLength: 16, description: 'Chosen retirement month YYYY-MM (early, on time or late)' }),
    ),
    contributionMonths: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1800,
        description: 'Contribution months (actual + deemed) at retireAt; checked against the minimum when given',
      }),
    ),
    region: Type.Optional(Region),
    onDate: Type.Optional(OnDate),
  },
  { additionalProperties: false },
);

const PensionBody = Type.Object(
  {
    baseWage: Type.String({ maxLength: 32, description: 'C: 计发基数, CNY per month, e.g. "7594"' }),
    averageIndex: Type.String({ maxLength: 32, description: 'Ī: average contribution index, e.g. "1.2458"' }),
    contributionMonths: Type.Integer({ minimum: 0, maximum: 1800, description: 'N in months, deemed months included' }),
    deemedMonths: Type.Integer({
      minimum: 0,
      maximum: 1800,
      description: 'Deemed months (视同缴费), part of contributionMonths',
    }),
    accountBalance: Type.String({ maxLength: 32, description: 'Individual-account balance at retirement, CNY' }),
    age: Age,
    yearsRounding: Type.Optional(
      Type.Union([Type.Literal('half-up'), Type.Literal('down')], {
        description: "Rounding of the two-decimal years; default the region's dated parameter pension.yearsRounding",
      }),
    ),
    region: Type.Optional(Region),
    onDate: Type.Optional(OnDate),
  },
  { additionalProperties: false },
);

const YearMonth = Type.String({ maxLength: 16, description: 'YYYY-MM' });
const Amount = Type.String({ maxLength: 32, description: 'Decimal string, CNY' });
const SummaryBody = Type.Object(
  {
    region: Type.String({
      pattern: '^[0-9]{2}([0-9]{2}([0-9]{2})?)?$',
      description: 'Agency or province code whose parameters apply (62, 6201, 620102)',
    }),
    asOf: Type.String({
      format: 'date',
      description: 'Date of the summary: records after its month are left out; interest is credited for complete years',
    }),
    records: Type.Array(
      Type.Object(
        { yearMonth: YearMonth, base: Amount, agencyCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })) },
        { additionalProperties: false },
      ),
      { maxItems: 1200, description: 'Monthly records at any agency of the province' },
    ),
    transferredIn: Type.Optional(
      Type.Array(
        Type.Object(
          {
            from: YearMonth,
            to: YearMonth,
            months: Type.Integer({ minimum: 0, maximum: 1200 }),
            accountAmount: Amount,
            monthlyBase: Type.Optional(Amount),
            postedOn: Type.Optional(
              Type.String({
                format: 'date',
                description: 'When the account money arrived; default the last day of `to`',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        {
          maxItems: 100,
          description: 'Periods taken over from other provinces, with the account money that came with them',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

/** Rule fields that differ from the request field they come from. */
const FIELD_OF: Record<string, string> = { year: 'retirementYear' };

/** The request field a summary rule field comes from: transferred[i] → transferredIn[i], transfersIn[i] → transferredIn[i]. */
function summaryField(field: string): string {
  return field
    .replace(/^transferred\[/, 'transferredIn[')
    .replace(/^transfersIn\[(\d+)\]\.amount/, 'transferredIn[$1].accountAmount')
    .replace(/^transfersIn\[/, 'transferredIn[');
}

function ruleError(err: unknown): never {
  if (err instanceof RuleInputError) {
    const field = FIELD_OF[err.field] ?? err.field;
    throw badRequest(err.code, err.message, field);
  }
  if (err instanceof ParameterLookupError) throw unprocessable(err.code, err.message, err.parameterName);
  throw err;
}

export function registerBenefitRuleRoutes(app: App, ctx: AppContext): void {
  const today = () => chinaDateOf(ctx.now().getTime());

  app.get<{ Querystring: Static<typeof RetirementQuery> }>(
    '/api/v1/rules/retirement-age',
    {
      schema: {
        summary:
          'Statutory retirement age and the flexible window (2024 reform); with retireAt, whether that month is permitted',
        tags: ['rules'],
        querystring: RetirementQuery,
        response: {
          200: Type.Object({
            category: Type.String({ examples: ['male-60', 'female-55', 'female-50'] }),
            originalAge: Type.Integer(),
            originalAgeSource: Type.String(),
            statutoryAge: Age,
            delayMonths: Type.Integer(),
            retirementYearMonth: Type.String({ description: 'Month the statutory age is reached' }),
            earliest: Type.String({
              description: 'Earliest flexible early retirement (never before the original age)',
            }),
            latest: Type.String({ description: 'Latest flexible late retirement' }),
            retireAt: Type.Optional(Type.String()),
            kind: Type.Optional(Type.Union([Type.Literal('early'), Type.Literal('on_time'), Type.Literal('late')])),
            permitted: Type.Optional(Type.Boolean()),
            minimumContributionMonths: Type.Optional(
              Type.Integer({
                description:
                  'Minimum of the year that applies: the year retired (early), the statutory year (on time, late)',
              }),
            ),
            minimumYear: Type.Optional(Type.Integer()),
            contributionChecked: Type.Optional(Type.Boolean()),
            reasons: Type.Optional(Type.Array(Type.String())),
          }),
          ...errorResponses(400, 422),
        },
      },
    },
    async (request) => {
      const q = request.query;
      try {
        const region = q.region ?? GANSU_REGION;
        const onDate = q.onDate ?? today();
        const rows = await loadParameters(ctx.db);
        let originalAge = q.originalAge;
        let originalAgeSource = 'request';
        if (originalAge === undefined) {
          if (q.sex === 'male') {
            originalAge = 60;
            originalAgeSource = 'men: 60 (《国务院关于渐进式延迟法定退休年龄的办法》第一条)';
          } else {
            const p = pickParameter(rows, PARAMETER_NAMES.femaleFlexibleOriginalAge, region, onDate);
            originalAge = Number(p.value);
            originalAgeSource = `parameter ${p.name} (${p.region}, from ${p.validFrom}): ${parameterUse(p).source}`;
          }
        }
        const person = { birthYearMonth: q.birthYearMonth, sex: q.sex, originalAge };
        const s = statutoryRetirement(person);
        const base = {
          category: s.category,
          originalAge,
          originalAgeSource,
          statutoryAge: s.statutoryAge,
          delayMonths: s.delayMonths,
          retirementYearMonth: s.retirementYearMonth,
          earliest: s.earliest,
          latest: s.latest,
        };
        if (q.retireAt === undefined) return base;
        const option = retirementOption({
          ...person,
          retireAt: q.retireAt,
          contributionMonths: q.contributionMonths,
          minimumYearsTable: minimumYearsTableFromParameters(rows, region),
        });
        return {
          ...base,
          retireAt: q.retireAt,
          kind: option.kind,
          permitted: option.permitted,
          minimumContributionMonths: option.minimumContributionMonths,
          minimumYear: option.minimumYear,
          contributionChecked: option.contributionChecked,
          reasons: option.reasons,
        };
      } catch (err) {
        return ruleError(err);
      }
    },
  );

  app.get<{ Querystring: { retirementYear: number; region?: string } }>(
    '/api/v1/rules/minimum-years',
    {
      schema: {
        summary:
          'Minimum contribution months for a monthly pension in a year (15 years to 2029, +6 months a year, 20 years from 2039)',
        tags: ['rules'],
        querystring: Type.Object(
          {
            retirementYear: Type.Integer({
              minimum: 1900,
              maximum: 2200,
              description:
                'The year that applies: the year retired (early), the year the statutory age is reached (on time, late)',
            }),
            region: Type.Optional(Region),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            retirementYear: Type.Integer(),
            months: Type.Integer(),
            text: Type.String({ examples: ['15年6个月'] }),
          }),
          ...errorResponses(400, 422),
        },
      },
    },
    async (request) => {
      try {
        const rows = await loadParameters(ctx.db);
        const months = minimumContributionMonths(
          request.query.retirementYear,
          minimumYearsTableFromParameters(rows, request.query.region ?? GANSU_REGION),
        );
        return { retirementYear: request.query.retirementYear, months, text: formatMonthsChinese(months) };
      } catch (err) {
        return ruleError(err);
      }
    },
  );

  app.post<{ Body: Static<typeof PensionBody> }>(
    '/api/v1/rules/pension',
    {
      schema: {
        summary:
          'Monthly pension: basic + individual account + transitional (国发〔2005〕38号, Gansu transitional coefficient)',
        description:
          'The divisor table, the divisor method for ages with months, the transitional coefficient and the default years rounding come from the ' +
          "parameter table for the region on onDate. The 计发基数 is the request's baseWage.",
        tags: ['rules'],
        body: PensionBody,
        response: {
          200: Type.Object({
            basic: Type.String({ examples: ['3055.33'] }),
            account: Type.String({ examples: ['1205.69'] }),
            transitional: Type.String({ examples: ['728.85'] }),
            total: Type.String({ examples: ['4989.87'] }),
            divisor: Type.String({ examples: ['139', '137.3'] }),
            contributionYears: Type.String({ description: 'N as printed (two decimals)' }),
            deemedYears: Type.String(),
            warnings: Type.Array(Type.String()),
            parameters: Type.Array(ParameterUseSchema),
            working: Type.Object({}, { additionalProperties: true }),
          }),
          ...errorResponses(400, 422),
        },
      },
    },
    async (request) => {
      const b = request.body;
      try {
        const rows = await loadParameters(ctx.db);
        const region = b.region ?? GANSU_REGION;
        const onDate = b.onDate ?? today();
        // The request supplies C; everything else is the region's dated parameters.
        const fromTable = pensionTableParameters(rows, region, onDate);
        const r = computePension(
          {
            baseWage: b.baseWage,
            averageIndex: b.averageIndex,
            contributionMonths: b.contributionMonths,
            deemedMonths: b.deemedMonths,
            accountBalance: b.accountBalance,
            age: b.age,
            yearsRounding: b.yearsRounding,
          },
          fromTable,
        );
        return {
          basic: r.basic,
          account: r.account,
          transitional: r.transitional,
          total: r.total,
          divisor: r.divisor,
          contributionYears: r.contributionYears,
          deemedYears: r.deemedYears,
          warnings: r.warnings,
          parameters: r.working.parameters,
          working: r.working as unknown as Record<string, unknown>,
        };
      } catch (err) {
        return ruleError(err);
      }
    },
  );
}

/** POST /api/v1/rules/contribution-summary: the summary the claim and the transfer out use, for black-box checks. */
export function registerContributionSummaryRoute(app: App, ctx: AppContext): void {
  app.post<{ Body: Static<typeof SummaryBody> }>(
    '/api/v1/rules/contribution-summary',
    {
      schema: {
        summary:
          'Months, average index and account balance of a whole provincial record, with every parameter used (published, provisional or missing)',
        description:
          'The rule the benefit claim and the transfer out use (domain/contribution-summary.ts) with the published parameters: local months of any agency, ' +
          'transferred periods (months count; with a monthlyBase they enter Ī), transferred account money posted on postedOn. A year not yet published uses the ' +
          'latest published value and makes the result provisional; a parameter never published answers 422 parameters.missing listing every one.',
        tags: ['rules'],
        body: SummaryBody,
        response: {
          200: Type.Object({
            asOf: Type.String(),
            actualMonths: Type.Integer(),
            localMonths: Type.Integer(),
            transferredMonths: Type.Integer(),
            overlapMonths: Type.Integer(),
            averageIndex: Type.Union([Type.String(), Type.Null()]),
            accountBalance: Type.String(),
            provisional: Type.Boolean(),
            parameterSetVersion: Type.Integer(),
            parametersUsed: Type.Array(ParameterUsedSchema),
            working: Type.Object({}, { additionalProperties: true }),
          }),
          ...errorResponses(400, 422),
        },
      },
    },
    async (request) => {
      const b = request.body;
      const { rows, version } = await loadParameterSet(ctx.db);
      const lastDay = (ym: string) => {
        const [y, m] = ym.split('-').map(Number);
        return isIsoDate(`${ym}-01`) ? `${ym}-${String(daysInMonth(y, m)).padStart(2, '0')}` : `${ym}-01`;
      };
      try {
        const summary = summariseProvincialRecord(
          {
            records: b.records.map((r) => ({ yearMonth: r.yearMonth, base: r.base, agencyCode: r.agencyCode })),
            transferred: (b.transferredIn ?? []).map((t) => ({
              from: t.from,
              to: t.to,
              months: t.months,
              monthlyBase: t.monthlyBase,
            })),
            transfersIn: (b.transferredIn ?? []).map((t) => ({
              amount: t.accountAmount,
              postedOn: t.postedOn ?? lastDay(t.to),
            })),
          },
          { asOf: b.asOf, resolver: new ParameterResolver(rows, b.region) },
        );
        return {
          asOf: summary.asOf,
          actualMonths: summary.actualMonths,
          localMonths: summary.localMonths,
          transferredMonths: summary.transferredMonths,
          overlapMonths: summary.overlapMonths,
          averageIndex: summary.averageIndex,
          accountBalance: summary.accountBalance,
          provisional: summary.provisional,
          parameterSetVersion: version,
          parametersUsed: summary.parametersUsed,
          working: summary.working as unknown as Record<string, unknown>,
        };
      } catch (err) {
        if (err instanceof MissingParametersError) {
          throw unprocessable(
            'parameters.missing',
            `尚未发布计算所需的参数：${err.missing.map(describeMissing).join('；')}`,
            undefined,
            { missing: err.missing },
          );
        }
        if (err instanceof RuleInputError)
          throw badRequest(
            err.code,
            `${summaryField(err.field)}: ${err.message.replace(/^[^:]*: /, '')}`,
            summaryField(err.field),
          );
        throw err;
      }
    },
  );
}

/**
 * The pension parameters in force for a region and date, except the 计发基数 (the calculator takes
 * C from the request). computePension checks each value's shape.
 */
function pensionTableParameters(
  rows: readonly ParameterValue<unknown>[],
  region: string,
  onDate: string,
): PensionParameters {
  const pick = (name: string) => pickParameter(rows, name, region, onDate);
  return {
    divisorTable: pick(PARAMETER_NAMES.divisorTable) as PensionParameters['divisorTable'],
    divisorMethod: pick(PARAMETER_NAMES.divisorMethod) as PensionParameters['divisorMethod'],
    transitionalCoefficient: pick(
      PARAMETER_NAMES.transitionalCoefficient,
    ) as PensionParameters['transitionalCoefficient'],
    yearsRounding: pick(PARAMETER_NAMES.yearsRounding) as PensionParameters['yearsRounding'],
  };
}
