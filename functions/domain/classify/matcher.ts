/**
 * Multi-pattern matcher for the lexicon: every lexicon and routing term found in a ticket's text in one pass.
 *
 * Built once per cold start from ~8,000 terms, so the build must be cheap before the JIT has optimised anything.
 * An Aho–Corasick automaton (the previous design) scans in O(text) but its build walks every code unit of every term
 * and then every state's failure chain: ~20 ms of module init. Lexicon terms are short (2–6 code units) and tickets
 * are a few hundred, so this matcher indexes terms by their first two code units instead: the build is one hash insert
 * per term, and the scan looks up each position's two units and checks the few terms that start with them
 * (`startsWith`, native). Single-unit terms sit in a flat table by code unit. Code units (not grapheme clusters) are
 * exact for lexicon terms, which are plain CJK/ASCII strings.
 *
 * Both tables are typed arrays: a `Map` keyed by the 32-bit pair would leave the small-integer range and hash doubles.
 */

export interface TermMatch {
  /** Index of the pattern in the list the matcher was built from. */
  pattern: number;
  /** UTF-16 offsets, end exclusive. */
  start: number;
  end: number;
}

const NONE = -1;

export class TermMatcher {
  private readonly patterns: readonly string[];
  /** Single-code-unit patterns: code unit → first pattern (−1: none); more of the same unit chain through `next`. */
  private readonly single: Int32Array;
  /** Open-addressing table keyed by a pattern's first two code units (`unit0 << 16 | unit1`), slot → first pattern. */
  private readonly keys: Int32Array;
  private readonly heads: Int32Array;
  private readonly mask: number;
  /** 32 − log2(table size): a multiplicative hash keeps its high bits. */
  private readonly shift: number;
  /** Next pattern with the same first unit(s), in pattern order (−1: last). */
  private readonly next: Int32Array;

  constructor(patterns: readonly string[]) {
    this.patterns = patterns;
    const n = patterns.length;
    let size = 1024;
    while (size < n * 2) size *= 2;
    const keys = new Int32Array(size);
    const heads = new Int32Array(size).fill(NONE);
    const single = new Int32Array(0x10000).fill(NONE);
    const next = new Int32Array(n).fill(NONE);
    /** Last pattern of each chain, so chains keep pattern order (duplicates are reported in that order). */
    const tails = new Int32Array(size);
    const singleTails = new Int32Array(0x10000);
    const mask = size - 1;
    const shift = 32 - Math.log2(size);
    for (let i = 0; i < n; i++) {
      const p = patterns[i]!;
      if (p.length === 0) continue;
      if (p.length === 1) {
        const c = p.charCodeAt(0);
        if (single[c] === NONE) single[c] = i;
        else next[singleTails[c]!] = i;
        singleTails[c] = i;
        continue;
      }
      const key = (p.charCodeAt(0) << 16) | p.charCodeAt(1);
      let h = Math.imul(key, 0x9e3779b1) >>> shift;
      while (heads[h] !== NONE && keys[h] !== key) h = (h + 1) & mask;
      if (heads[h] === NONE) {
        keys[h] = key;
        heads[h] = i;
      } else next[tails[h]!] = i;
      tails[h] = i;
    }
    this.single = single;
    this.keys = keys;
    this.heads = heads;
    this.mask = mask;
    this.shift = shift;
    this.next = next;
  }

  /** Every occurrence of every pattern, overlaps included, ordered by end position (the longest first at one end). */
  search(text: string): TermMatch[] {
    const found: TermMatch[] = [];
    const { patterns, single, keys, heads, mask, shift, next } = this;
    const n = text.length;
    let sorted = true;
    let lastEnd = 0;
    for (let i = 0; i < n; i++) {
      const c0 = text.charCodeAt(i);
      if (i + 1 < n) {
        const key = (c0 << 16) | text.charCodeAt(i + 1);
        for (let h = Math.imul(key, 0x9e3779b1) >>> shift; heads[h] !== NONE; h = (h + 1) & mask) {
          if (keys[h] !== key) continue;
          for (let p = heads[h]!; p !== NONE; p = next[p]!) {
            const term = patterns[p]!;
            if (term.length === 2 || text.startsWith(term, i)) {
              const end = i + term.length;
              if (end < lastEnd) sorted = false;
              lastEnd = end;
              found.push({ pattern: p, start: i, end });
            }
          }
          break;
        }
      }
      for (let p = single[c0]!; p !== NONE; p = next[p]!) {
        if (i + 1 < lastEnd) sorted = false;
        lastEnd = i + 1;
        found.push({ pattern: p, start: i, end: i + 1 });
      }
    }
    // Found in order of start; a stable sort by end keeps, at one end, the earlier start (the longer term) first.
    return sorted ? found : found.sort(byEnd);
  }
}

const byEnd = (a: TermMatch, b: TermMatch): number => a.end - b.end;
