import { describe, it, expect } from 'vitest';
import { groupKeysOf, normaliseAddress, type GroupKey } from '../../../functions/domain/linkage/group-key.js';

const ALL: GroupKey['kind'][] = ['enterprise', 'place', 'address'];
const enterprises = (content: string, address?: string) => groupKeysOf({ content, address }, ['enterprise']).map((k) => k.key);
const places = (content: string, address?: string) => groupKeysOf({ content, address }, ['place']).map((k) => k.key);

describe('groupKeysOf: enterprises (企业)', () => {
  it('one employer in three differently worded tickets gives one key', () => {
    const tickets = [
      '来电人代表8名农民工反映，乌海市鑫达建筑工程有限公司拖欠他们去年10月至12月工资共计6万余元，老板电话不接。',
      '我们在海勃湾区给鑫达建筑公司干活，到现在三个月没发工资，项目经理说等甲方拨款。',
      '鑫达劳务的包工头欠我们十几个人的工钱，说年后再给，请帮忙讨薪。',
      '俺们在鑫达公司的工地上干了四个月钢筋活，一分钱没拿到。',
    ];
    for (const t of tickets) expect(enterprises(t)).toEqual(['鑫达']);
  });

  it('a chemical plant named with and without its city and form', () => {
    expect(enterprises('金昌宏远化工厂半夜偷排废水，味道刺鼻。')).toEqual(['宏远']);
    expect(enterprises('宏远化工又在往沟里排黑水了！')).toEqual(['宏远']);
    expect(enterprises('举报甘肃省金昌市宏远化工有限责任公司违法排污')).toEqual(['宏远']);
  });

  it('two different employers give different keys', () => {
    const a = enterprises('我在渑池县博文教育咨询有限公司当英语老师，公司两个月没发工资。');
    const b = enterprises('开发区瑞晟电子这两个月天天让加班到十点，加班费一分没有。');
    expect(a).toEqual(['博文']);
    expect(b).toEqual(['瑞晟']);
    expect(enterprises('齐河县恒泰鑫源置业有限公司开发的御景湾项目拖欠农民工工资')).toEqual(['恒泰鑫源', '御景湾']);
  });

  it('quoted trade names (“力健”健身, “蜀香阁”火锅店)', () => {
    expect(enterprises('去年9月在黄河东街“力健”健身办了两年卡，现在关门了。')).toEqual(['力健']);
    expect(enterprises('我在北京路“蜀香阁”火锅店当服务员，老板欠我一个月工资。')).toEqual(['蜀香阁']);
    expect(enterprises('林荫街道「快洁」洗车行老板不给工钱')).toEqual(['快洁']);
    // Quotes that are not a name before a business word give nothing.
    expect(enterprises('门口贴了张“内部装修暂停营业”就关门了。')).toEqual([]);
  });

  it('full-width characters and spaces do not change the key', () => {
    expect(enterprises('ＡＢＣ 科技有限公司拖欠工资')).toEqual(enterprises('ABC科技有限公司拖欠工资'));
    expect(enterprises('鑫 达 劳 务 欠 薪')).toEqual(['鑫达']);
  });

  it('generic words give no key: no key is better than a wrong one', () => {
    expect(enterprises('公司不发工资，工地老板跑了，厂里也不管，这家公司太坑了。')).toEqual([]);
    expect(enterprises('单位拖欠工资三个月，找老板也找不到。')).toEqual([]);
    expect(enterprises('县城一家建材公司试用期工资只发80%，合法吗？')).toEqual([]);
    expect(enterprises('在人民路一家超市买的酸奶过期了。')).toEqual([]);
    expect(enterprises('城关镇某凉皮店卖的凉皮吃坏了肚子')).toEqual([]);
    expect(enterprises('拉僧庙那边的焦化厂又开始半夜冒黄烟了')).toEqual([]);
    expect(enterprises('总包单位说工程款早就拨给分包了，让找包工头。')).toEqual([]);
    expect(enterprises('劳动监察说这属于劳务纠纷，需要到法院起诉。')).toEqual([]);
  });

  it('takes the enterprise from the address field too, and keeps mention order', () => {
    expect(enterprises('这家店卖过期食品，已经好几个人吃坏肚子了。', '金川区北京路“蜀香阁”火锅店')).toEqual(['蜀香阁']);
    expect(enterprises('鑫达劳务拖欠工资', '海勃湾区林荫街道快洁洗车行')).toEqual(['鑫达', '快洁']);
  });
});

