import { describe, it, expect } from 'vitest';
import lexiconJson from '../../../config/lexicon.json' with { type: 'json' };
import { createClassifyAndRoute } from '../../../functions/domain/classify/index.js';
import { lexicon } from '../../../functions/config/lexicon.js';
import { loadLexicon } from '../../../functions/domain/classify/lexicon-schema.js';
import { routing } from '../../../functions/config/routing.js';
import { directory } from '../../../functions/config/directory.js';
import { t12345, t12309, kindOf } from './support.js';

/**
 * The lexicon stages alone (no learned router): these tests pin what the lexicon reads in a text. The learned router
 * on top (router-model.test.ts, the decisions snapshot) may decide otherwise; docs/classifier.md says where.
 */
const classifyAndRoute = createClassifyAndRoute({ lexicon, routing, directory });

describe('classifier: reading the text', () => {
  it('negation: "不是噪音的事，是工资一直不发" is about wages, not noise', () => {
    const d = classifyAndRoute(t12345('我反映的不是噪音的事，是工资一直不发，老板欠了我们三个月的工资。', { hotlineCategory: '噪声扰民' }));
    expect(d.domain).toBe('labor_wages');
    expect(d.evidence).toContain('context:negation');
  });

  it('a long preamble does not outweigh the actual request', () => {
    const d = classifyAndRoute(
      t12345(
        '我是前年从外地调过来工作的，家里老人孩子都跟过来了，孩子在附近上小学，平时上下班坐公交，小区物业也还行，' +
          '就是最近家里事多。今天打电话主要是想问一下：我母亲的医保能不能转到这边来，在这边住院怎么报销？',
      ),
    );
    expect(d.domain).toBe('social_insurance');
    expect(kindOf(d.agencyId)).toBe('medical-security');
  });

  it('two problems: the one the caller asks about decides', () => {
    const d = classifyAndRoute(t12345('拉货的大车把村里的路压坏了，路的事先放放，主要要求解决砂石厂半夜破碎机的噪音，让他们夜里停工。'));
    expect(d.domain).toBe('ecology_environment');
  });

  it('a wrong hotlineCategory is only a hint', () => {
    const d = classifyAndRoute(
      t12345('我在电子税务局交灵活就业养老保险，一直提示参保信息不存在，再不交就断缴了，影响退休年限，到底谁管？', { hotlineCategory: '税务' }),
    );
    expect(d.domain).toBe('social_insurance');
    expect(kindOf(d.agencyId)).toBe('hr-social-security');
  });

  it('understands an indirect description (a ditch whose water turned black and smells)', () => {
    const d = classifyAndRoute(t12345('村东那条沟里的水这半年越来越黑，一股臭味，沟里的鱼都翻白了，上游就是一个养殖场。'));
    expect(d.domain).toBe('ecology_environment');
    expect(kindOf(d.agencyId)).toBe('ecology-environment');
  });

  it('overrules the recorded type when the text clearly is a consultation, and says so', () => {
    const d = classifyAndRoute(t12345('请问婚姻登记处周六上班吗？需要提前预约吗？', { type: 'help' }));
    expect(d.ticketType).toBe('consultation');
    expect(d.typeOverruled).toBe(true);
    expect(d.evidence.some((e) => e.startsWith('type:help->consultation'))).toBe(true);
  });

  it('keeps the 12309 matter type', () => {
    const d = classifyAndRoute(t12309('我母亲接到冒充检察院的电话，要她把钱转到安全账户。', 'report', { demand: '核实并举报诈骗电话。' }));
    expect(d.ticketType).toBe('report');
    expect(d.typeOverruled).toBe(false);
  });
});

