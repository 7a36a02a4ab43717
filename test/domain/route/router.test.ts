import { describe, it, expect } from 'vitest';
import routingJson from '../../../config/routing.json' with { type: 'json' };
import { createClassifyAndRoute } from '../../../functions/domain/classify/index.js';
import { classifyAndRoute } from '../../../functions/config/classify.js';
import { loadRoutingTable } from '../../../functions/domain/route/routing-table-schema.js';
import { lexicon } from '../../../functions/config/lexicon.js';
import { directory } from '../../../functions/config/directory.js';
import { routing as deployedRouting } from '../../../functions/config/routing.js';
import { Router } from '../../../functions/domain/route/router.js';
import type { Classification } from '../../../functions/domain/classify/index.js';
import { t12345, t12309, kindOf } from '../classify/support.js';

describe('router: overrides (taxonomy §4)', () => {
  it('a KTV that let in a 16-year-old and served him alcohol: the venue rule wins → culture-tourism', () => {
    const d = classifyAndRoute(t12345('我儿子才16岁，昨晚跟同学去了一家KTV，KTV不但让进包间，还给他们上了一打啤酒，喝到凌晨两点。'));
    expect(d.domain).toBe('minors_protection');
    expect(kindOf(d.agencyId)).toBe('culture-tourism');
    expect(d.evidence).toContain('route:override:minors-venue');
  });

  it('beer sold to a minor in a shop → market-regulation', () => {
    const d = classifyAndRoute(t12345('我儿子今年15岁，小区门口便利店卖给他一打啤酒，店员也不问年龄。卖酒给未成年人不违法吗？'));
    expect(kindOf(d.agencyId)).toBe('market-regulation');
  });

  it('cigarettes sold to pupils, in other words (整包的烟卖给…学生) → market-regulation', () => {
    const d = classifyAndRoute(t12345('村口超市把整包的烟卖给几个初二学生，学生才十三四岁，老板说不卖别人也会卖。', { type: 'report' }));
    expect(d.domain).toBe('minors_protection');
    expect(kindOf(d.agencyId)).toBe('market-regulation');
    expect(d.evidence).toContain('route:override:minors-tobacco-alcohol');
  });

  it('medical-insurance reimbursement → medical-security; pensions stay with hr-social-security', () => {
    expect(kindOf(classifyAndRoute(t12345('我父亲住院花了三万，医保报销比例怎么这么低？异地就医备案怎么办？')).agencyId)).toBe('medical-security');
    expect(kindOf(classifyAndRoute(t12345('我明年退休，养老保险交了二十年，养老金怎么算？')).agencyId)).toBe('hr-social-security');
  });

  it('a missing wheelchair ramp → housing-construction', () => {
    const d = classifyAndRoute(t12345('我坐轮椅，小区改造后单元门口只剩台阶，原来的坡道没了，请求加装无障碍坡道。'));
    expect(d.domain).toBe('elderly_disability');
    expect(kindOf(d.agencyId)).toBe('housing-construction');
  });
});

describe('router: judicial sub-routes (taxonomy §6)', () => {
  const cases: [string, string, string, Record<string, unknown>][] = [
    [
      '民间借贷纠纷二审判决认定事实错误，申请再审被驳回。',
      'appeal',
      'procuratorate.civil',
      { demand: '请求对该民事判决进行监督。', respondent: { kind: 'court' } },
    ],
    ['法院以超过起诉期限为由裁定驳回我的行政诉讼，二审维持。', 'appeal', 'procuratorate.administrative', { respondent: { kind: 'court' } }],
    [
      '我被人打成轻伤二级，派出所一直不立案，也不给不予立案通知书。',
      'accusation',
      'procuratorate.criminal',
      { demand: '请求监督公安机关立案。', respondent: { kind: 'police' } },
    ],
    ['我被羁押97天后检察院作出不起诉决定，现申请国家赔偿。', 'state_compensation', 'procuratorate.petition', {}],
  ];
  for (const [content, matterType, kind, extra] of cases) {
    it(`${matterType}: ${content.slice(0, 12)}… → ${kind}`, () => {
      const d = classifyAndRoute(t12309(content, matterType, extra));
      expect(d.domain).toBe('judicial_affairs');
      expect(kindOf(d.agencyId)).toBe(kind);
      expect(d.transfer).toBe(false);
      expect(d.referralAgencyId).toBeNull();
    });
  }

  it('12345: a court’s stalled civil enforcement goes to the procuratorate’s civil department', () => {
    const d = classifyAndRoute(t12345('我打赢了官司，申请执行一年半，执行法官换了两个，一分没执行到。'));
    expect(d.domain).toBe('judicial_affairs');
    expect(kindOf(d.agencyId)).toBe('procuratorate.civil');
  });
});

