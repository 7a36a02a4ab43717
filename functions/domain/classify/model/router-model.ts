/**
 * The learned router (路由模型): a multinomial logistic regression over domains, on the hashed n-grams and lexicon
 * features of `features.ts`, with a temperature calibrated on a slice that training set aside and the review
 * threshold chosen on that slice. `npm run train` writes it; the classifier combines it with the lexicon.
 *
 * The artifact is one JSON file (`models/router-<date>.json`): a header, the dense weights as numbers, and the sparse
 * weights quantised to int8 per domain (scale × byte), base64. A checksum over the weights catches a truncated or
 * edited file. Parsing takes a base64 decoder so this module stays free of Node APIs.
 */
import { CLUE_KINDS, DOMAINS } from '../../taxonomy.js';
import { DENSE_SIZE, denseFeatures, forEachHint, forEachNgram, occurrenceWeight, type FeatureSpec, type RouterInput } from './features.js';

export const MODEL_FORMAT = 'hotline-router-model';
/** 2 adds the clue head; a version-1 file (domains only) still loads, and the lexicon's clue rules then decide clues. */
export const MODEL_VERSION = 2;
const READABLE_VERSIONS: readonly number[] = [1, 2];

export class ModelError extends Error {
  constructor(where: string, problem: string) {
    super(`router model ${where}: ${problem}`);
    this.name = 'ModelError';
  }
}

export interface RouterModel {
  spec: FeatureSpec;
  /** SHA-256 of the training data (hex), as the model card gives it. */
  dataHash: string;
  /** Softmax temperature fitted on the calibration slice (logits ÷ temperature). */
  temperature: number;
  /** Below this calibrated probability of its route, a ticket goes to review (chosen on the calibration slice). */
  reviewThreshold: number;
  /**
   * When the lexicon alone would send the ticket to another agency, the ticket goes to review only if the lexicon
   * gives that agency at least this probability (chosen on the calibration slice with the threshold). Absent (files
   * before it): 0, every disagreement goes to review.
   */
  disagreeMinConfidence?: number;
  /** [bucket × domain] int8 and one scale per domain. */
  sparse: Int8Array;
  scales: Float64Array;
  /** [dense feature × domain]. */
  dense: Float64Array;
  /** The clue head (线索): P(clue kind) from the same n-grams plus the lexicon's hints. Absent in a version-1 file. */
  clue?: ClueHead;
}

/** A linear head over clue kinds (taxonomy order, `none` first): weights laid out like the domain head's. */
export interface ClueHead {
  temperature: number;
  /**
   * The choice among kinds adds these to log P(kind), both fitted on the calibration slice: `ruleBonus` to the kind the
   * lexicon's clue rules chose (the rules know phrasings the corpus may lack), `noneBias` to `none`.
   */
  ruleBonus: number;
  noneBias: number;
  /** [bucket × kind] int8 and one scale per kind. */
  sparse: Int8Array;
  scales: Float64Array;
  /** [dense feature × kind]. */
  dense: Float64Array;
}

const D = DOMAINS.length;
const C = CLUE_KINDS.length;

/** z += x · weights, for a head with z.length classes ([dense feature × class] weights); zero features skipped. */
function addDense(z: Float64Array, x: Float64Array, weights: Float64Array): void {
  const k = z.length;
  for (let j = 0; j < DENSE_SIZE; j++) {
    const xj = x[j]!;
    if (xj === 0) continue;
    const row = j * k;
    for (let c = 0; c < k; c++) z[c] = z[c]! + xj * weights[row + c]!;
  }
}

/** acc += each hint's value × its bucket's clue weights (the clue head's extra features). */
function addHints(acc: Float64Array, input: RouterInput, spec: FeatureSpec, sparse: Int8Array): void {
  forEachHint(input, spec, (bucket, v) => {
    const row = bucket * C;
    for (let c = 0; c < C; c++) acc[c] = acc[c]! + v * sparse[row + c]!;
  });
}