describe('classifier: clues', () => {
  it('one household’s purchase is not a public-interest clue', () => {
    const d = classifyAndRoute(t12345('今天在超市买了一箱酸奶，回家发现已经过期了，超市只肯退货。要求十倍赔偿。', { type: 'complaint' }));
    expect(d.domain).toBe('food_drug_safety');
    expect(d.clue).toBe('none');
    expect(d.referralAgencyId).toBeNull();
  });

  it('ongoing harm to many, ignored by the regulator, in a PIL field is a public-interest clue', () => {
    const d = classifyAndRoute(
      t12345('村北那家化工厂晚上偷排废水，整条河都发黑发臭，下游好几个村用这水浇地。已经反映多次了，环保来过两次就没下文了，到现在还在排。'),
    );
    expect(d.domain).toBe('ecology_environment');
    expect(d.clue).toBe('public_interest');
    expect(kindOf(d.referralAgencyId)).toBe('procuratorate.pil');
  });

  it('widespread harm outside the PIL fields is not a public-interest clue (a gym closing on 300 members)', () => {
    const d = classifyAndRoute(t12345('健身房突然关门跑路了，老板电话打不通，办卡的会员有三百多人，卡里的钱都退不了。要求帮忙追回预付卡余额。'));
    expect(d.domain).toBe('consumer_market');
    expect(d.clue).toBe('none');
  });

  it('a vulnerable worker who cannot sue alone is a support-prosecution clue', () => {
    const d = classifyAndRoute(t12345('我是聋哑人，在洗车行干了半年，老板欠我一万多工资不给。我不会写字，不知道去哪告他，请帮帮我。'));
    expect(d.domain).toBe('labor_wages');
    expect(d.clue).toBe('support_prosecution');
    expect(kindOf(d.referralAgencyId)).toBe('procuratorate.civil');
  });

  it('an agency acting without procedure is an administrative-supervision clue', () => {
    const d = classifyAndRoute(t12345('城管执法人员没有出示任何执法文书，也没开扣押清单，直接把我店门口的货架拉走了，去问了三趟也不给处罚决定书。'));
    expect(d.domain).toBe('urban_management');
    expect(d.clue).toBe('administrative_supervision');
    expect(kindOf(d.referralAgencyId)).toBe('procuratorate.administrative');
  });

  it('a crime victim left in hardship asking for social help: domain is the request, the clue is judicial aid', () => {
    const d = classifyAndRoute(
      t12345('我丈夫去年被人打死了，凶手判了无期，判的赔偿一分钱没执行到。我带着两个孩子，没有收入，日子过不下去了。问能不能申请低保。'),
    );
    expect(d.domain).toBe('social_assistance');
    expect(d.clue).toBe('judicial_aid');
    expect(kindOf(d.referralAgencyId)).toBe('procuratorate.petition');
  });
});

describe('classifier: urgency and evidence', () => {
  it('danger to life raises the urgency to at least urgent', () => {
    const d = classifyAndRoute(t12345('我家厨房一股很大的燃气味，关了阀门还是有，家里有老人孩子，赶紧派人来！'));
    expect(d.urgency).toBe('urgent');
    expect(d.domain).toBe('housing_property');
  });

  it('the platform’s emergency stays emergency', () => {
    const d = classifyAndRoute(t12345('饭店后厨燃气味特别大，还在炒菜！', { urgency: 'emergency' }));
    expect(d.urgency).toBe('emergency');
    expect(d.domain).toBe('safety_production');
  });

  it('a plain complaint stays normal', () => {
    expect(classifyAndRoute(t12345('滨河路的垃圾桶三天没人清了，臭得没法走路。')).urgency).toBe('normal');
  });

  it('evidence never carries the caller’s words or personal data', () => {
    const d = classifyAndRoute(
      t12345('我叫张三丰，电话13912345678，身份证150302199001011234，老板欠我工资三个月了。', { caller: { name: '张三丰', phone: '13912345678' } }),
    );
    const all = d.evidence.join(' ');
    expect(all).not.toMatch(/1391234|150302199|张三丰/);
    expect(d.domain).toBe('labor_wages');
  });
});

describe('classifier: clue cues and hotline rules (generalisation pass)', () => {
  it('a 12309 judicial-aid request is judicial_affairs whatever the crime was about (taxonomy §5)', () => {
    const d = classifyAndRoute(
      t12309(
        '我丈夫前年骑电动车被一辆大货车撞成高位截瘫，司机肇事逃逸后被抓，判了交通肇事罪，可他家里穷赔不起，一分钱也没拿到，家里借了二十多万外债。',
        'consultation',
        { demand: '想问问检察院能不能给点救助。' },
      ),
    );
    expect(d.clue).toBe('judicial_aid');
    expect(d.domain).toBe('judicial_affairs');
    expect(kindOf(d.agencyId)).toBe('procuratorate.petition');
  });

  it('an administrative agency as 12309 respondent is not a judicial matter; its unlawful act is administrative supervision', () => {
    const d = classifyAndRoute(
      t12309('街道办去年把我的两间平房拆了，拆之前只是口头通知，没有给过任何书面决定，也没有补偿方案，我去问了好几次都说是统一行动。', 'accusation', {
        demand: '请求检察院监督街道办违法强拆。',
        respondent: { kind: 'agency', name: '某街道办事处' },
      }),
    );
    expect(d.domain).not.toBe('judicial_affairs');
    expect(d.clue).toBe('administrative_supervision');
    expect(kindOf(d.agencyId)).toBe('procuratorate.administrative');
  });

  it('harm to many, told the township, still going on: a public-interest clue from indirect wording', () => {
    const d = classifyAndRoute(t12345('我们村后面那个小厂子天天晚上往沟里放黄水，沟里的水都变色了，周边几个村的人都闻得到，去镇上反映过，到现在还在排。'));
    expect(d.domain).toBe('ecology_environment');
    expect(d.clue).toBe('public_interest');
  });

  it('one household reporting once and hearing nothing is not public harm', () => {
    const d = classifyAndRoute(t12345('我家水表最近走得特别快，这个月水费比平时多了一倍，找自来水公司反映过一次，说让等着。'));
    expect(d.domain).toBe('water_affairs');
    expect(d.clue).toBe('none');
  });

  it('an old person who cannot read and does not know how to sue: support prosecution', () => {
    const d = classifyAndRoute(t12345('我父亲六十五岁，在工地看大门干了一年，老板一直拖着八千块工资不给，他不识字，也不知道该怎么去要。'));
    expect(d.domain).toBe('labor_wages');
    expect(d.clue).toBe('support_prosecution');
  });

  it('a pothole described without the word 路面 is a transport matter', () => {
    expect(classifyAndRoute(t12345('滨河大道去工业园那段路中间有个大坑，晚上看不见，好几个骑车的摔了，赶紧补上。')).domain).toBe('transport');
  });
});