describe('router: 12309 rules', () => {
  it('a matter that belongs to the government is transferred to its agency', () => {
    const d = classifyAndRoute(
      t12309('我们楼前的公共绿地被一楼住户用砖垒了个小房子，还通了电，大家都有意见。', 'report', {
        demand: '请求拆掉违章小房子，恢复绿地。',
        regionCode: '150304',
      }),
    );
    expect(d.domain).toBe('urban_management');
    expect(d.agencyId).toBe('150304:urban-management');
    expect(d.transfer).toBe(true);
    expect(d.referralAgencyId).toBeNull();
  });

  it('a public-interest clue goes to the PIL department, not transferred', () => {
    const d = classifyAndRoute(
      t12309('黄河岸边河道管理范围内有人长期堆放砂石料，还盖了彩钢房，占了一大片滩地，汛期会挡住行洪。', 'pil_clue', { demand: '请督促水务部门清理。' }),
    );
    expect(d.clue).toBe('public_interest');
    expect(d.agencyId).toBe('150300:procuratorate.pil');
    expect(d.transfer).toBe(false);
    expect(d.referralAgencyId).toBeNull();
  });

  it('a minor with no clue stays with the minors department', () => {
    const d = classifyAndRoute(
      t12309('我女儿上四年级，被同班三个女生长期孤立、辱骂，还被按在水池里拍视频。', 'report', { demand: '要求学校严肃处理，保护孩子。' }),
    );
    expect(d.domain).toBe('minors_protection');
    expect(kindOf(d.agencyId)).toBe('procuratorate.minors');
  });

  it('the region is regionCode, else procuratorateCode', () => {
    const content = '我在超市买的奶粉过期了，超市只给换一罐，我要十倍赔偿。';
    expect(classifyAndRoute(t12309(content, 'report', { regionCode: '620300', procuratorateCode: '620300' })).agencyId).toBe('620300:market-regulation');
    expect(classifyAndRoute(t12309(content, 'report', { procuratorateCode: '371425' })).agencyId).toBe('371425:market-regulation');
  });
});

describe('router: regions, referrals and review', () => {
  it('a district without the agency falls back to its city, and says so', () => {
    const d = classifyAndRoute(t12345('我们整个小区从昨天中午停水到现在，自来水公司电话一直占线。', { regionCode: '150302' }));
    expect(d.agencyId).toBe('150300:water-resources');
    expect(d.evidence).toContain('region-fallback:150300');
  });

  it('an agency the district has is used without fallback', () => {
    const d = classifyAndRoute(t12345('楼下川菜馆的排烟管对着我家窗户，油烟往屋里灌。', { regionCode: '150302' }));
    expect(d.agencyId).toBe('150302:ecology-environment');
    expect(d.evidence.some((e) => e.startsWith('region-fallback:'))).toBe(false);
  });

  it('a 12345 clue adds a referral to the procuratorate department; no clue, no referral', () => {
    const withClue = classifyAndRoute(t12345('学校后门的几家小超市长期向学生卖烟，一根一根卖，打过电话给市场监管，来查的时候藏起来，过后照卖。'));
    expect(withClue.clue).toBe('public_interest');
    expect(kindOf(withClue.agencyId)).toBe('market-regulation');
    expect(withClue.referralAgencyId).toBe('150300:procuratorate.minors');
    expect(classifyAndRoute(t12345('个税汇算退税提交三个礼拜了还在审核中，多久到账？')).referralAgencyId).toBeNull();
  });

  it('a ticket that cannot be placed goes to the dispatch-center for a person', () => {
    const d = classifyAndRoute(t12345('来电人情绪激动，未说明具体事项，随后挂断电话。'));
    expect(d.domain).toBe('other');
    expect(d.needsReview).toBe(true);
    expect(kindOf(d.agencyId)).toBe('dispatch-center');
  });

  it('needsReview sends the ticket to the dispatch-center and keeps the best guess in the evidence', () => {
    const strict = loadRoutingTable({ ...structuredClone(routingJson), review: { agency: 'dispatch-center', minConfidence: 0.9999 } }, 'test', (k) =>
      directory.hasKind(k),
    );
    const route = createClassifyAndRoute({ lexicon, routing: strict, directory });
    const d = route(t12345('滨河路的垃圾桶三天没人清了，臭得没法走路。', { regionCode: '150303' }));
    expect(d.needsReview).toBe(true);
    expect(d.agencyId).toBe('150300:dispatch-center');
    expect(d.evidence.some((e) => e.startsWith('best-guess:150303:urban-management('))).toBe(true);
  });

  it('the review threshold is data: a decision at or above minConfidence is auto-routed, below it is flagged', () => {
    const text = '我家楼下新开了一家烧烤店，油烟直接往楼上窜，窗户都不敢开。';
    const p = createClassifyAndRoute({ lexicon, routing: deployedRouting, directory })(t12345(text)).confidence;
    // Decision.confidence is rounded to 3 decimals: compare just either side of it.
    expect(p).toBeGreaterThan(0.05);
    expect(p).toBeLessThan(0.99);
    const at = (min: number) =>
      createClassifyAndRoute({
        lexicon,
        routing: loadRoutingTable({ ...structuredClone(routingJson), review: { agency: 'dispatch-center', minConfidence: min } }, 'test', (k) =>
          directory.hasKind(k),
        ),
        directory,
      })(t12345(text));
    expect(at(p - 0.001).needsReview).toBe(false);
    expect(at(p + 0.002).needsReview).toBe(true);
  });

  it('the deployed review threshold is 0.6 (measured on blind-v3/tune-v3: 0.65 flagged more right tickets at the same misroute rate)', () => {
    expect(routingJson.review.minConfidence).toBe(0.6);
  });
});

