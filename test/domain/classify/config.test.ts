import { describe, it, expect } from 'vitest';
import lexiconJson from '../../../config/lexicon.json' with { type: 'json' };
import routingJson from '../../../config/routing.json' with { type: 'json' };
import { LexiconFile, loadLexicon, validateLexicon } from '../../../functions/domain/classify/lexicon-schema.js';
import { buildLexicon, type LexiconSource } from '../../../functions/domain/classify/lexicon.js';
import { loadRoutingTable } from '../../../functions/domain/route/routing-table-schema.js';
import { ConfigError } from '../../../functions/domain/errors.js';
import { directory } from '../../../functions/config/directory.js';

const copy = <T>(x: T): T => structuredClone(x);
const problemsOf = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
};

describe('config/lexicon.json validation', () => {
  it('the shipped lexicon loads', () => {
    expect(loadLexicon(lexiconJson).domains.length).toBeGreaterThan(20);
  });

  it('a non-numeric weight names its path', () => {
    const bad = copy(lexiconJson) as { domains: Record<string, { terms: Record<string, unknown> }> };
    bad.domains.tax!.terms['发票'] = 'heavy';
    const problems = problemsOf(() => loadLexicon(bad, 'config/lexicon.json'));
    expect(problems.join('\n')).toContain('domains.tax.terms.发票');
  });

  it('an over-long term and an out-of-range weight are each reported by term path (plain-loop term check)', () => {
    const bad = copy(lexiconJson) as { domains: Record<string, { terms: Record<string, unknown> }> };
    bad.domains.tax!.terms['税'.repeat(41)] = 2;
    bad.domains.tax!.terms['发票'] = 99;
    const problems = problemsOf(() => loadLexicon(bad)).join('\n');
    expect(problems).toContain(`domains.tax.terms.${'税'.repeat(41)}: a term has 1 to 40 characters`);
    expect(problems).toContain('domains.tax.terms.发票: weight must be a number from -20 to 20, got 99');
  });

  it('a ticket-type cue prior on an unknown 12345 type is reported', () => {
    const bad = copy(lexiconJson) as { priors: { ticketTypeCues: Record<string, unknown> } };
    bad.priors.ticketTypeCues.gossip = { reported_matter: 1 };
    expect(problemsOf(() => loadLexicon(bad)).join('\n')).toContain('priors.ticketTypeCues.gossip: unknown 12345 ticket type');
  });

  it('an invalid regular expression names its path', () => {
    const bad = copy(lexiconJson) as { cues: Record<string, { patterns?: { regex: string }[] }> };
    bad.cues.harm_to_many!.patterns![0]!.regex = '(unclosed';
    expect(problemsOf(() => loadLexicon(bad)).join('\n')).toMatch(/cues\.harm_to_many\.patterns\.0\.regex: not a valid regular expression/);
  });

  it('an unknown domain and a clue rule on an undeclared cue are reported', () => {
    const bad = copy(lexiconJson) as unknown as { domains: Record<string, unknown> };
    bad.domains.space_travel = { terms: { 火箭: 3 } };
    expect(problemsOf(() => loadLexicon(bad)).join('\n')).toMatch(/domains.*space_travel/);
    const bad2 = copy(lexiconJson) as unknown as { clueRules: { score: Record<string, number> }[] };
    bad2.clueRules[0]!.score.moon_phase = 1;
    expect(problemsOf(() => loadLexicon(bad2)).join('\n')).toContain('unknown cue "moon_phase"');
  });

  it('a context marker compared as one character must be one character, by path', () => {
    const bad = copy(lexiconJson) as { context: { negationNotBefore: string[] } };
    bad.context.negationNotBefore = ['不', '不要'];
    expect(problemsOf(() => validateLexicon(bad)).join('\n')).toContain('context.negationNotBefore.1: one character');
  });

  it('the scoring constants moved out of the classifier are range-checked', () => {
    const bad = copy(lexiconJson) as { scoring: Record<string, unknown>; evidence: Record<string, unknown> };
    bad.scoring.maxAlternatives = 0;
    bad.scoring.typeCueFactor = 'more';
    bad.evidence.cueFeatures = 2.5;
    const problems = problemsOf(() => validateLexicon(bad, 'config/lexicon.json')).join('\n');
    expect(problems).toContain('scoring.maxAlternatives');
    expect(problems).toContain('scoring.typeCueFactor');
    expect(problems).toContain('evidence.cueFeatures');
  });

  it('the cold-start build (no zod) gives what validation would: defaults included', () => {
    // The runtime path builds from the raw file; building from zod's output (defaults applied by the schema) must agree.
    expect(buildLexicon(lexiconJson as unknown as LexiconSource)).toEqual(buildLexicon(LexiconFile.parse(lexiconJson)));
    const sparse = copy(lexiconJson) as unknown as Record<string, Record<string, unknown>>;
    delete sparse.evidence;
    for (const k of ['typeCueFactor', 'maxAlternatives', 'minAlternativeP', 'locativeFactor']) delete sparse.scoring![k];
    for (const k of ['negationNotBefore', 'emphasis', 'locative']) delete sparse.context![k];
    expect(buildLexicon(sparse as unknown as LexiconSource)).toEqual(buildLexicon(LexiconFile.parse(sparse)));
  });

  it('an unbounded repeat in a pattern is refused (patterns run on every ticket: they must stay linear)', () => {
    const bad = copy(lexiconJson) as { cues: Record<string, { patterns?: { regex: string }[] }> };
    bad.cues.harm_to_many!.patterns![0]!.regex = '(?:[0-9]+|[一二三]+)户';
    bad.cues.ongoing!.patterns![0]!.regex = '(?:很久){1,}了';
    const problems = problemsOf(() => loadLexicon(bad)).join('\n');
    expect(problems).toMatch(/cues\.harm_to_many\.patterns\.0\.regex: unbounded repeat/);
    expect(problems).toMatch(/cues\.ongoing\.patterns\.0\.regex: unbounded repeat/);
    // Escaped and in-class + and * are characters, not repeats.
    bad.cues.harm_to_many!.patterns![0]!.regex = '[+*]\\+户';
    bad.cues.ongoing!.patterns![0]!.regex = '[0-9]{1,8}户';
    expect(() => loadLexicon(bad)).not.toThrow();
  });

  it('the error message names the file', () => {
    const bad = copy(lexiconJson) as { version: number };
    bad.version = 2;
    expect(() => loadLexicon(bad, 'config/lexicon.json')).toThrow(/config\/lexicon\.json is invalid:[\s\S]*version/);
  });
});