/** The model's logits for one ticket (before the temperature). */
export function modelLogits(model: RouterModel, input: RouterInput): Float64Array {
  const { sparse, scales, dense } = model;
  // Hot path (every ticket): walk the n-grams straight into per-domain sums, no sparse vector built. The sums of int8
  // weights are integers: an Int32Array adds them without converting each to a double (the same values, exactly).
  const acc = new Int32Array(D);
  const total = forEachNgram(input, model.spec, (bucket) => {
    const row = bucket * D;
    for (let d = 0; d < D; d++) acc[d] = acc[d]! + sparse[row + d]!;
  });
  const w = occurrenceWeight(total);
  const z = new Float64Array(D);
  for (let d = 0; d < D; d++) z[d] = acc[d]! * w * scales[d]!;
  addDense(z, denseFeatures(input), dense);
  return z;
}

/** Calibrated P(domain) for one ticket. */
export function predict(model: RouterModel, input: RouterInput): Float64Array {
  return softmax(modelLogits(model, input), model.temperature);
}

/** The clue head's logits for one ticket (before its temperature): n-grams, then hints, then dense features. */
export function clueLogits(head: ClueHead, spec: FeatureSpec, input: RouterInput): Float64Array {
  const { sparse, scales, dense } = head;
  const sums = new Int32Array(C);
  const total = forEachNgram(input, spec, (bucket) => {
    const row = bucket * C;
    for (let c = 0; c < C; c++) sums[c] = sums[c]! + sparse[row + c]!;
  });
  const w = occurrenceWeight(total);
  const acc = new Float64Array(C);
  for (let c = 0; c < C; c++) acc[c] = sums[c]! * w;
  addHints(acc, input, spec, sparse);
  const z = new Float64Array(C);
  for (let c = 0; c < C; c++) z[c] = acc[c]! * scales[c]!;
  addDense(z, denseFeatures(input), dense);
  return z;
}

/** A bucket's domain and clue weights side by side: 27 + 5 = 32 bytes, one cache line read per n-gram instead of two. */
const J = D + C;
/** Built once per (domain weights, clue head) pair, on the first ticket: 0.5 MB, about a millisecond. */
const jointCache = new WeakMap<ClueHead, { domainWeights: Int8Array; joint: Int8Array }>();
function jointRows(model: RouterModel, head: ClueHead): Int8Array {
  const cached = jointCache.get(head);
  if (cached && cached.domainWeights === model.sparse) return cached.joint;
  const buckets = head.sparse.length / C;
  const joint = new Int8Array(buckets * J);
  for (let b = 0; b < buckets; b++) {
    joint.set(model.sparse.subarray(b * D, b * D + D), b * J);
    joint.set(head.sparse.subarray(b * C, b * C + C), b * J + D);
  }
  jointCache.set(head, { domainWeights: model.sparse, joint });
  return joint;
}

/**
 * Calibrated P(domain) and, with a clue head, P(clue kind) for one ticket: what `predict` and `predictClue` give, from
 * one walk over the n-grams (the hot path: each n-gram is hashed once for both heads).
 */
export function predictAll(model: RouterModel, input: RouterInput): { domain: Float64Array; clue: Float64Array | undefined } {
  const head = model.clue;
  if (!head) return { domain: predict(model, input), clue: undefined };
  const { scales, dense } = model;
  const joint = jointRows(model, head);
  const acc = new Int32Array(D);
  const csums = new Int32Array(C);
  const total = forEachNgram(input, model.spec, (bucket) => {
    const row = bucket * J;
    for (let d = 0; d < D; d++) acc[d] = acc[d]! + joint[row + d]!;
    for (let c = 0; c < C; c++) csums[c] = csums[c]! + joint[row + D + c]!;
  });
  const w = occurrenceWeight(total);
  const cacc = new Float64Array(C);
  for (let c = 0; c < C; c++) cacc[c] = csums[c]! * w;
  addHints(cacc, input, model.spec, head.sparse);
  const z = new Float64Array(D);
  for (let d = 0; d < D; d++) z[d] = acc[d]! * w * scales[d]!;
  const zc = new Float64Array(C);
  for (let c = 0; c < C; c++) zc[c] = cacc[c]! * head.scales[c]!;
  const x = denseFeatures(input);
  addDense(z, x, dense);
  addDense(zc, x, head.dense);
  return { domain: softmax(z, model.temperature), clue: softmax(zc, head.temperature) };
}

/** Calibrated P(clue kind) for one ticket, or undefined for a model without a clue head. */
export function predictClue(model: RouterModel, input: RouterInput): Float64Array | undefined {
  return model.clue ? softmax(clueLogits(model.clue, model.spec, input), model.clue.temperature) : undefined;
}

