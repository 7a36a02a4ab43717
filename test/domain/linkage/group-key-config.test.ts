import { describe, expect, it } from 'vitest';
import groupKeysJson from '../../../config/group-keys.json' with { type: 'json' };
import lexiconJson from '../../../config/lexicon.json' with { type: 'json' };
import { validateGroupKeyVocabulary } from '../../../functions/domain/linkage/group-key-schema.js';
import { ConfigError } from '../../../functions/domain/errors.js';
import { validateConfigFiles } from '../../../functions/config/validate.js';

const copy = <T>(x: T): T => structuredClone(x);
const problemsOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
};

describe('config/group-keys.json validation', () => {
  it('the shipped vocabulary is valid', () => {
    expect(() => validateGroupKeyVocabulary(groupKeysJson)).not.toThrow();
  });

  it('a word with regular-expression syntax is refused by path: it would reach a pattern run on citizen text', () => {
    const bad = copy(groupKeysJson);
    bad.enterprise.industries[3] = '(建筑)+';
    bad.regionNames.push('乌 海');
    const message = problemsOf(() => validateGroupKeyVocabulary(bad, 'config/group-keys.json'));
    expect(message).toMatch(/^config\/group-keys\.json is invalid:/);
    expect(message).toContain('enterprise.industries.3: a plain word');
    expect(message).toContain(`regionNames.${bad.regionNames.length - 1}: a plain word`);
  });

  it('limits, a guard on a word that is no tail, a missing list and a guarded boundary of two characters are each reported', () => {
    const bad = copy(groupKeysJson) as unknown as Record<string, Record<string, unknown>>;
    bad.limits!.maxKeysPerKind = 0;
    delete bad.enterprise!.businesses;
    bad.boundary!.guardedChars = { 向阳: '东' };
    const message = problemsOf(() => validateGroupKeyVocabulary(bad));
    expect(message).toContain('limits.maxKeysPerKind');
    expect(message).toContain('enterprise.businesses');
    expect(message).toContain('boundary.guardedChars.向阳');
    const bad2 = copy(groupKeysJson);
    (bad2.enterprise.notFollowedBy as Record<string, string>)['馆子'] = '里';
    expect(problemsOf(() => validateGroupKeyVocabulary(bad2))).toContain('enterprise.notFollowedBy.馆子: not a legal form, industry or business word');
  });
});

describe('validateConfigFiles (what cdk synth runs first)', () => {
  it('accepts the deployed files', () => {
    expect(() => validateConfigFiles()).not.toThrow();
  });

  it('refuses a bad lexicon, naming the file and the path', () => {
    const lexicon = copy(lexiconJson) as unknown as { scoring: Record<string, unknown> };
    lexicon.scoring.temperature = -1;
    expect(() => validateConfigFiles({ lexicon, groupKeys: groupKeysJson })).toThrow(/config\/lexicon\.json is invalid:[\s\S]*scoring\.temperature/);
  });

  it('lists the problems of every bad file in one run', () => {
    const lexicon = copy(lexiconJson) as unknown as { version: number };
    lexicon.version = 2;
    const groupKeys = copy(groupKeysJson) as unknown as { genericCores: unknown };
    groupKeys.genericCores = 'all';
    expect(() => validateConfigFiles({ lexicon, groupKeys })).toThrow(
      /config\/lexicon\.json: [^\n]*version[\s\S]*config\/group-keys\.json: [^\n]*genericCores/,
    );
  });
});
