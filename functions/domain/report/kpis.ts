/**
 * The report's rates (docs/kpis.md), computed from the report counters (tally.ts) of any scope — a row, an agency, a
 * region, a range of months — so the same formulas serve the monthly report's columns and `GET /v1/reports/kpis`.
 * Pure: the three survey rates' definitions and weights and the minimum sample come in as data (config/kpis.json).
 *
 * | rate | formula (counters) |
 * |---|---|
 * | firstDispatchAccuracy 一次派准率 | firstDispatchKept ÷ firstDispatched |
 * | returnRate 退单率 | returned ÷ dispatches |
 * | disputeUpholdRate 异议成立率 | disputesUpheld ÷ disputesDecided |
 * | signedOnTimeRate 按时签收率 | signedOnTime ÷ signed |
 * | repliedOnTimeRate 按时办结率 | repliedOnTime ÷ replied |
 * | responseRate 响应率, resolutionRate 解决率, satisfactionRate 满意率 | Σ weight × answers ÷ Σ answers, over the outcomes the rate weighs |
 *
 * Every rate carries its sample (the denominator); below `minimumSample` its value is hidden (null).
 */
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { Counts, Metric } from './tally.js';

/** The survey outcomes each of the three rates may weigh. */
export const SURVEY_OUTCOMES = {
  response: ['contacted', 'notContacted'],
  resolution: ['resolved', 'unresolved'],
  satisfaction: ['satisfied', 'basicallySatisfied', 'dissatisfied'],
} as const satisfies Record<string, readonly Metric[]>;
export type SurveyRate = keyof typeof SURVEY_OUTCOMES;

export interface WeightedRate {
  label: string;
  weights: Partial<Record<Metric, number>>;
}

export interface KpiRules {
  minimumSample: number;
  rates: Record<SurveyRate, WeightedRate>;
}

export const KPI_NAMES = [
  'firstDispatchAccuracy',
  'returnRate',
  'disputeUpholdRate',
  'signedOnTimeRate',
  'repliedOnTimeRate',
  'responseRate',
  'resolutionRate',
  'satisfactionRate',
] as const;
export type KpiName = (typeof KPI_NAMES)[number];

export const KPI_LABELS: Record<KpiName, string> = {
  firstDispatchAccuracy: '一次派准率',
  returnRate: '退单率',
  disputeUpholdRate: '异议成立率',
  signedOnTimeRate: '按时签收率',
  repliedOnTimeRate: '按时办结率',
  responseRate: '响应率',
  resolutionRate: '解决率',
  satisfactionRate: '满意率',
};

export interface KpiValue {
  /** The share, 0–1 rounded to 0.001; null when the sample is empty or below the minimum. */
  value: number | null;
  /** The denominator. */
  sample: number;
  /** True when the sample is below the minimum (the value is withheld, not zero). */
  hidden: boolean;
}

const SURVEY_KPI: Record<SurveyRate, KpiName> = { response: 'responseRate', resolution: 'resolutionRate', satisfaction: 'satisfactionRate' };

/** Numerator and denominator of each rate from counters. */
export function kpiFractions(c: Counts, rules: KpiRules): Record<KpiName, { num: number; den: number }> {
  const n = (m: Metric) => c[m] ?? 0;
  const out = {
    firstDispatchAccuracy: { num: n('firstDispatchKept'), den: n('firstDispatched') },
    returnRate: { num: n('returned'), den: n('dispatches') },
    disputeUpholdRate: { num: n('disputesUpheld'), den: n('disputesDecided') },
    signedOnTimeRate: { num: n('signedOnTime'), den: n('signed') },
    repliedOnTimeRate: { num: n('repliedOnTime'), den: n('replied') },
  } as Record<KpiName, { num: number; den: number }>;
  for (const rate of Object.keys(SURVEY_OUTCOMES) as SurveyRate[]) {
    let num = 0;
    let den = 0;
    for (const [m, w] of Object.entries(rules.rates[rate].weights) as [Metric, number][]) {
      num += w * n(m);
      den += n(m);
    }
    out[SURVEY_KPI[rate]] = { num, den };
  }
  return out;
}

export const rate = (num: number, den: number): number => Math.round((num / den) * 1000) / 1000;

/** Every rate of counters `c`, with its sample, hidden below the minimum. */
export function kpisOf(c: Counts, rules: KpiRules): Record<KpiName, KpiValue> {
  const f = kpiFractions(c, rules);
  return Object.fromEntries(
    KPI_NAMES.map((k) => {
      const { num, den } = f[k];
      const hidden = den < rules.minimumSample;
      return [k, { value: den > 0 && !hidden ? rate(num, den) : null, sample: den, hidden }];
    }),
  ) as Record<KpiName, KpiValue>;
}

// ---- the file: validated with zod in the tests and at cdk synth, built without zod at run time ----

const Weight = /* @__PURE__ */ (() => z.number().min(0).max(1))();
const Rate = /* @__PURE__ */ <K extends readonly [string, ...string[]]>(outcomes: K) =>
  z.strictObject({
    label: z.string().min(1).max(20),
    weights: z.partialRecord(z.enum(outcomes), Weight).refine((w) => Object.keys(w).length > 0, { message: `weigh at least one of ${outcomes.join(', ')}` }),
  });
const KpiFile = /* @__PURE__ */ (() =>
  z.strictObject({
    $comment: z.union([z.string(), z.array(z.string())]).optional(),
    minimumSample: z.int().min(1).max(100_000),
    rates: z.strictObject({
      response: Rate(SURVEY_OUTCOMES.response),
      resolution: Rate(SURVEY_OUTCOMES.resolution),
      satisfaction: Rate(SURVEY_OUTCOMES.satisfaction),
    }),
  }))();

/** Validates config/kpis.json; throws ConfigError naming the file and every problem's path. */
export function parseKpiRules(data: unknown, file = 'config/kpis.json'): KpiRules {
  const parsed = KpiFile.safeParse(data);
  if (!parsed.success) throw ConfigError.fromZod(file, parsed.error);
  const { $comment: _c, ...rules } = parsed.data;
  return rules as KpiRules;
}

/** The runtime build of a validated file, without zod (a test checks it equals parseKpiRules's). */
export function kpiRulesFromJson(validated: unknown): KpiRules {
  const { $comment: _c, ...rest } = validated as Record<string, unknown>;
  return structuredClone(rest) as unknown as KpiRules;
}
