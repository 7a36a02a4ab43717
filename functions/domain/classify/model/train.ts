/**
 * Training the learned router (`npm run train`): multinomial logistic regression with L2, fitted by AdaGrad over a
 * seeded shuffle, then a temperature fitted on a calibration slice by minimising its log loss. Deterministic: the same
 * examples, options and seed give the same weights, so the same artifact bytes.
 *
 * Offline only: no Lambda bundle imports this module.
 */
import { seededRandom } from '../../seeded-random.js';
import { CLUE_KINDS, DOMAINS } from '../../taxonomy.js';
import { DENSE_SIZE, denseFeatures, sparseFeatures, type FeatureSpec, type RouterInput } from './features.js';
import { softmax, type ClueHead, type RouterModel } from './router-model.js';

export interface TrainOptions {
  spec: FeatureSpec;
  epochs: number;
  /** L2 penalty per example step. */
  l2: number;
  /** AdaGrad base learning rate. */
  rate: number;
  seed: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = { spec: { bits: 16, orders: [1, 2, 3] }, epochs: 12, l2: 1e-5, rate: 0.4, seed: 20261203 };

export interface Example {
  input: RouterInput;
  /** Class index: the domain (taxonomy order) for the domain head, the clue kind (taxonomy order) for the clue head. */
  label: number;
}

interface Prepared {
  index: Int32Array;
  value: Float32Array;
  dense: Float64Array;
  label: number;
}

/** Logits of a prepared example under float weights (D classes). */
function logits(p: Prepared, ws: Float64Array, wd: Float64Array, z: Float64Array, D: number): void {
  z.fill(0);
  for (let i = 0; i < p.index.length; i++) {
    const row = p.index[i]! * D;
    const v = p.value[i]!;
    for (let d = 0; d < D; d++) z[d] = z[d]! + v * ws[row + d]!;
  }
  for (let j = 0; j < DENSE_SIZE; j++) {
    const x = p.dense[j]!;
    if (x === 0) continue;
    const row = j * D;
    for (let d = 0; d < D; d++) z[d] = z[d]! + x * wd[row + d]!;
  }
}

/** Fits the domain head (temperature 1, no review threshold yet: `calibrate` and the caller set those). */
export function train(examples: readonly Example[], o: TrainOptions = DEFAULT_TRAIN_OPTIONS): RouterModel {
  if (examples.length === 0) throw new Error('train: no examples');
  const prepared: Prepared[] = examples.map((e) => ({ ...sparseFeatures(e.input, o.spec), dense: denseFeatures(e.input), label: e.label }));
  const { sparse, scales, dense } = fitLinear(prepared, DOMAINS.length, o);
  return { spec: o.spec, dataHash: '', temperature: 1, reviewThreshold: 0, sparse, scales, dense };
}

/** Fits the clue head on the n-grams plus the lexicon's hints (temperature 1: the caller fits it). */
export function trainClue(examples: readonly Example[], o: TrainOptions = DEFAULT_TRAIN_OPTIONS): ClueHead {
  if (examples.length === 0) throw new Error('trainClue: no examples');
  const prepared: Prepared[] = examples.map((e) => ({ ...sparseFeatures(e.input, o.spec, true), dense: denseFeatures(e.input), label: e.label }));
  return { temperature: 1, ruleBonus: 0, noneBias: 0, ...fitLinear(prepared, CLUE_KINDS.length, o) };
}

/** Multinomial logistic regression with L2 by AdaGrad over a seeded shuffle, quantised. */
function fitLinear(prepared: readonly Prepared[], D: number, o: TrainOptions): { sparse: Int8Array; scales: Float64Array; dense: Float64Array } {
  const buckets = 2 ** o.spec.bits;
  const ws = new Float64Array(buckets * D);
  const wd = new Float64Array(DENSE_SIZE * D);
  const gs = new Float64Array(buckets * D);
  const gd = new Float64Array(DENSE_SIZE * D);
  const z = new Float64Array(D);
  const rnd = seededRandom(o.seed); // the same shuffle, so the same model, on every run
  const order = prepared.map((_, i) => i);
  const eps = 1e-8;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const k of order) {
      const p = prepared[k]!;
      logits(p, ws, wd, z, D);
      const prob = softmax(z, 1);
      for (let d = 0; d < D; d++) prob[d] = prob[d]! - (d === p.label ? 1 : 0); // ∂loss/∂logit
      for (let i = 0; i < p.index.length; i++) {
        const row = p.index[i]! * D;
        const v = p.value[i]!;
        for (let d = 0; d < D; d++) {
          const w = row + d;
          const g = prob[d]! * v + o.l2 * ws[w]!;
          gs[w] = gs[w]! + g * g;
          ws[w] = ws[w]! - (o.rate * g) / Math.sqrt(gs[w]! + eps);
        }
      }
      for (let j = 0; j < DENSE_SIZE; j++) {
        const x = p.dense[j]!;
        if (x === 0) continue;
        const row = j * D;
        for (let d = 0; d < D; d++) {
          const w = row + d;
          const g = prob[d]! * x + o.l2 * wd[w]!;
          gd[w] = gd[w]! + g * g;
          wd[w] = wd[w]! - (o.rate * g) / Math.sqrt(gd[w]! + eps);
        }
      }
    }
  }
  return quantise(ws, wd, D);
}