describe('classifier: context and clue priors (tune-v3 pass)', () => {
  it('a landmark before 门口/旁边 is where, not what: parking fees at a hospital gate are a transport matter', () => {
    const d = classifyAndRoute(t12345('县医院门口那条路新划了一溜停车位，有几个人穿着马甲收停车费，停一会就收十块，不给票。要求管一管。'));
    expect(d.domain).toBe('transport');
    expect(d.evidence.join(' ')).not.toContain('domain:health_care<=医院');
  });

  it('a double negative ("不是不让摆摊") does not count against the domain', () => {
    const d = classifyAndRoute(t12345('每天晚上夜市摊子把人行道占满了，推着婴儿车根本过不去。不是不让摆摊，是希望划个范围管一管。'));
    expect(d.domain).toBe('urban_management');
    expect(d.evidence).not.toContain('context:negation');
  });

  it('a 举报 in a PIL field counts towards public harm (type prior), and the evidence says so', () => {
    const text = '县城有三四家药店在柜台底下偷偷卖没有中文标签的“进口抗癌药”，一盒好几千，好多病人都在他们那买。';
    const report = classifyAndRoute(t12345(text, { type: 'report' }));
    expect(report.domain).toBe('food_drug_safety');
    expect(report.clue).toBe('public_interest');
    expect(report.evidence.join(' ')).toContain('type:report');
    expect(classifyAndRoute(t12345(text, { type: 'consultation' })).clue).toBe('none');
  });

  it('an inferred consultation does not veto a strong public-interest clue; a recorded one does', () => {
    const text =
      '今年俺们镇好几个村四十多户买的玉米种子出苗不到一半，几百亩地的收成完了。县农业局来看过一次，一个多月了也没信儿，这种种子别的地方还在卖呢。就想问问到底有没有人管。';
    const inferred = classifyAndRoute(t12345(text));
    expect(inferred.ticketType).toBe('consultation');
    expect(inferred.clue).toBe('public_interest');
    expect(classifyAndRoute(t12345(text, { type: 'consultation' })).clue).toBe('none');
  });

  it('a 12309 respondent of kind agency names the actor: an office that never decides is administrative supervision', () => {
    const d = classifyAndRoute(
      t12309('来信人丈夫去世，今年四月向区民政局申请临时救助，材料齐全，民政局一直不审批，也不出不予救助的决定，去问了五六次都说再等等。', 'accusation', {
        demand: '请求检察机关监督民政局依法履行职责。',
        respondent: { kind: 'agency', name: '某区民政局' },
      }),
    );
    expect(d.clue).toBe('administrative_supervision');
    expect(kindOf(d.agencyId)).toBe('procuratorate.administrative');
    expect(d.evidence.join(' ')).toContain('respondent:agency');
  });

  it('a caller who first asks about one thing and then raises another: the second decides', () => {
    const d = classifyAndRoute(t12345('来电人先问了半天买房办公积金贷款的事，说首付凑得差不多了。这次打电话就是要求原来的老板把这三年没交的社保给补上。'));
    expect(d.domain).toBe('social_insurance');
  });
});

