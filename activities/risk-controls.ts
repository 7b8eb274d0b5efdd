/**
 * Risk control in every procedure (section 10; R-2..R-4): the risk points a case touches,
 * graded by the published risk register (case_risk_points, the highest grade back to the
 * workflow, which sends high-risk business to collective review), and the data comparisons
 * (数据比对, 10.2.2) with the government systems — the death registry, and the national
 * platform's register of insured people in other provinces. Workflows pass case IDs only; ID
 * numbers are read here and never returned.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { and, eq, sql } from 'drizzle-orm';
import type { GovernmentSystems } from '../adapters/government/types';
import type { TransferPlatform } from '../adapters/transfer-platform/platform';
import type { Db } from '../db/client';
import { loadParameters } from '../db/parameters-store';
import { caseRiskPoints, cases, contributionRecords, persons } from '../db/schema';
import { ParameterResolver, type AwaitingParameters } from '../domain/parameter-resolver';
import { RISK_PARAMETER_NAMES } from '../domain/risk';
import { highestGrade, RISK_REGISTER_PARAMETER, type RiskGrade, type RiskPoint } from '../domain/risk-register';

export interface RiskControlDeps {
  db: Db;
  government: GovernmentSystems;
  platform: TransferPlatform;
}

/** A point a case touched, with the grade the register gives it. */
export interface TouchedRiskPoint {
  key: string;
  grade: RiskGrade;
  description: string;
}

async function personOf(db: Db, caseId: string) {
  const [row] = await db
    .select({ idNumber: persons.idNumber, agencyCode: cases.agencyCode })
    .from(cases)
    .innerJoin(persons, eq(persons.id, cases.personId))
    .where(eq(cases.id, caseId));
  if (!row) throw ApplicationFailure.nonRetryable(`case ${caseId} does not exist`, 'case.not_found');
  return row;
}

export function createRiskControlActivities({ db, government, platform }: RiskControlDeps) {
  return {
    /**
     * Records the risk points a case touched, graded by the register in force for its agency
     * (a point the register does not list is graded medium and said so), idempotently; returns
     * every point the case has touched so far and the highest grade.
     */
    async touchRiskPoints(input: {
      caseId: string;
      points: Array<{ key: string; detail?: Record<string, unknown> }>;
      touchedAt: string;
    }): Promise<{ touched: TouchedRiskPoint[]; highest: RiskGrade | null; quorum: number } | AwaitingParameters> {
      const [c] = await db.select({ agencyCode: cases.agencyCode }).from(cases).where(eq(cases.id, input.caseId));
      if (!c) throw ApplicationFailure.nonRetryable(`case ${input.caseId} does not exist`, 'case.not_found');
      const onDate = input.touchedAt.slice(0, 10);
      // No register or quorum in force for the agency (a region nobody published one for): the
      // case waits visibly for a supervisor to publish them, never retrying without end.
      const resolver = new ParameterResolver(await loadParameters(db), c.agencyCode);
      const row = resolver.onDate<RiskPoint[]>(RISK_REGISTER_PARAMETER, onDate);
      const quorumRow = resolver.onDate(RISK_PARAMETER_NAMES.collectiveQuorum, onDate);
      if (!row || !quorumRow) return { awaitingParameters: resolver.missing };
      const quorum = Number(quorumRow.value);
      const register = row.value;
      if (input.points.length > 0) {
        await db
          .insert(caseRiskPoints)
          .values(
            input.points.map((p) => {
              const known = register.find((r) => r.key === p.key);
              return {
                caseId: input.caseId,
                key: p.key,
                grade: known?.grade ?? 'medium',
                description: known?.description ?? `风险评估清单未列明的风险点（按中风险处理）：${p.key}`,
                registerVersion: row.version ?? 1,
                detail: p.detail ?? {},
                touchedAt: new Date(input.touchedAt),
              };
            }),
          )
          .onConflictDoNothing();
      }
      const all = await db
        .select({ key: caseRiskPoints.key, grade: caseRiskPoints.grade, description: caseRiskPoints.description })
        .from(caseRiskPoints)
        .where(eq(caseRiskPoints.caseId, input.caseId))
        .orderBy(sql`${caseRiskPoints.touchedAt}, ${caseRiskPoints.key}`);
      const touched = all.map((p) => ({ key: p.key, grade: p.grade as RiskGrade, description: p.description }));
      return { touched, highest: highestGrade(touched.map((p) => p.grade)) ?? null, quorum };
    },

    /** The last month the case's person paid at the case's agency ('YYYY-MM'), or null. */
    async lastContributionMonth(input: { caseId: string }): Promise<{ yearMonth: string | null }> {
      const [c] = await db
        .select({ personId: cases.personId, agencyCode: cases.agencyCode })
        .from(cases)
        .where(eq(cases.id, input.caseId));
      if (!c) throw ApplicationFailure.nonRetryable(`case ${input.caseId} does not exist`, 'case.not_found');
      const [row] = await db
        .select({ month: sql<string | null>`max(${contributionRecords.yearMonth})` })
        .from(contributionRecords)
        .where(and(eq(contributionRecords.personId, c.personId), eq(contributionRecords.agencyCode, c.agencyCode)));
      return { yearMonth: row?.month ?? null };
    },

    /** Data comparison with the death registry for the case's person (10.2.2). */
    async compareDeathRegistry(input: { caseId: string }): Promise<{ deceased: boolean; dateOfDeath: string | null }> {
      const person = await personOf(db, input.caseId);
      const [record] = await government.deathRegistry.check([person.idNumber]);
      return { deceased: Boolean(record?.deceased), dateOfDeath: record?.dateOfDeath ?? null };
    },

    /**
     * Data comparison with the national platform: live relations of the case's person in other
     * provinces (duplicate enrollment, E-7 c).
     */
    async compareInsuredElsewhere(input: {
      caseId: string;
    }): Promise<
      Array<{ agencyCode: string; provinceCode: string; status: 'contributing' | 'interrupted' | 'receiving' }>
    > {
      const person = await personOf(db, input.caseId);
      const found = await platform.insuredElsewhere({
        idNumber: person.idNumber,
        exceptProvince: person.agencyCode.slice(0, 2),
      });
      return found.map((r) => ({ agencyCode: r.agencyCode, provinceCode: r.agencyCode.slice(0, 2), status: r.status }));
    },
  };
}