describe('groupKeysOf: places (地点)', () => {
  it('rivers, channels and lakes with a name', () => {
    expect(places('焦庙镇俺村东边那条排水沟通到徒骇河，下游几个村用这水浇地。')).toEqual(['徒骇河']);
    expect(places('有人往乌兰木伦河河道里倾倒建筑垃圾')).toEqual(['乌兰木伦河']);
    expect(places('乌海湖东岸有人偷排污水')).toEqual(['乌海湖']);
  });

  it('villages and estates, with the region prefix stripped and 小区 dropped', () => {
    expect(places('渑池县果园乡王家庄村西头的养猪场往沟里排粪水')).toEqual(['王家庄村']);
    expect(places('王家庄村又有人反映臭味')).toEqual(['王家庄村']);
    expect(places('我们阳光新城整个小区停水了')).toEqual(['阳光新城']);
    expect(places('海勃湾区滨河街道阳光新城小区3号楼')).toEqual(['阳光新城']);
    expect(places('金川区怡和苑的物业不公示收益')).toEqual(['怡和苑']);
  });

  it('parks, markets and numbered street addresses', () => {
    expect(places('仰韶遗址公园门口小卖部乱要价')).toEqual(['仰韶遗址公园']);
    expect(places('东风农贸市场里卖的猪肉没有检疫章')).toEqual(['东风市场']);
    expect(places('人民路128号楼下的饭馆排烟扰民')).toEqual(['人民路128号']);
  });

  it('generic place words give nothing', () => {
    expect(places('河里漂着死鱼，沟里全是黑水')).toEqual([]);
    expect(places('小区里有人私拉电线，我们村也有人烧垃圾')).toEqual([]);
    expect(places('村西沟有个养猪场，粪水直接冲到西沟里，整条沟都臭了')).toEqual([]);
    expect(places('垃圾都冲进黄河了')).toEqual([]);
    expect(places('要求市场监管部门查处')).toEqual([]);
    expect(places('滨河大道黄河街口的工地扬尘')).toEqual([]);
  });
});

describe('groupKeysOf: addresses (地址)', () => {
  it('normalises the address field: region prefix, parentheses, building numbers, rooms', () => {
    expect(normaliseAddress('内蒙古自治区乌海市海勃湾区人民路12号（超市后门）')).toBe('人民路12号');
    expect(normaliseAddress('海勃湾区锦华苑小区6号楼')).toBe('锦华苑小区6栋');
    expect(normaliseAddress('锦华苑小区6幢2单元401室')).toBe('锦华苑小区6栋');
    expect(normaliseAddress('锦华苑小区 ６＃楼')).toBe('锦华苑小区6栋');
    expect(normaliseAddress('锦华苑小区一号楼附近')).toBe('锦华苑小区1栋');
  });

  it('vague or anonymised addresses give nothing', () => {
    expect(normaliseAddress('金昌市金川区')).toBeUndefined();
    expect(normaliseAddress('齐河县祝阿镇')).toBeUndefined();
    expect(normaliseAddress('海勃湾区人民路某超市')).toBeUndefined();
    expect(normaliseAddress('海拉路南段')).toBeUndefined();
    expect(normaliseAddress('海南区拉僧庙镇工业园区（焦化厂附近）')).toBeUndefined();
  });

  it('an address key only when the ticket has an address', () => {
    expect(groupKeysOf({ content: '人民路12号饭店后厨燃气味很大' }, ['address'])).toEqual([]);
    expect(groupKeysOf({ content: '饭店后厨燃气味很大', address: '金川区兰州路18号' }, ['address'])).toEqual([{ kind: 'address', key: '兰州路18号' }]);
  });
});

describe('groupKeysOf: shape', () => {
  it('only the requested kinds, in their order, each key once', () => {
    const input = { content: '鑫达劳务在王家庄村的工地拖欠工资，鑫达公司老板不露面。', address: '渑池县王家庄村东工地' };
    expect(groupKeysOf(input, ALL)).toEqual([
      { kind: 'enterprise', key: '鑫达' },
      { kind: 'place', key: '王家庄村' },
      { kind: 'address', key: '王家庄村东工地' },
    ]);
    expect(groupKeysOf(input, ['address', 'enterprise', 'address'])).toEqual([
      { kind: 'address', key: '王家庄村东工地' },
      { kind: 'enterprise', key: '鑫达' },
    ]);
    expect(groupKeysOf(input, [])).toEqual([]);
  });

  it('at most three keys of a kind', () => {
    const keys = enterprises('鑫达劳务、宏远化工、瑞晟电子、博文教育咨询有限公司、恒泰置业都欠钱');
    expect(keys).toEqual(['鑫达', '宏远', '瑞晟']);
  });

  it('is fast: well under 50 µs per ticket', () => {
    const tickets = [
      { content: '来电人代表12名农民工反映：他们去年8月到12月在拉僧庙镇宏泰新材料二期项目干钢筋活，是跟着包工头张某某干的，没签合同，只有每天的记工单。工钱一共21万6千多元，只给了每人三千生活费。总包单位说工程款早就拨给分包了。', address: '海南区拉僧庙镇低碳产业园宏泰新材料二期项目工地' },
      { content: '焦庙镇俺村东边那条排水沟，去年开始水就发黑，一股臭鸡蛋味，今年更严重了，上个月沟里的鱼翻白肚子死了一片。沟上头是一家化工厂，晚上有根管子往沟里淌水。这沟最后是通到徒骇河的。', address: '齐河县焦庙镇某村东排水沟（通往徒骇河方向）' },
      { content: '我在北京路“蜀香阁”火锅店当服务员，1月底辞职，老板说1月份工资3200元等2月15号发，现在都3月了还不给。', address: '金川区北京路“蜀香阁”火锅店' },
    ];
    for (let i = 0; i < 3000; i++) groupKeysOf(tickets[i % tickets.length]!, ALL); // let the JIT settle
    // Best of several rounds: other processes on a shared machine only ever make a round slower.
    let us = Infinity;
    for (let round = 0; round < 8; round++) {
      const n = 1500;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) groupKeysOf(tickets[i % tickets.length]!, ALL);
      us = Math.min(us, ((performance.now() - t0) * 1000) / n);
    }
    expect(us).toBeLessThan(50);
  });
});
