import { describe, expect, it } from 'vitest';
import { DOMAINS } from '../../../functions/domain/taxonomy.js';
import type { RouterInput } from '../../../functions/domain/classify/model/features.js';
import { clueLogits, decodeModel, encodeModel, ModelError, predict } from '../../../functions/domain/classify/model/router-model.js';
import { fitTemperature, reliability, train, trainClue, type Example } from '../../../functions/domain/classify/model/train.js';
import { seededRandom } from '../../../functions/domain/seeded-random.js';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/**
 * A generated set: 6 domains, each with its own words, sentences made of 1–2 of its words among shared filler, and
 * every fifth sentence carrying a word of another domain as noise. Domain 0 is the most frequent (the majority class).
 */
function generated(n: number, seed: number): Example[] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const words = [
    ['排污', '黑烟', '异味', '化工'],
    ['欠薪', '工资', '包工头', '讨薪'],
    ['电梯', '物业', '漏水', '维修基金'],
    ['公交', '红绿灯', '停车', '路面'],
    ['过期', '食堂', '假药', '变质'],
    ['低保', '救助', '婚姻登记', '殡葬'],
  ];
  const filler = ['我们', '反映', '这个', '问题', '已经', '好几天', '希望', '尽快', '处理', '谢谢'];
  const domains = [0, 7, 18, 19, 3, 23]; // taxonomy indexes, for realism only
  const out: Example[] = [];
  for (let i = 0; i < n; i++) {
    const c = rnd() < 0.3 ? 0 : 1 + Math.floor(rnd() * 5);
    const parts = [pick(filler), pick(words[c]!), pick(filler), pick(filler)];
    if (rnd() < 0.5) parts.push(pick(words[c]!));
    if (i % 5 === 0) parts.push(pick(words[(c + 1) % 6]!));
    const input: RouterInput = {
      source: '12345',
      text: parts.join(''),
      category: '',
      lexiconScores: new Float64Array(DOMAINS.length),
      lexiconTop: DOMAINS.indexOf('other'),
      hints: [],
    };
    out.push({ input, label: domains[c]! });
  }
  return out;
}

const opts = { spec: { bits: 12, orders: [1, 2] }, epochs: 8, l2: 1e-5, rate: 0.4, seed: 7 };

describe('learned router', () => {
  const trainSet = generated(600, 1);
  const testSet = generated(300, 2);
  const model = train(trainSet, opts);

  it('beats the majority class by a wide margin on held-out generated tickets', () => {
    const counts = new Map<number, number>();
    for (const e of trainSet) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
    const majority = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    const majorityAccuracy = testSet.filter((e) => e.label === majority).length / testSet.length;
    const argmax = (p: Float64Array) => p.indexOf(Math.max(...p));
    const accuracy = testSet.filter((e) => argmax(predict(model, e.input)) === e.label).length / testSet.length;
    expect(majorityAccuracy).toBeLessThan(0.4);
    expect(accuracy).toBeGreaterThan(0.9);
    expect(accuracy - majorityAccuracy).toBeGreaterThan(0.5);
  });

  it('trains to the same bytes from the same data and seed, and to other bytes from another seed', () => {
    const again = encodeModel(train(trainSet, opts), b64);
    expect(again).toBe(encodeModel(model, b64));
    expect(encodeModel(train(trainSet, { ...opts, seed: 8 }), b64)).not.toBe(again);
  });

  it('round-trips through its file and predicts the same', () => {
    const text = encodeModel({ ...model, temperature: 0.8, reviewThreshold: 0.55, dataHash: 'abc' }, b64);
    const loaded = decodeModel(text, 'models/x.json', unb64);
    expect(loaded.temperature).toBe(0.8);
    expect(loaded.reviewThreshold).toBe(0.55);
    expect([...predict(loaded, testSet[0]!.input)]).toEqual([...predict({ ...model, temperature: 0.8 }, testSet[0]!.input)]);
  });

  it('rejects a damaged or foreign file with a clear error naming the file', () => {
    const text = encodeModel(model, b64);
    const file = JSON.parse(text) as Record<string, unknown>;
    const bad = (f: Record<string, unknown>) => () => decodeModel(JSON.stringify(f), 'models/bad.json', unb64);
    expect(() => decodeModel(text.slice(0, text.length / 2), 'models/bad.json', unb64)).toThrow(/models\/bad.json: not JSON/);
    expect(bad({ ...file, format: 'other' })).toThrow(ModelError);
    expect(bad({ ...file, domains: [...DOMAINS].reverse() })).toThrow(/taxonomy domains/);
    const s = file.sparse as string;
    expect(bad({ ...file, sparse: s.slice(0, s.length - 8) })).toThrow(/truncated or damaged/);
    // one weight changed: same length, checksum differs
    const bytes = unb64(s);
    bytes[17] = (bytes[17]! + 1) & 0xff;
    expect(bad({ ...file, sparse: b64(bytes) })).toThrow(/checksum/);
    expect(bad({ ...file, temperature: 0 })).toThrow(/temperature/);
  });

  it("trains a clue head that learns from the words and from the lexicon's hints", () => {
    // clue kind by the generated domain's words (0–2 → kinds 1–3), and kind 4 only from a hint the text never shows
    const kindOf = (e: Example, i: number) => (i % 7 === 0 ? 4 : e.label === 0 ? 1 : e.label === 7 ? 2 : e.label === 18 ? 3 : 0);
    const withHint = (e: Example, i: number): Example => ({
      input: { ...e.input, hints: i % 7 === 0 ? [['cue:crime_victim', 1]] : [] },
      label: kindOf(e, i),
    });
    const train2 = trainSet.map(withHint);
    const test2 = testSet.map(withHint);
    const head = trainClue(train2, opts);
    const argmax = (z: Float64Array) => z.indexOf(Math.max(...z));
    const right = test2.filter((e) => argmax(clueLogits(head, opts.spec, e.input)) === e.label).length / test2.length;
    const none = test2.filter((e) => e.label === 0).length / test2.length;
    expect(none).toBeLessThan(0.6);
    expect(right).toBeGreaterThan(0.9);
    const hinted = test2.filter((e) => e.label === 4);
    expect(hinted.every((e) => argmax(clueLogits(head, opts.spec, e.input)) === 4)).toBe(true);
  });

  it('fits a temperature: above 1 for over-confident logits, below 1 for timid ones', () => {
    // right 70 % of the time, whatever the margin
    const labels = Array.from({ length: 200 }, (_, i) => i % 3);
    const logitsWith = (margin: number) =>
      labels.map((label, i) => {
        const z = new Float64Array(3);
        z[i % 10 < 7 ? label : (label + 1) % 3] = margin;
        return z;
      });
    expect(fitTemperature(logitsWith(10), labels)).toBeGreaterThan(3);
    expect(fitTemperature(logitsWith(0.3), labels)).toBeLessThan(1);
    const { ece, table } = reliability([0.95, 0.95, 0.95, 0.95, 0.15], [true, false, false, false, false]);
    expect(table[9]!.n).toBe(4);
    expect(ece).toBeCloseTo((4 / 5) * Math.abs(0.25 - 0.95) + (1 / 5) * 0.15, 6);
  });
});
