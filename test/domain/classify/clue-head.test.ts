import { describe, expect, it } from 'vitest';
import { createClassifyAndRoute } from '../../../functions/domain/classify/index.js';
import { DENSE_SIZE } from '../../../functions/domain/classify/model/features.js';
import {
  decodeModel,
  encodeModel,
  predict,
  predictAll,
  predictClue,
  type ClueHead,
  type RouterModel,
} from '../../../functions/domain/classify/model/router-model.js';
import { routerModel } from '../../../functions/config/router-model.js';
import { Classifier } from '../../../functions/domain/classify/classifier.js';
import { CLUE_KINDS, DOMAINS, type ClueKind } from '../../../functions/domain/taxonomy.js';
import { lexicon } from '../../../functions/config/lexicon.js';
import { routing } from '../../../functions/config/routing.js';
import { directory } from '../../../functions/config/directory.js';
import { kindOf, t12309, t12345 } from './support.js';

const D = DOMAINS.length;
const C = CLUE_KINDS.length;
const BITS = 8;
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/**
 * A hand-built model: the domain head copies the lexicon's choice (its one-hot weighs 10), and the clue head's bias
 * prefers `favoured` whatever the text says. What it shows is how the classifier uses a clue head, not what one learns.
 */
function modelFavouring(favoured: ClueKind): RouterModel {
  const dense = new Float64Array(DENSE_SIZE * D);
  for (let d = 0; d < D; d++) dense[(D + d) * D + d] = 10;
  const clueDense = new Float64Array(DENSE_SIZE * C);
  clueDense[(2 * D + 2) * C + CLUE_KINDS.indexOf(favoured)] = 5;
  const clue: ClueHead = {
    temperature: 1,
    ruleBonus: 0,
    noneBias: 0,
    sparse: new Int8Array(2 ** BITS * C),
    scales: new Float64Array(C).fill(1),
    dense: clueDense,
  };
  return {
    spec: { bits: BITS, orders: [1] },
    dataHash: 'test',
    temperature: 1,
    reviewThreshold: 0,
    sparse: new Int8Array(2 ** BITS * D),
    scales: new Float64Array(D).fill(1),
    dense,
    clue,
  };
}

const routeWith = (favoured: ClueKind) => createClassifyAndRoute({ lexicon, routing, directory, model: modelFavouring(favoured) });
const gym = t12345('健身房突然关门跑路了，老板电话打不通，办卡的会员有三百多人，卡里的钱都退不了。要求帮忙追回预付卡余额。');
const river = t12345('村北那家化工厂晚上偷排废水，整条河都发黑发臭。已经反映多次了，到现在还在排。');

describe('the learned clue head (线索)', () => {
  it('decides the clue where taxonomy §5 allows it, and names itself and the rules in the evidence', () => {
    const d = routeWith('public_interest')(river);
    expect(d.domain).toBe('ecology_environment');
    expect(d.clue).toBe('public_interest');
    expect(kindOf(d.referralAgencyId)).toBe('procuratorate.pil');
    expect(d.evidence.some((e) => e.startsWith('clue-model:public_interest(p='))).toBe(true);
  });

  it('never gives a public-interest clue outside the PIL fields, however sure it is (a gym closing on 300 members)', () => {
    const d = routeWith('public_interest')(gym);
    expect(d.domain).toBe('consumer_market');
    expect(d.clue).toBe('none');
    expect(d.referralAgencyId).toBeNull();
  });

  it('overrules the rules in both directions: it can drop a rule’s clue and add one the rules missed', () => {
    const byRules = createClassifyAndRoute({ lexicon, routing, directory })(river);
    expect(byRules.clue).toBe('public_interest');
    const dropped = routeWith('none')(river);
    expect(dropped.clue).toBe('none');
    expect(dropped.evidence).toContain('lexicon-clue:public_interest');
    const added = routeWith('administrative_supervision')(gym);
    expect(added.clue).toBe('administrative_supervision');
    expect(kindOf(added.referralAgencyId)).toBe('procuratorate.administrative');
  });

  it('a 12309 judicial-aid clue sets the domain to judicial_affairs (taxonomy §5), as the rule does', () => {
    const d = routeWith('judicial_aid')(t12309('我儿子被人打成重伤，对方没钱赔，家里为治病欠了十几万。', 'accusation', { demand: '请求帮助。' }));
    expect(d.clue).toBe('judicial_aid');
    expect(d.domain).toBe('judicial_affairs');
    expect(kindOf(d.agencyId)).toBe('procuratorate.petition');
  });

  it('round-trips through a version-2 file; a damaged clue head is refused; a version-1 file (no head) still loads', () => {
    const m = modelFavouring('judicial_aid');
    const text = encodeModel(m, b64);
    const file = JSON.parse(text) as Record<string, unknown> & { clue: Record<string, unknown> };
    expect(file.version).toBe(2);
    const loaded = decodeModel(text, 'models/x.json', unb64);
    expect([...loaded.clue!.dense]).toEqual([...m.clue!.dense]);
    const bad = (f: unknown) => () => decodeModel(JSON.stringify(f), 'models/bad.json', unb64);
    const bytes = unb64(file.clue.sparse as string);
    bytes[3] = (bytes[3]! + 1) & 0xff;
    expect(bad({ ...file, clue: { ...file.clue, sparse: b64(bytes) } })).toThrow(/models\/bad.json: clue.checksum/);
    expect(bad({ ...file, clue: { ...file.clue, kinds: [...CLUE_KINDS].reverse() } })).toThrow(/clue kinds/);
    expect(bad({ ...file, clue: undefined })).toThrow(/clue head is missing/);
    const v1 = encodeModel({ ...m, clue: undefined }, b64);
    expect(JSON.parse(v1).version).toBe(1);
    expect(decodeModel(v1, 'models/v1.json', unb64).clue).toBeUndefined();
  });

  it('one walk for both heads gives exactly what each head gives alone (the shipped model)', () => {
    if (!routerModel?.clue) return; // the lexicon alone, or a domains-only model: nothing to compare
    const reader = new Classifier(lexicon, routing);
    for (const t of [river, gym, t12309('我儿子被人打成重伤，对方没钱赔。', 'accusation')]) {
      const input = reader.routerInput(t);
      const both = predictAll(routerModel, input);
      expect([...both.domain]).toEqual([...predict(routerModel, input)]);
      expect([...both.clue!]).toEqual([...predictClue(routerModel, input)!]);
    }
  });
});
