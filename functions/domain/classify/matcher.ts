/**
 * Multi-pattern matcher (Aho–Corasick over UTF-16 code units) for the lexicon. All lexicon and routing terms are
 * compiled into one automaton at module load, so a ticket is scanned once, whatever the size of the lexicon.
 *
 * Why not `modern-ahocorasick`: it segments text into grapheme clusters on every search, which costs ~70 µs for a
 * typical ticket and alone would cap the classifier below the 20,000 tickets/s budget. Lexicon terms are plain
 * CJK/ASCII strings, for which code units are exact, so a code-unit automaton gives the same matches ~10× faster.
 *
 * Transitions out of the root are a flat table indexed by code unit (most text positions start no term); the others
 * live in one open-addressing hash table of typed arrays keyed by (state, code unit). With ~8,000 terms the automaton
 * has ~25,000 states: a `Map` keyed `state × 65536 + unit` would leave the small-integer range and hash doubles,
 * which made both the build (module init) and the scan markedly slower.
 */

export interface TermMatch {
  /** Index of the pattern in the list the matcher was built from. */
  pattern: number;
  /** UTF-16 offsets, end exclusive. */
  start: number;
  end: number;
}

const EMPTY = -1;

export class TermMatcher {
  /** Transitions out of the root, indexed by code unit. */
  private readonly root = new Int32Array(0x10000);
  /** Hash table of the other transitions: source state (EMPTY = free slot), code unit, target state. */
  private readonly keyState: Int32Array;
  private readonly keyUnit: Uint16Array;
  private readonly target: Int32Array;
  private readonly mask: number;
  /** 32 − log2(table size): a multiplicative hash keeps its high bits (its low bits mix poorly). */
  private readonly shift: number;
  private readonly fail: Int32Array;
  /** First pattern ending exactly at a state (−1: none); further identical patterns chain through `samePattern`. */
  private readonly own: Int32Array;
  private readonly samePattern: Int32Array;
  /** Output link: the nearest state on the failure chain at which a pattern ends (−1: none). */
  private readonly dict: Int32Array;
  private readonly lengths: Int32Array;
  private readonly states: number;

  constructor(patterns: readonly string[]) {
    let total = 0;
    for (const p of patterns) total += p.length;
    let size = 1024;
    while (size < total * 2) size *= 2;
    // Sized for every code unit of every pattern being a new transition: the table never grows.
    const keyState = new Int32Array(size).fill(EMPTY);
    this.keyState = keyState;
    const keyUnit = new Uint16Array(size);
    this.keyUnit = keyUnit;
    const target = new Int32Array(size);
    this.target = target;
    const mask = size - 1;
    this.mask = mask;
    const shift = 32 - Math.log2(size);
    this.shift = shift;
    const root = this.root;
    this.lengths = Int32Array.from(patterns, (p) => p.length);

    // Trie. Hot loops are written out (no closures, no method calls): this runs once per cold start, mostly before
    // the JIT has optimised anything, so interpreter-friendly code is what keeps module init short.
    const maxStates = total + 1;
    const firstChild = new Int32Array(maxStates).fill(-1); // child lists as linked lists: state → first edge
    const nextSibling = new Int32Array(maxStates).fill(-1); // state → next state with the same parent
    const edgeUnit = new Uint16Array(maxStates); // code unit leading into a state
    const own = new Int32Array(maxStates).fill(-1);
    const samePattern = new Int32Array(patterns.length).fill(-1);
    this.samePattern = samePattern;
    let states = 1;
    for (let i = 0; i < patterns.length; i++) {
      const p = patterns[i]!;
      if (p.length === 0) continue;
      let s = 0;
      for (let k = 0; k < p.length; k++) {
        const c = p.charCodeAt(k);
        let n = 0;
        if (s === 0) n = root[c]!;
        else {
          for (let h = Math.imul((s << 16) ^ c, 0x9e3779b1) >>> shift; ; h = (h + 1) & mask) {
            const key = keyState[h]!;
            if (key === EMPTY) break;
            if (key === s && keyUnit[h] === c) {
              n = target[h]!;
              break;
            }
          }
        }
        if (n === 0) {
          n = states++;
          edgeUnit[n] = c;
          nextSibling[n] = firstChild[s]!;
          firstChild[s] = n;
          if (s === 0) root[c] = n;
          else {
            let h = Math.imul((s << 16) ^ c, 0x9e3779b1) >>> shift;
            while (keyState[h] !== EMPTY) h = (h + 1) & mask;
            keyState[h] = s;
            keyUnit[h] = c;
            target[h] = n;
          }
        }
        s = n;
      }
      if (own[s] === -1) own[s] = i;
      else {
        let q = own[s]!;
        while (samePattern[q] !== -1) q = samePattern[q]!;
        samePattern[q] = i;
      }
    }
    this.states = states;
    this.own = own;

    // Breadth-first: a state's failure link is the longest proper suffix of its path that is also a trie path.
    const fail = new Int32Array(states);
    this.fail = fail;
    const dict = new Int32Array(states).fill(-1);
    this.dict = dict;
    const queue = new Int32Array(states);
    let tail = 0;
    for (let n = firstChild[0]!; n !== -1; n = nextSibling[n]!) queue[tail++] = n; // depth 1: fail = root
    for (let head = 0; head < tail; head++) {
      const s = queue[head]!;
      const f0 = fail[s]!;
      dict[s] = own[f0] !== -1 ? f0 : dict[f0]!;
      for (let n = firstChild[s]!; n !== -1; n = nextSibling[n]!) {
        queue[tail++] = n;
        const c = edgeUnit[n]!;
        let f = fail[s]!;
        let t = 0;
        for (;;) {
          if (f === 0) {
            t = root[c]!;
            break;
          }
          t = 0;
          for (let h = Math.imul((f << 16) ^ c, 0x9e3779b1) >>> shift; ; h = (h + 1) & mask) {
            const key = keyState[h]!;
            if (key === EMPTY) break;
            if (key === f && keyUnit[h] === c) {
              t = target[h]!;
              break;
            }
          }
          if (t !== 0) break;
          f = fail[f]!;
        }
        fail[n] = t !== n ? t : 0;
      }
    }
  }

  get stateCount(): number {
    return this.states;
  }

  /** Every occurrence of every pattern, overlaps included, in order of end position. */
  search(text: string): TermMatch[] {
    const found: TermMatch[] = [];
    const root = this.root;
    const keyState = this.keyState;
    const keyUnit = this.keyUnit;
    const target = this.target;
    const mask = this.mask;
    const shift = this.shift;
    const fail = this.fail;
    const own = this.own;
    const dict = this.dict;
    const samePattern = this.samePattern;
    const lengths = this.lengths;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      for (;;) {
        if (s === 0) {
          s = root[c]!;
          break;
        }
        let n = 0;
        for (let h = Math.imul((s << 16) ^ c, 0x9e3779b1) >>> shift; ; h = (h + 1) & mask) {
          const k = keyState[h]!;
          if (k === EMPTY) break;
          if (k === s && keyUnit[h] === c) {
            n = target[h]!;
            break;
          }
        }
        if (n !== 0) {
          s = n;
          break;
        }
        s = fail[s]!;
      }
      // Patterns ending here: this state's own, then those of its failure chain (longest first).
      for (let d = own[s] !== -1 ? s : dict[s]!; d !== -1; d = dict[d]!) {
        for (let p = own[d]!; p !== -1; p = samePattern[p]!) found.push({ pattern: p, start: i + 1 - lengths[p]!, end: i + 1 });
      }
    }
    return found;
  }
}
