import { describe, expect, it } from 'vitest';
import { createClassifyAndRoute } from '../../../functions/domain/classify/index.js';
import { toSimplified } from '../../../functions/domain/classify/simplify.js';
import { lexicon } from '../../../functions/config/lexicon.js';
import { routing } from '../../../functions/config/routing.js';
import { directory } from '../../../functions/config/directory.js';
import { t12309, t12345 } from './support.js';

/** The lexicon alone, so these tests pin what normalisation gives the lexicon (the model reads the same text). */
const route = createClassifyAndRoute({ lexicon, routing, directory });

describe('traditional → simplified (繁→简) before reading', () => {
  it('converts traditional text by OpenCC’s phrases and characters, and leaves simplified text as it is (no copy)', () => {
    expect(toSimplified('樓下KTV噪音擾民，後半夜還在唱')).toBe('楼下KTV噪音扰民，后半夜还在唱');
    const simplified = '乾隆年间的古建筑被拆了，著名景点一干二净，于是我来反映';
    expect(toSimplified(simplified)).toBe(simplified);
    // a text with no traditional character is not run through the phrase dictionary, which would rewrite 一坏 as 一坯
    expect(toSimplified('河边堆了一坏土，上面还有不少垃圾')).toBe('河边堆了一坏土，上面还有不少垃圾');
  });

  it('a ticket in traditional characters is read like its simplified twin: same domain, agency and lexicon terms', () => {
    const pairs = [
      ['我們社區樓下的燒烤店每天晚上油煙很大，窗戶都不敢開，反映過好幾次了。', '我们社区楼下的烧烤店每天晚上油烟很大，窗户都不敢开，反映过好几次了。'],
      ['老闆拖欠我們三個月工資，一共兩萬多塊，一直說沒錢。', '老板拖欠我们三个月工资，一共两万多块，一直说没钱。'],
      ['小區電梯壞了半個月，物業一直不修，老人上下樓很困難。', '小区电梯坏了半个月，物业一直不修，老人上下楼很困难。'],
    ] as const;
    for (const [traditional, simplified] of pairs) {
      const a = route(t12345(traditional));
      const b = route(t12345(simplified));
      expect(a.domain).toBe(b.domain);
      expect(a.agencyId).toBe(b.agencyId);
      expect(a.domain).not.toBe('other');
      expect(a.evidence.filter((e) => e.startsWith('domain:'))).toEqual(b.evidence.filter((e) => e.startsWith('domain:')));
    }
  });

  it('converts the 12309 demand and the platform category too', () => {
    const d = route(t12309('村裡的河被上游工廠排的廢水污染了，魚都死了，一直沒人管。', 'pil_clue', { demand: '請檢察院督促環保部門依法處理。' }));
    expect(d.domain).toBe('ecology_environment');
    const hinted = route(t12345('這件事請幫忙處理一下。', { hotlineCategory: '勞動保障/工資拖欠' }));
    expect(hinted.domain).toBe('labor_wages');
  });
});