export function softmax(z: Float64Array, temperature: number): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of z) if (v > max) max = v;
  const p = new Float64Array(z.length);
  let sum = 0;
  for (let d = 0; d < z.length; d++) {
    p[d] = Math.exp((z[d]! - max) / temperature);
    sum += p[d]!;
  }
  for (let d = 0; d < z.length; d++) p[d] = p[d]! / sum;
  return p;
}

/** FNV-1a over the quantised weights and the dense weights' text: detects a damaged file, not an attack. */
export function weightsChecksum(sparse: Int8Array, scales: readonly number[], dense: readonly number[]): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < sparse.length; i++) h = Math.imul(h ^ (sparse[i]! & 0xff), 0x01000193);
  for (const ch of JSON.stringify([scales, dense])) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The clue head in the file: like the domain weights, with its own checksum. */
export interface ClueHeadFile {
  kinds: string[];
  temperature: number;
  ruleBonus: number;
  noneBias: number;
  scales: number[];
  dense: number[];
  sparse: string;
  checksum: string;
}

/** The file's JSON shape. */
export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: number;
  domains: string[];
  features: FeatureSpec;
  dataHash: string;
  temperature: number;
  reviewThreshold: number;
  disagreeMinConfidence?: number;
  scales: number[];
  dense: number[];
  sparse: string;
  checksum: string;
  clue?: ClueHeadFile;
}

export function encodeModel(m: RouterModel, encodeBase64: (bytes: Uint8Array) => string): string {
  const scales = [...m.scales];
  const dense = [...m.dense];
  const file: ModelFile = {
    format: MODEL_FORMAT,
    version: m.clue ? MODEL_VERSION : 1, // a file without a clue head is a version-1 file
    domains: [...DOMAINS],
    features: m.spec,
    dataHash: m.dataHash,
    temperature: m.temperature,
    reviewThreshold: m.reviewThreshold,
    ...(m.disagreeMinConfidence !== undefined ? { disagreeMinConfidence: m.disagreeMinConfidence } : {}),
    scales,
    dense,
    sparse: encodeBase64(new Uint8Array(m.sparse.buffer, m.sparse.byteOffset, m.sparse.byteLength)),
    checksum: weightsChecksum(m.sparse, scales, dense),
  };
  if (m.clue) {
    const h = m.clue;
    const clueScales = [...h.scales];
    const clueDense = [...h.dense];
    file.clue = {
      kinds: [...CLUE_KINDS],
      temperature: h.temperature,
      ruleBonus: h.ruleBonus,
      noneBias: h.noneBias,
      scales: clueScales,
      dense: clueDense,
      sparse: encodeBase64(new Uint8Array(h.sparse.buffer, h.sparse.byteOffset, h.sparse.byteLength)),
      checksum: weightsChecksum(h.sparse, clueScales, clueDense),
    };
  }
  return `${JSON.stringify(file)}\n`;
}

/**
 * Parses and checks a model file; every problem is a `ModelError` naming the file and what is wrong. `verify: false`
 * skips only the checksum over every weight (a loop over megabytes, at cold start): for a file that `cdk synth` has
 * already verified and that ships inside the deployment package.
 */
