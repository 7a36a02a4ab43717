import { describe, it, expect } from 'vitest';
import rulesJson from '../../../config/cluster-rules.json' with { type: 'json' };
import { clusterRules } from '../../../functions/config/cluster-rules.js';
import { routing } from '../../../functions/config/routing.js';
import { directory } from '../../../functions/config/directory.js';
import { rulesFor, type ClueRouting } from '../../../functions/domain/linkage/cluster-rules.js';
import { parseClusterRules } from '../../../functions/domain/linkage/cluster-rules-schema.js';
import { ConfigError } from '../../../functions/domain/errors.js';

const FILE = 'config/cluster-rules.json';
const wage = {
  id: 'wage-arrears',
  label: '欠薪类案 / Wage arrears',
  domains: ['labor_wages'],
  keyKinds: ['enterprise'],
  windowDays: 30,
  threshold: 3,
  clue: 'support_prosecution',
  agencyKind: 'procuratorate.civil',
};
const fileWith = (...rules: unknown[]) => ({ version: 1, rules });
const clueRouting: ClueRouting = {
  isPilDomain: (d) => routing.domains[d].pil,
  clueDepartment: (c, d) => routing.clueDepartment(c, d),
};

/** The problems of a file that must fail. */
function problemsOf(json: unknown, knownKind?: (k: string) => boolean, r?: ClueRouting): string[] {
  try {
    parseClusterRules(json, FILE, knownKind, r);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).file).toBe(FILE);
    expect((e as ConfigError).message).toContain(FILE);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('cluster rules: the deployed file', () => {
  it('loads against the directory and the routing table', () => {
    expect(clusterRules.length).toBeGreaterThanOrEqual(4);
    expect(clusterRules.length).toBeLessThanOrEqual(6);
    for (const r of clusterRules) {
      expect(directory.hasKind(r.agencyKind)).toBe(true);
      expect(r.agencyKind.startsWith('procuratorate.')).toBe(true);
      expect(r.label).toMatch(/\p{Script=Han}.*\/.*[A-Za-z]/u);
    }
  });

  it('wage arrears: 3 tickets naming one employer in 30 days → support_prosecution for the civil department', () => {
    const [rule] = rulesFor('labor_wages', clusterRules);
    expect(rule).toMatchObject({ keyKinds: ['enterprise'], windowDays: 30, threshold: 3, clue: 'support_prosecution', agencyKind: 'procuratorate.civil' });
  });

  it('pollution by one enterprise or at one place → public_interest for the PIL department', () => {
    for (const d of ['ecology_environment', 'water_affairs'] as const) {
      const [rule] = rulesFor(d, clusterRules);
      expect(rule?.clue).toBe('public_interest');
      expect(rule?.agencyKind).toBe('procuratorate.pil');
      expect(rule?.keyKinds).toEqual(expect.arrayContaining(['enterprise', 'place']));
    }
  });

  it('minors go to the minors department; consumer_market (not a PIL field) raises no cluster clue', () => {
    expect(rulesFor('minors_protection', clusterRules)[0]?.agencyKind).toBe('procuratorate.minors');
    expect(rulesFor('consumer_market', clusterRules)).toEqual([]);
    expect(rulesFor('other', clusterRules)).toEqual([]);
  });

  it('the comment keys are not part of a rule', () => {
    expect(Object.keys(parseClusterRules(rulesJson, FILE)[0]!)).not.toContain('$comment');
  });
});

