/**
 * What a value of each published parameter must look like, so a proposal is checked before a
 * second supervisor is asked to approve it: decimal strings for amounts and rates (never binary
 * numbers), integers for months, ages and counts, the divisor table's shape, the options of the
 * enumerated settings. Pure and deterministic.
 */
import { dec } from './money';
import { assertDivisorTable } from './pension';
import { PARAMETER_NAMES as P } from './parameters';
import { RISK_PARAMETER_NAMES as R } from './risk';
import { RISK_REGISTER_PARAMETER, riskRegisterProblem } from './risk-register';

type Kind =
  | { kind: 'amount' }
  | { kind: 'fraction' }
  | { kind: 'ratio' }
  | { kind: 'integer'; min: number; max: number; allowed?: readonly number[] }
  | { kind: 'option'; options: readonly string[] }
  | { kind: 'divisorTable' }
  | { kind: 'riskRegister' };

/** Every parameter the rules read, with the shape of its value. */
export const PARAMETER_KINDS: Readonly<Record<string, Kind>> = {
  [P.divisorTable]: { kind: 'divisorTable' },
  [P.divisorMethod]: { kind: 'option', options: ['interpolate-1dp', 'floor'] },
  [P.baseWage]: { kind: 'amount' },
  [P.transitionalCoefficient]: { kind: 'fraction' },
  [P.yearsRounding]: { kind: 'option', options: ['half-up', 'down'] },
  [P.contributionRate]: { kind: 'fraction' },
  [P.accountCreditRate]: { kind: 'fraction' },
  [P.pooledRate]: { kind: 'fraction' },
  [P.baseMinRatio]: { kind: 'ratio' },
  [P.baseMaxRatio]: { kind: 'ratio' },
  [P.averageWage]: { kind: 'amount' },
  [P.baseFloor]: { kind: 'amount' },
  [P.baseCeiling]: { kind: 'amount' },
  [P.interestRate]: { kind: 'fraction' },
  [P.femaleFlexibleOriginalAge]: { kind: 'integer', min: 50, max: 55, allowed: [50, 55] },
  [P.minimumContributionMonths]: { kind: 'integer', min: 1, max: 600 },
  [R.deemedMonthsThreshold]: { kind: 'integer', min: 0, max: 1200 },
  [R.backPaidMonthsThreshold]: { kind: 'integer', min: 0, max: 1200 },
  [R.amountBandMinRatio]: { kind: 'ratio' },
  [R.amountBandMaxRatio]: { kind: 'ratio' },
  [R.collectiveQuorum]: { kind: 'integer', min: 1, max: 15 },
  [RISK_REGISTER_PARAMETER]: { kind: 'riskRegister' },
};

const DECIMAL = /^\d{1,12}(\.\d{1,8})?$/;

/**
 * Checks a proposed value; returns a Chinese message naming what is wrong, or undefined when it
 * is valid for the parameter.
 */
export function parameterValueProblem(name: string, value: unknown): string | undefined {
  const k = PARAMETER_KINDS[name];
  if (!k) return `未知参数 ${name}`;
  switch (k.kind) {
    case 'amount':
    case 'ratio':
    case 'fraction': {
      if (typeof value !== 'string' || !DECIMAL.test(value))
        return `${name} 的值须为十进制数字字符串（如 "7542" 或 "0.0262"），不能是数字类型`;
      const d = dec(value);
      if (k.kind === 'amount' && d.lte(0)) return `${name} 的值须大于0`;
      if (k.kind === 'fraction' && d.gte(1)) return `${name} 的值须为小于1的小数（如 2.62% 写作 "0.0262"）`;
      if (k.kind === 'ratio' && (d.lte(0) || d.gt(10))) return `${name} 的值须在0到10之间`;
      return undefined;
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < k.min || value > k.max)
        return `${name} 的值须为 ${k.min} 到 ${k.max} 之间的整数`;
      if (k.allowed && !k.allowed.includes(value)) return `${name} 的值只能是 ${k.allowed.join(' 或 ')}`;
      return undefined;
    case 'option':
      return typeof value === 'string' && k.options.includes(value)
        ? undefined
        : `${name} 的值只能是 ${k.options.join(' / ')}`;
    case 'riskRegister':
      return riskRegisterProblem(value);
    case 'divisorTable':
      try {
        assertDivisorTable(value);
        return undefined;
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
  }
}