/** int8 per class (scale = max |w| / 127); dense weights rounded to 6 significant digits (stable JSON). */
function quantise(ws: Float64Array, wd: Float64Array, D: number): { sparse: Int8Array; scales: Float64Array; dense: Float64Array } {
  const buckets = ws.length / D;
  const scales = new Float64Array(D);
  for (let d = 0; d < D; d++) {
    let max = 0;
    for (let b = 0; b < buckets; b++) max = Math.max(max, Math.abs(ws[b * D + d]!));
    scales[d] = Number((max / 127 || 1e-9).toPrecision(6));
  }
  const sparse = new Int8Array(ws.length);
  for (let b = 0; b < buckets; b++) for (let d = 0; d < D; d++) sparse[b * D + d] = Math.max(-127, Math.min(127, Math.round(ws[b * D + d]! / scales[d]!)));
  const dense = Float64Array.from(wd, (w) => Number(w.toPrecision(6)));
  return { sparse, scales, dense };
}

/** Mean negative log-likelihood of the labels under `probs(example)`. */
export function logLoss(probs: readonly Float64Array[], labels: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < probs.length; i++) s -= Math.log(Math.max(1e-12, probs[i]![labels[i]!]!));
  return s / probs.length;
}

/**
 * Temperature scaling on the calibration slice: the T (grid 0.25–8, then refined) minimising its log loss.
 * `rawLogits` are the uncalibrated logits (temperature 1) of each calibration example.
 */
export function fitTemperature(rawLogits: readonly Float64Array[], labels: readonly number[]): number {
  const loss = (t: number) =>
    logLoss(
      rawLogits.map((z) => softmax(z, t)),
      labels,
    );
  let best = 1;
  let bestLoss = Number.POSITIVE_INFINITY;
  for (let t = 0.25; t <= 8; t *= 1.1) {
    const l = loss(t);
    if (l < bestLoss) [best, bestLoss] = [t, l];
  }
  for (let t = best / 1.1; t <= best * 1.1; t *= 1.01) {
    const l = loss(t);
    if (l < bestLoss) [best, bestLoss] = [t, l];
  }
  return Number(best.toPrecision(4));
}

/** Expected calibration error over `bins` equal-width confidence bins, and the table behind it. */
export function reliability(
  confidence: readonly number[],
  correct: readonly boolean[],
  bins = 10,
): { ece: number; table: { from: number; to: number; n: number; meanConfidence: number; accuracy: number }[] } {
  const table = Array.from({ length: bins }, (_, b) => ({ from: b / bins, to: (b + 1) / bins, n: 0, meanConfidence: 0, accuracy: 0 }));
  confidence.forEach((c, i) => {
    const row = table[Math.min(bins - 1, Math.floor(c * bins))]!;
    row.n++;
    row.meanConfidence += c;
    row.accuracy += correct[i] ? 1 : 0;
  });
  let ece = 0;
  for (const row of table) {
    if (row.n === 0) continue;
    row.meanConfidence /= row.n;
    row.accuracy /= row.n;
    ece += (row.n / confidence.length) * Math.abs(row.accuracy - row.meanConfidence);
  }
  return { ece, table };
}