describe('config/routing.json validation', () => {
  const known = (k: string): boolean => directory.hasKind(k);

  it('the shipped routing table loads against the directory', () => {
    expect(loadRoutingTable(routingJson, 'config/routing.json', known).kinds.has('procuratorate.pil')).toBe(true);
  });

  it('an agency kind missing from the directory names its path', () => {
    const bad = copy(routingJson) as { overrides: { agency: string }[] };
    bad.overrides[1]!.agency = 'fun-police';
    expect(problemsOf(() => loadRoutingTable(bad, 'config/routing.json', known)).join('\n')).toContain('overrides.1.agency: unknown agency kind "fun-police"');
  });

  it('a missing domain is reported', () => {
    const bad = copy(routingJson) as { domains: Record<string, unknown> };
    delete bad.domains.tax;
    expect(problemsOf(() => loadRoutingTable(bad, 'config/routing.json', known)).join('\n')).toContain('domains.tax');
  });

  it('two overrides of one domain with the same priority are ambiguous', () => {
    const bad = copy(routingJson) as { overrides: { id: string; priority: number }[] };
    const venue = bad.overrides.find((o) => o.id === 'minors-venue')!;
    const tobacco = bad.overrides.find((o) => o.id === 'minors-tobacco-alcohol')!;
    tobacco.priority = venue.priority;
    expect(problemsOf(() => loadRoutingTable(bad, 'config/routing.json', known)).join('\n')).toContain('same priority');
  });

  it('a malformed agency kind is a schema error with its path', () => {
    const bad = copy(routingJson) as { review: { agency: string } };
    bad.review.agency = 'Dispatch Center';
    expect(problemsOf(() => loadRoutingTable(bad)).join('\n')).toContain('review.agency');
  });
});
