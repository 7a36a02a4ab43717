/**
 * Features of the learned router (路由模型): hashed character n-grams of the ticket's normalised text, plus dense
 * features from the lexicon (its per-domain scores and its own choice) and the hotline. One function for training
 * and inference, so a model always sees features built the way it was trained.
 *
 * The hashing trick: an n-gram's code units are hashed (FNV-1a style, per n-gram order and per field, so `投诉` in the
 * platform's category is not `投诉` in the content) into `2^bits` buckets; no vocabulary to ship or keep in sync.
 */
import { DOMAINS } from '../../taxonomy.js';

export interface FeatureSpec {
  /** log2 of the number of hash buckets. */
  bits: number;
  /** n-gram orders, e.g. [1, 2, 3]. */
  orders: number[];
}

/** Which text a ticket's n-grams come from: its own words, and the platform's category (a weak, sometimes wrong hint). */
export interface RouterInput {
  source: '12345' | '12309';
  /** Normalised content (12345: title + content; 12309: content + demand). */
  text: string;
  /** Normalised `hotlineCategory` (12345), or ''. */
  category: string;
  /** The lexicon's score per domain (taxonomy order) and its chosen domain index. */
  lexiconScores: Float64Array;
  lexiconTop: number;
  /**
   * What the lexicon read beyond domain scores, for the clue head (线索): each clue cue's strength, the lexicon's own
   * clue, the ticket type, as named values (`cue:harm_to_many`, `lexicon-clue:none`, `type:report`). Hashed into the
   * same buckets as the n-grams under their own seed, so a deployer's new cue needs no new model shape.
   */
  hints: readonly (readonly [string, number])[];
}

/** Hashed sparse features as parallel arrays: bucket index and value. */
export interface SparseFeatures {
  index: Int32Array;
  value: Float32Array;
}

const D = DOMAINS.length;
/** Dense features: per-domain lexicon score (squashed), the lexicon's choice (one-hot), the hotline (one-hot), bias. */
export const DENSE_SIZE = D + D + 2 + 1;

const FIELD_SEED = { text: 0x811c9dc5, category: 0x2f6b1a3d, hint: 0x51ed270b } as const;

/**
 * Calls `visit(bucket)` for every n-gram occurrence of the ticket's text and category (repeats included: term
 * frequency counts linearly), and returns how many there were. Training and inference both walk n-grams through this.
 */
export function forEachNgram(input: RouterInput, spec: FeatureSpec, visit: (bucket: number) => void): number {
  return walk(input.text, FIELD_SEED.text, spec, visit) + (input.category ? walk(input.category, FIELD_SEED.category, spec, visit) : 0);
}

function walk(s: string, seed: number, spec: FeatureSpec, visit: (bucket: number) => void): number {
  const shift = 32 - spec.bits;
  let count = 0;
  for (const n of spec.orders) {
    const start = (seed ^ Math.imul(n, 0x9e3779b1)) >>> 0;
    for (let i = 0; i + n <= s.length; i++) {
      let h = start;
      let k = 0;
      for (; k < n; k++) {
        const c = s.charCodeAt(i + k);
        // an n-gram across a line break or a space joins two unrelated parts
        if (c === 10 || c === 32) break;
        h = Math.imul(h ^ c, 0x01000193);
      }
      if (k < n) continue;
      visit(Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> shift);
      count++;
    }
  }
  return count;
}

/** Calls `visit(bucket, value)` for every hint of the ticket (the clue head's extra features). */
export function forEachHint(input: RouterInput, spec: FeatureSpec, visit: (bucket: number, value: number) => void): void {
  const shift = 32 - spec.bits;
  for (const [name, value] of input.hints) {
    let h: number = FIELD_SEED.hint;
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
    visit(Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> shift, value);
  }
}

/** Each occurrence weighs 1/√(occurrences): the sparse vector has unit length when no n-gram repeats. */
export const occurrenceWeight = (count: number): number => (count > 0 ? 1 / Math.sqrt(count) : 0);

/**
 * The sparse vector with repeats merged (training works on it; inference walks the n-grams directly). `withHints` adds
 * the hints (the clue head's input) after the n-grams.
 */
export function sparseFeatures(input: RouterInput, spec: FeatureSpec, withHints = false): SparseFeatures {
  const counts = new Map<number, number>();
  const total = forEachNgram(input, spec, (b) => counts.set(b, (counts.get(b) ?? 0) + 1));
  const w = occurrenceWeight(total);
  const values = new Map<number, number>();
  for (const [b, c] of counts) values.set(b, c * w);
  if (withHints) forEachHint(input, spec, (b, v) => values.set(b, (values.get(b) ?? 0) + v));
  const index = new Int32Array(values.size);
  const value = new Float32Array(values.size);
  let i = 0;
  for (const [b, v] of values) {
    index[i] = b;
    value[i++] = v;
  }
  return { index, value };
}

export function denseFeatures(input: RouterInput): Float64Array {
  const x = new Float64Array(DENSE_SIZE);
  for (let d = 0; d < D; d++) {
    const s = input.lexiconScores[d]!;
    x[d] = s > 0 ? Math.log1p(s) / 3 : 0;
  }
  x[D + input.lexiconTop] = 1;
  x[2 * D + (input.source === '12345' ? 0 : 1)] = 1;
  x[2 * D + 2] = 1;
  return x;
}
