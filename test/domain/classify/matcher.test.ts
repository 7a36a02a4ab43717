import { describe, it, expect } from 'vitest';
import { TermMatcher } from '../../../functions/domain/classify/matcher.js';

/** Every occurrence by brute force: what the automaton must reproduce (order aside). */
function naive(patterns: string[], text: string): string[] {
  const out: string[] = [];
  patterns.forEach((p, i) => {
    if (!p) return;
    for (let k = text.indexOf(p); k >= 0; k = text.indexOf(p, k + 1)) out.push(`${i}@${k}-${k + p.length}`);
  });
  return out.sort();
}
const found = (m: TermMatcher, text: string): string[] =>
  m
    .search(text)
    .map((h) => `${h.pattern}@${h.start}-${h.end}`)
    .sort();

describe('TermMatcher (terms indexed by their first code units)', () => {
  it('finds overlapping and nested terms', () => {
    const patterns = ['电信', '电信诈骗', '诈骗', '信诈', '骗子', 'he', 'she', 'his', 'hers'];
    const m = new TermMatcher(patterns);
    for (const text of ['接到电信诈骗电话，骗子说', 'ushers', '电电信信诈诈骗骗子', '']) expect(found(m, text)).toEqual(naive(patterns, text));
  });

  it('reports every copy of a duplicated pattern and ignores empty ones', () => {
    const m = new TermMatcher(['停电', '', '停电', '电']);
    expect(found(m, '又停电了')).toEqual(['0@1-3', '2@1-3', '3@2-3']);
  });

  it('agrees with brute force on many random terms and texts', () => {
    const alphabet = '河沟水污染排黑臭厂a';
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const word = (len: number): string => Array.from({ length: len }, () => alphabet[rnd(alphabet.length)]).join('');
    const patterns = Array.from({ length: 400 }, () => word(1 + rnd(4)));
    const m = new TermMatcher(patterns);
    for (let i = 0; i < 50; i++) {
      const text = word(60);
      expect(found(m, text)).toEqual(naive(patterns, text));
    }
  });

  it('returns hits in order of end position', () => {
    const ends = new TermMatcher(['ab', 'b', 'abc', 'c']).search('abc').map((h) => h.end);
    expect(ends).toEqual([...ends].sort((a, b) => a - b));
  });
});
