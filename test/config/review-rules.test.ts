/**
 * The three files of issue #11 (config/merge-rules.json, config/dispute-policy.json, config/kpis.json): the runtime
 * builds (no zod) equal the validated ones, and a bad edit fails with the file and the path of every problem.
 */
import { describe, expect, it } from 'vitest';
import mergeFile from '../../config/merge-rules.json' with { type: 'json' };
import disputeFile from '../../config/dispute-policy.json' with { type: 'json' };
import kpiFile from '../../config/kpis.json' with { type: 'json' };
import { disputePolicy } from '../../functions/config/dispute-policy.js';
import { kpiRules } from '../../functions/config/kpis.js';
import { mergeRules } from '../../functions/config/merge-rules.js';
import { DEPLOYED_CONFIG, validateConfigFiles } from '../../functions/config/validate.js';
import { ConfigError } from '../../functions/domain/errors.js';
import { parseDisputePolicy } from '../../functions/domain/lifecycle/dispute-policy.js';
import { parseMergeRules } from '../../functions/domain/merge/merge-rules.js';
import { kpisOf, parseKpiRules } from '../../functions/domain/report/kpis.js';

const problemsOf = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('merge rules, dispute policy and rate definitions', () => {
  it('builds at run time exactly what validation accepts', () => {
    expect(mergeRules).toEqual(parseMergeRules(mergeFile));
    expect(disputePolicy).toEqual(parseDisputePolicy(disputeFile));
    expect(kpiRules).toEqual(parseKpiRules(kpiFile));
    expect(disputePolicy).toEqual({ decideBy: { unit: 'workingDays', amount: 1 }, clockDuringDispute: 'runs' });
  });

  it('names the file and the path of each problem of a bad edit', () => {
    const bad = structuredClone(DEPLOYED_CONFIG) as typeof DEPLOYED_CONFIG & Record<string, Record<string, unknown>>;
    (bad.mergeRules as { openStatuses: string[] }).openStatuses = ['dispatched', 'closed'];
    (bad.disputePolicy as { clockDuringDispute: string }).clockDuringDispute = 'paused';
    (bad.kpis as { rates: { satisfaction: { weights: Record<string, number> } } }).rates.satisfaction.weights = {
      satisfied: 1,
      basicallySatisfied: 1.2,
      happy: 1,
    };
    const problems = problemsOf(() => validateConfigFiles(bad));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^config\/merge-rules\.json: openStatuses: .*closed/),
        expect.stringMatching(/^config\/dispute-policy\.json: clockDuringDispute: one of runs, stops/),
        expect.stringMatching(/^config\/kpis\.json: rates\.satisfaction\.weights\.basicallySatisfied: /),
        expect.stringMatching(/^config\/kpis\.json: rates\.satisfaction\.weights(\.happy)?: /),
      ]),
    );
  });

  it('weights the survey rates as configured and hides a rate below the minimum sample, printing its sample', () => {
    const rules = { ...kpiRules, minimumSample: 5 };
    const weighted = {
      ...rules,
      rates: { ...rules.rates, satisfaction: { label: '满意率', weights: { satisfied: 1, basicallySatisfied: 0.8, dissatisfied: 0 } } },
    };
    const counts = { satisfied: 6, basicallySatisfied: 2, dissatisfied: 2, contacted: 3, notContacted: 1, firstDispatched: 10, firstDispatchKept: 9 };
    const k = kpisOf(counts, weighted);
    expect(k.satisfactionRate).toEqual({ value: 0.76, sample: 10, hidden: false }); // (6 + 0.8·2) / 10
    expect(k.firstDispatchAccuracy).toEqual({ value: 0.9, sample: 10, hidden: false });
    expect(k.responseRate).toEqual({ value: null, sample: 4, hidden: true });
    expect(k.resolutionRate).toEqual({ value: null, sample: 0, hidden: true });
    expect(kpisOf(counts, rules).satisfactionRate.value).toBe(0.8); // the default: 基本满意 counts as satisfied
  });
});