describe('cluster rules: validation names the path and the problem', () => {
  it('accepts a minimal valid file', () => {
    expect(parseClusterRules(fileWith(wage), FILE, (k) => directory.hasKind(k), clueRouting)).toEqual([wage]);
  });

  it('unknown domain', () => {
    expect(problemsOf(fileWith({ ...wage, domains: ['labor_wages', 'labour'] }))).toEqual(['rules.0.domains.1: unknown domain "labour" (see taxonomy §3)']);
  });

  it('unknown key kind', () => {
    expect(problemsOf(fileWith({ ...wage, keyKinds: ['person'] }))[0]).toMatch(/^rules\.0\.keyKinds\.0: unknown key kind "person"/);
  });

  it('threshold below 2, window out of range, fractional days', () => {
    const problems = problemsOf(fileWith({ ...wage, threshold: 1 }, { ...wage, id: 'b', windowDays: 400 }, { ...wage, id: 'c', windowDays: 1.5 }));
    expect(problems).toContain('rules.0.threshold: at least 2 (one ticket is not a cluster)');
    expect(problems).toContain('rules.1.windowDays: at most 366 days');
    expect(problems).toContain('rules.2.windowDays: a whole number of days');
  });

  it('clue "none" and an unknown clue', () => {
    const problems = problemsOf(fileWith({ ...wage, clue: 'none' }, { ...wage, id: 'b', clue: 'pil' }));
    expect(problems[0]).toBe('rules.0.clue: a cluster always raises a clue: "none" is not allowed');
    expect(problems[1]).toMatch(/^rules\.1\.clue: unknown clue kind "pil"/);
  });

  it('an agency that is not a procuratorate department', () => {
    expect(problemsOf(fileWith({ ...wage, agencyKind: 'hr-social-security' }))).toEqual([
      'rules.0.agencyKind: "hr-social-security" is not a procuratorate department (procuratorate.*)',
    ]);
  });

  it('an agency kind missing from the directory (via the callback)', () => {
    expect(problemsOf(fileWith({ ...wage, agencyKind: 'procuratorate.labour' }), (k) => directory.hasKind(k))).toEqual([
      'rules.0.agencyKind: unknown agency kind "procuratorate.labour" (not in the agency directory)',
    ]);
  });

  it('duplicate ids, domains and key kinds', () => {
    const problems = problemsOf(fileWith(wage, { ...wage, domains: ['social_insurance', 'social_insurance'], keyKinds: ['address', 'address'] }));
    expect(problems).toContain('rules.1.id: "wage-arrears" is used twice (also rules.0)');
    expect(problems).toContain('rules.1.domains.1: "social_insurance" is listed twice');
    expect(problems).toContain('rules.1.keyKinds.1: "address" is listed twice');
  });

  it('two rules counting one domain by one key kind', () => {
    expect(problemsOf(fileWith(wage, { ...wage, id: 'wage-again', keyKinds: ['address', 'enterprise'] }))).toEqual([
      'rules.1: labor_wages by enterprise is already counted by rule "wage-arrears" (one ticket would raise two clusters)',
    ]);
  });

  it('public_interest outside the PIL fields, and a department the routing table does not give the clue', () => {
    const problems = problemsOf(
      fileWith({ ...wage, id: 'gym', domains: ['consumer_market'], clue: 'public_interest', agencyKind: 'procuratorate.pil' }, wage, {
        ...wage,
        id: 'minors',
        domains: ['minors_protection'],
        clue: 'public_interest',
        agencyKind: 'procuratorate.pil',
      }),
      undefined,
      clueRouting,
    );
    expect(problems).toEqual([
      'rules.0.domains.0: "consumer_market" is not a public-interest-litigation field, so it cannot raise a public_interest clue',
      'rules.2.agencyKind: the routing table sends public_interest clues in minors_protection to "procuratorate.minors", not "procuratorate.pil"',
    ]);
  });

  it('missing fields, unknown fields, bad id, wrong version', () => {
    const { label: _l, ...noLabel } = wage;
    const problems = problemsOf({ version: 2, rules: [{ ...noLabel, id: 'Wage_Arrears', colour: 'red' }] });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^version: /),
        expect.stringMatching(/^rules\.0\.id: rule id in kebab case/),
        expect.stringMatching(/^rules\.0\.label: /),
        expect.stringMatching(/^rules\.0: .*colour/),
      ]),
    );
  });

  it('rulesFor keeps file order and only the rules of the domain', () => {
    const rules = parseClusterRules(fileWith(wage, { ...wage, id: 'b', domains: ['social_insurance', 'labor_wages'], keyKinds: ['address'] }), FILE);
    expect(rulesFor('labor_wages', rules).map((r) => r.id)).toEqual(['wage-arrears', 'b']);
    expect(rulesFor('social_insurance', rules).map((r) => r.id)).toEqual(['b']);
  });
});
