/**
 * Multi-pattern matcher (Aho–Corasick over UTF-16 code units) for the lexicon. All lexicon and routing terms are
 * compiled into one automaton at module load, so a ticket is scanned once, whatever the size of the lexicon.
 *
 * Why not `modern-ahocorasick`: it segments text into grapheme clusters on every search, which costs ~70 µs for a
 * typical ticket and alone would cap the classifier below the 20,000 tickets/s budget. Lexicon terms are plain
 * CJK/ASCII strings, for which code units are exact, so a code-unit automaton gives the same matches ~10× faster.
 */

export interface TermMatch {
  /** Index of the pattern in the list the matcher was built from. */
  pattern: number;
  /** UTF-16 offsets, end exclusive. */
  start: number;
  end: number;
}

export class TermMatcher {
  /** Transitions out of the root, indexed by code unit (the hot path: most positions start no term). */
  private readonly root = new Int32Array(0x10000);
  /** Other transitions, keyed `state * 0x10000 + code unit`: one numeric-keyed map is faster than a map per state. */
  private readonly next = new Map<number, number>();
  private readonly fail: Int32Array;
  /** Patterns ending at a state, including those reached by failure links. */
  private readonly out: (number[] | null)[];
  private readonly lengths: Int32Array;
  private states = 1;

  constructor(patterns: readonly string[]) {
    const outs: number[][] = [[]];
    const children: number[][] = [[]];
    this.lengths = Int32Array.from(patterns, (p) => p.length);
    const step = (s: number, c: number): number => (s === 0 ? this.root[c]! : (this.next.get(s * 0x10000 + c) ?? 0));
    patterns.forEach((p, i) => {
      if (p.length === 0) return;
      let s = 0;
      for (let k = 0; k < p.length; k++) {
        const c = p.charCodeAt(k);
        let n = step(s, c);
        if (n === 0) {
          n = this.states++;
          outs.push([]);
          children.push([]);
          children[s]!.push(c);
          if (s === 0) this.root[c] = n;
          else this.next.set(s * 0x10000 + c, n);
        }
        s = n;
      }
      outs[s]!.push(i);
    });
    this.fail = new Int32Array(this.states);
    // Breadth-first: a state's failure link is the longest proper suffix of its path that is also a trie path.
    const queue: number[] = [0];
    for (let head = 0; head < queue.length; head++) {
      const s = queue[head]!;
      for (const c of children[s]!) {
        const n = step(s, c);
        queue.push(n);
        if (s !== 0) {
          let f = this.fail[s]!;
          while (f !== 0 && step(f, c) === 0) f = this.fail[f]!;
          const target = step(f, c);
          this.fail[n] = target !== n ? target : 0;
        }
        const inherited = outs[this.fail[n]!]!;
        if (inherited.length) outs[n] = [...outs[n]!, ...inherited];
      }
    }
    this.out = outs.map((o) => (o.length ? o : null));
  }

  get stateCount(): number {
    return this.states;
  }

  /** Every occurrence of every pattern, overlaps included, in order of end position. */
  search(text: string): TermMatch[] {
    const found: TermMatch[] = [];
    const root = this.root;
    const next = this.next;
    const fail = this.fail;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      for (;;) {
        if (s === 0) {
          s = root[c]!;
          break;
        }
        const n = next.get(s * 0x10000 + c);
        if (n !== undefined) {
          s = n;
          break;
        }
        s = fail[s]!;
      }
      const hits = this.out[s];
      if (hits) {
        for (let h = 0; h < hits.length; h++) {
          const p = hits[h]!;
          found.push({ pattern: p, start: i + 1 - this.lengths[p]!, end: i + 1 });
        }
      }
    }
    return found;
  }
}