export function decodeModel(text: string, where: string, decodeBase64: (s: string) => Uint8Array, verify = true): RouterModel {
  let f: Partial<ModelFile>;
  try {
    f = JSON.parse(text) as Partial<ModelFile>;
  } catch (e) {
    throw new ModelError(where, `not JSON (${(e as Error).message})`);
  }
  const fail = (problem: string): never => {
    throw new ModelError(where, problem);
  };
  if (f.format !== MODEL_FORMAT) fail(`format must be "${MODEL_FORMAT}", got ${JSON.stringify(f.format)}`);
  if (!READABLE_VERSIONS.includes(f.version as number))
    fail(`version ${JSON.stringify(f.version)} is not supported (this code reads ${READABLE_VERSIONS.join(' and ')})`);
  if (JSON.stringify(f.domains) !== JSON.stringify(DOMAINS)) fail('its domains are not the taxonomy domains in taxonomy order: retrain it');
  const spec = f.features;
  if (!spec || !Number.isInteger(spec.bits) || spec.bits < 8 || spec.bits > 22) fail('features.bits must be an integer 8–22');
  if (!Array.isArray(spec!.orders) || spec!.orders.length === 0 || !spec!.orders.every((n) => Number.isInteger(n) && n >= 1 && n <= 5))
    fail('features.orders must list n-gram orders 1–5');
  if (typeof f.dataHash !== 'string') fail('dataHash is missing');
  if (typeof f.temperature !== 'number' || !(f.temperature > 0)) fail('temperature must be a positive number');
  if (typeof f.reviewThreshold !== 'number' || !(f.reviewThreshold >= 0 && f.reviewThreshold <= 1)) fail('reviewThreshold must be within 0–1');
  const dmc = f.disagreeMinConfidence;
  if (dmc !== undefined && (typeof dmc !== 'number' || !(dmc >= 0 && dmc <= 1))) fail('disagreeMinConfidence must be within 0–1');
  if (!Array.isArray(f.scales) || f.scales.length !== D || !f.scales.every(Number.isFinite)) fail(`scales must be ${D} numbers`);
  if (!Array.isArray(f.dense) || f.dense.length !== DENSE_SIZE * D || !f.dense.every(Number.isFinite)) fail(`dense must be ${DENSE_SIZE * D} numbers`);
  if (typeof f.sparse !== 'string') fail('sparse weights are missing');
  const bytes = decodeBase64(f.sparse!);
  const expected = 2 ** spec!.bits * D;
  if (bytes.length !== expected) fail(`sparse weights hold ${bytes.length} bytes, expected ${expected} (2^bits × domains): the file is truncated or damaged`);
  const sparse = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  if (verify && weightsChecksum(sparse, f.scales!, f.dense!) !== f.checksum)
    fail('checksum does not match the weights: the file is damaged or was edited by hand');
  const clue = f.version === 1 ? undefined : decodeClueHead(f.clue, 2 ** spec!.bits, fail, decodeBase64, verify);
  return {
    spec: { bits: spec!.bits, orders: [...spec!.orders] },
    dataHash: f.dataHash!,
    temperature: f.temperature!,
    reviewThreshold: f.reviewThreshold!,
    ...(dmc !== undefined ? { disagreeMinConfidence: dmc } : {}),
    sparse,
    scales: Float64Array.from(f.scales!),
    dense: Float64Array.from(f.dense!),
    ...(clue ? { clue } : {}),
  };
}

function decodeClueHead(
  h: Partial<ClueHeadFile> | undefined,
  buckets: number,
  fail: (problem: string) => never,
  decodeBase64: (s: string) => Uint8Array,
  verify: boolean,
): ClueHead {
  if (!h || typeof h !== 'object') return fail('clue head is missing (a version-2 file has one)');
  if (JSON.stringify(h.kinds) !== JSON.stringify(CLUE_KINDS)) fail('clue.kinds are not the taxonomy clue kinds in taxonomy order: retrain it');
  if (typeof h.temperature !== 'number' || !(h.temperature > 0)) fail('clue.temperature must be a positive number');
  if (!Number.isFinite(h.ruleBonus) || !Number.isFinite(h.noneBias)) fail('clue.ruleBonus and clue.noneBias must be numbers');
  if (!Array.isArray(h.scales) || h.scales.length !== C || !h.scales.every(Number.isFinite)) fail(`clue.scales must be ${C} numbers`);
  if (!Array.isArray(h.dense) || h.dense.length !== DENSE_SIZE * C || !h.dense.every(Number.isFinite)) fail(`clue.dense must be ${DENSE_SIZE * C} numbers`);
  if (typeof h.sparse !== 'string') fail('clue.sparse weights are missing');
  const bytes = decodeBase64(h.sparse!);
  if (bytes.length !== buckets * C)
    fail(`clue.sparse holds ${bytes.length} bytes, expected ${buckets * C} (2^bits × clue kinds): the file is truncated or damaged`);
  const sparse = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  if (verify && weightsChecksum(sparse, h.scales!, h.dense!) !== h.checksum)
    fail('clue.checksum does not match the clue weights: the file is damaged or was edited by hand');
  return {
    temperature: h.temperature!,
    ruleBonus: h.ruleBonus!,
    noneBias: h.noneBias!,
    sparse,
    scales: Float64Array.from(h.scales!),
    dense: Float64Array.from(h.dense!),
  };
}
