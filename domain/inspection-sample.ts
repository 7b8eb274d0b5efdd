/**
 * The self-inspection sample (自查, R-5): the closed cases of a quarter are split into strata by
 * procedure and risk grade, and each stratum is sampled at its grade's rate (every high-risk
 * case; a share of the others), at least a minimum and at most a maximum per stratum. A case
 * that records no risk grade is graded `unknown` and sampled at its own rate. The order inside a
 * stratum is a hash of the seed (the inspection's ID) and the case ID, so the sample is
 * reproducible by anyone who has the list of cases: an auditor can check it was not picked by hand.
 * Pure and deterministic.
 */

export const SAMPLE_GRADES = ['high', 'medium', 'low', 'unknown'] as const;
export type SampleGrade = (typeof SAMPLE_GRADES)[number];

export interface SamplingPlan {
  /** Share of each grade's cases inspected (0–1). */
  rate: Record<SampleGrade, number>;
  /** At least this many per non-empty stratum (or all, if fewer). */
  minimumPerStratum: number;
  /** At most this many per stratum. */
  maximumPerStratum: number;
}

export const DEFAULT_SAMPLING_PLAN: SamplingPlan = {
  rate: { high: 1, medium: 0.3, low: 0.1, unknown: 0.1 },
  minimumPerStratum: 2,
  maximumPerStratum: 50,
};

/** The plan as an inspection stores it: the plan and how many cases each stratum had and gave. */
export interface StoredSamplingPlan extends SamplingPlan {
  strata: StratumSummary[];
}

export interface SampleCandidate {
  caseId: string;
  procedure: string;
  /** The case's highest risk grade; undefined or null when the case records none. */
  riskGrade?: string | null;
}

export interface Stratum {
  procedure: string;
  riskGrade: SampleGrade;
  population: number;
  sampled: string[];
}

/** A stratum as stored with the plan: its sample counted, not listed. */
export type StratumSummary = Omit<Stratum, 'sampled'> & { sampled: number };

export function gradeOf(grade: string | null | undefined): SampleGrade {
  return grade === 'high' || grade === 'medium' || grade === 'low' ? grade : 'unknown';
}

/** FNV-1a, 32 bits: a stable order, not a secret. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i += 1) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function sampleSize(population: number, grade: SampleGrade, plan: SamplingPlan): number {
  if (population === 0) return 0;
  const wanted = Math.max(plan.minimumPerStratum, Math.ceil(plan.rate[grade] * population));
  return Math.min(population, wanted, plan.maximumPerStratum);
}

/** The strata (procedure × grade, in a stable order) with the cases sampled from each. */
export function drawSample(candidates: readonly SampleCandidate[], plan: SamplingPlan, seed: string): Stratum[] {
  const strata = new Map<string, { procedure: string; riskGrade: SampleGrade; ids: string[] }>();
  for (const c of candidates) {
    const riskGrade = gradeOf(c.riskGrade);
    const key = `${c.procedure}|${riskGrade}`;
    const s = strata.get(key) ?? { procedure: c.procedure, riskGrade, ids: [] };
    s.ids.push(c.caseId);
    strata.set(key, s);
  }
  const gradeRank = (g: SampleGrade) => SAMPLE_GRADES.indexOf(g);
  return [...strata.values()]
    .sort((a, b) => a.procedure.localeCompare(b.procedure) || gradeRank(a.riskGrade) - gradeRank(b.riskGrade))
    .map((s) => {
      const ordered = [...new Set(s.ids)].sort(
        (a, b) => fnv1a(`${seed}:${a}`) - fnv1a(`${seed}:${b}`) || a.localeCompare(b),
      );
      return {
        procedure: s.procedure,
        riskGrade: s.riskGrade,
        population: ordered.length,
        sampled: ordered.slice(0, sampleSize(ordered.length, s.riskGrade, plan)).sort(),
      };
    });
}