describe('router: with a learned router', () => {
  const router = new Router(deployedRouting, directory);
  const ticket = t12345('小区门口的烧烤摊半夜还在营业，油烟和噪音扰民。', { regionCode: '150302' });
  const classification = (c: Partial<Classification>): Classification => ({
    domain: 'urban_management',
    ticketType: 'complaint',
    typeOverruled: false,
    clue: 'none',
    urgency: 'normal',
    noMatter: false,
    confidence: 0.8,
    alternatives: [
      { domain: 'urban_management', p: 0.8 },
      { domain: 'ecology_environment', p: 0.2 },
    ],
    terms: new Set(),
    evidence: [],
    ...c,
  });

  it("takes the model's review threshold instead of the routing table's", () => {
    expect(router.route(ticket, classification({ lexiconDomain: 'urban_management', reviewThreshold: 0.7 })).needsReview).toBe(false);
    expect(router.route(ticket, classification({ lexiconDomain: 'urban_management', reviewThreshold: 0.85 })).needsReview).toBe(true);
    // without a model the routing table's threshold (0.6) applies
    expect(router.route(ticket, classification({ confidence: 0.8 })).needsReview).toBe(false);
  });

  it('flags a ticket the lexicon alone would send to another agency, and says why', () => {
    const d = router.route(ticket, classification({ lexiconDomain: 'ecology_environment', reviewThreshold: 0.1 }));
    expect(d.needsReview).toBe(true);
    expect(d.agencyId).toBe('150300:dispatch-center');
    expect(d.evidence).toContain('review:lexicon-model-disagree(ecology_environment)');
    // a lexicon domain with the same agency is no disagreement
    expect(router.route(ticket, classification({ lexiconDomain: 'urban_management', reviewThreshold: 0.1 })).needsReview).toBe(false);
  });

  it("sends a disagreement to review only when the lexicon is as sure of its agency as the model's level asks", () => {
    // the lexicon's own distribution: 70 % on ecology (another agency), the rest on the model's urban management
    const lexiconAlternatives = [
      { domain: 'ecology_environment' as const, p: 0.7 },
      { domain: 'urban_management' as const, p: 0.3 },
    ];
    const unsure = router.route(
      ticket,
      classification({ lexiconDomain: 'ecology_environment', lexiconAlternatives, reviewThreshold: 0.1, disagreeMinConfidence: 0.8 }),
    );
    expect(unsure.needsReview).toBe(false);
    expect(unsure.agencyId).toBe('150302:urban-management');
    expect(unsure.evidence.some((e) => e.startsWith('review:'))).toBe(false);
    const sure = router.route(
      ticket,
      classification({ lexiconDomain: 'ecology_environment', lexiconAlternatives, reviewThreshold: 0.1, disagreeMinConfidence: 0.7 }),
    );
    expect(sure.needsReview).toBe(true);
    expect(sure.evidence).toContain('review:lexicon-model-disagree(ecology_environment)');
  });
});