describe('classifier: confusable pairs resolved by context (generalisation pass 3)', () => {
  it('food bought past its date is food safety even when the caller asks for a refund', () => {
    const d = classifyAndRoute(t12345('在小区便利店买的两袋面包，回家一看过期五天了，还有点发霉，店家说只能换不能退。要求退款。', { type: 'complaint' }));
    expect(d.domain).toBe('food_drug_safety');
    expect(d.evidence).toContain('domain:food_drug_safety<=combo:spoiled-food-bought(+4.0)');
  });

  it('a room built on a residential roof is an illegal structure (urban management), not a property matter', () => {
    const d = classifyAndRoute(t12345('我们单元顶层那户在天台上砌了两间小屋，物业说管不了，怕把楼顶防水压坏。', { type: 'report' }));
    expect(d.domain).toBe('urban_management');
    expect(kindOf(d.agencyId)).toBe('urban-management');
    // 防水压坏 is not 水压 (water pressure): a stop term shadows it.
    expect(d.evidence.join(' ')).not.toContain('water_affairs');
  });

  it('a husband losing money at cards is gambling (public order), not domestic violence: 打牌 is not 打', () => {
    const d = classifyAndRoute(t12345('我老公天天泡在楼下的麻将馆里打牌，一局好几百，已经输了十几万，家里的钱都被他拿去了。', { type: 'report' }));
    expect(d.domain).toBe('public_order');
    expect(d.evidence.some((e) => e.includes('combo:spouse-beaten'))).toBe(false);
  });

  it('a fuel pump that gives short measure is a consumer (metrology) matter, not workplace safety', () => {
    const d = classifyAndRoute(t12345('在镇上加油站加了三百块钱的油，油表几乎没动，怀疑加油机做了手脚，请来检查一下。', { type: 'complaint' }));
    expect(d.domain).toBe('consumer_market');
    expect(kindOf(d.agencyId)).toBe('market-regulation');
  });

  it('demoted after announcing a pregnancy → women’s rights rather than wages', () => {
    const d = classifyAndRoute(t12345('我怀孕以后公司就把我从办公室调去仓库搬货，工资也降了一半，领导暗示我自己辞职。', { type: 'complaint' }));
    expect(d.domain).toBe('women_rights');
  });

  it('a house transfer after inheritance is property registration (natural resources)', () => {
    const d = classifyAndRoute(t12345('咨询一下，父母留下的房子想过户到我名下，办过户需要带什么材料？', { type: 'consultation' }));
    expect(d.domain).toBe('natural_resources');
  });

  it('a lean-meat additive fed on the farm is agriculture (farming stage), not food retail', () => {
    const d = classifyAndRoute(t12345('镇上有个养殖户给牛喂瘦肉精，说出栏快，卖到城里的肉铺。', { type: 'report' }));
    expect(d.domain).toBe('agriculture');
    expect(d.evidence).toContain('domain:agriculture<=combo:additives-in-farming(+4.0)');
  });

  it('workshop machine noise at night is ecology, and "not yet reported" is not a regulator ignoring reports', () => {
    const d = classifyAndRoute(
      t12309('我家隔壁的小作坊每天晚上开着冲床，咣咣响到半夜十二点。我还没向环保部门反映过，不知道该找谁。', 'report', {
        demand: '请求让作坊夜里别开工。',
        respondent: { kind: 'enterprise' },
      }),
    );
    expect(d.domain).toBe('ecology_environment');
    expect(d.clue).toBe('none');
    expect(kindOf(d.agencyId)).toBe('ecology-environment');
    expect(d.needsReview).toBe(false);
  });

  it('a 12309 request to support a civil suit is a support-prosecution clue in the victim’s field, not a judicial matter', () => {
    const d = classifyAndRoute(
      t12309('我今年六十七岁，老伴走得早。儿子前年把我攒的三万块养老钱借走说做生意，现在不认账，也不给生活费。我不识字，也请不起律师。', 'other', {
        demand: '请求检察院支持我向法院起诉要回这笔钱。',
        respondent: { kind: 'person' },
      }),
    );
    expect(d.domain).toBe('elderly_disability');
    expect(d.clue).toBe('support_prosecution');
    expect(kindOf(d.agencyId)).toBe('procuratorate.civil');
  });

  it('a domain pattern with a negative weight counts against its domain', () => {
    const text = '我在网店买了东西，商家一直不给开发票，开发票的事拖了一个月。';
    expect(classifyAndRoute(t12345(text)).domain).toBe('tax');
    const data = structuredClone(lexiconJson) as { domains: Record<string, { patterns?: unknown[] }> };
    const tax = data.domains.tax!;
    tax.patterns ??= [];
    tax.patterns.push({ id: 'test-against-tax', regex: '开发票', weight: -20 });
    const route = createClassifyAndRoute({ lexicon: loadLexicon(data, 'test'), routing, directory });
    const d = route(t12345(text));
    expect(d.domain).not.toBe('tax');
  });
});
