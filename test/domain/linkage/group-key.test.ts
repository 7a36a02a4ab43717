import { describe, it, expect } from 'vitest';
import type { GroupKey } from '../../../functions/domain/linkage/group-key.js';
import { groupKeysOf, normaliseAddress } from '../../../functions/config/group-keys.js';

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

describe('groupKeysOf: false keys (no key is better than a wrong one)', () => {
  it('one employer in differently worded tickets still gives one key', () => {
    expect(enterprises('二十多名农民工在乌海市恒昌建筑工程有限公司承建的工地干活，工资一直没发。')).toEqual(['恒昌']);
    expect(enterprises('来电人称在恒昌建筑公司的工地做钢筋，老板欠了四万。')).toEqual(['恒昌']);
    expect(enterprises('来电人反映恒昌公司拖欠他们装修班组的工钱。')).toEqual(['恒昌']);
    expect(enterprises('向鑫达公司讨了三次薪都没给')).toEqual(['鑫达']);
    expect(enterprises('从恒昌公司领到的工资少了一半')).toEqual(['恒昌']);
  });

  it('a verb, person or function word before a business word leaves no name (找店家理论, 相关部门核查)', () => {
    expect(enterprises('买的种子不出苗，找店家理论店家不认账。')).toEqual([]);
    expect(enterprises('要求相关部门核查物业涨价是否合规')).toEqual([]);
    expect(enterprises('请有关部门督促物业整改')).toEqual([]);
    expect(enterprises('孩子学校中午的饭是一家配餐公司送的，学校说配餐公司是上面定的。')).toEqual([]);
    expect(enterprises('我们村边上的沥青搅拌站一开工就冒黑烟')).toEqual([]);
    expect(enterprises('不在定点屠宰场杀羊')).toEqual([]);
    expect(enterprises('听说这种电竞酒店不让未成年人进，那家“电竞酒店”照样让进。')).toEqual([]);
    expect(enterprises('窗户不敢开。另外店家晚上还在门口摆摊。')).toEqual([]);
    expect(enterprises('来电人说是昨天逛商场时发现的')).toEqual([]);
    expect(enterprises('还在河滩上盖了一排房子开农家乐')).toEqual([]);
    expect(enterprises('用别人的身份证给自己公司挂员工')).toEqual([]);
    expect(enterprises('儿子发病了，看守所没送医院')).toEqual([]);
  });

  it('nouns joined by 和 are two words, not one name (居民楼和学校, 村里和水厂)', () => {
    expect(enterprises('旁边就是居民楼和学校，麻烦赶紧派人来')).toEqual([]);
    expect(enterprises('找过村里和水厂，说是管网压力不够')).toEqual([]);
    expect(enterprises('羊都卖到市里的清真肉铺和火锅店了')).toEqual([]);
    expect(enterprises('鑫达公司和宏远化工都欠钱')).toEqual(['鑫达', '宏远']);
    expect(places('建议在县城世纪广场和文化公园附近多建厕所')).toEqual(['世纪广场', '文化公园']);
    // Names with 和 in them stay names.
    expect(enterprises('在和平饭店吃坏了肚子')).toEqual(['和平']);
    expect(enterprises('泰和酒店后厨老鼠乱跑')).toEqual(['泰和']);
    expect(places('晏城街道泰和家园东边的工地和金川区和谐小区')).toEqual(['泰和家园', '和谐']);
  });

  it('bus routes and bus companies are not enterprises (15路公交)', () => {
    expect(enterprises('15路公交车这几天早上经常不按时发车，要求公交公司整改。')).toEqual([]);
    expect(enterprises('来电人表扬乌达区3路公交车的一位女司机，希望公交公司给予表扬。')).toEqual([]);
    expect(enterprises('乌海公交公司的车又晚点了')).toEqual([]);
  });

  it('an estate’s building site is a place, not an employer (滨河家园二期工地)', () => {
    const t = '农民工在乌海市恒昌建筑工程有限公司承建的海南区滨河家园二期工地干活，工资一直没发。';
    expect(groupKeysOf({ content: t }, ['enterprise', 'place'])).toEqual([
      { kind: 'enterprise', key: '恒昌' },
      { kind: 'place', key: '滨河家园' },
    ]);
    expect(enterprises('阳光花园小区工地拖欠工资')).toEqual([]);
    expect(enterprises('锦华苑项目部拖欠工资')).toEqual([]);
    // A project with its own name and a hotel named after a garden are still businesses.
    expect(enterprises('御景湾项目拖欠农民工工资')).toEqual(['御景湾']);
    expect(enterprises('阳光花园酒店拖欠服务员工资')).toEqual(['阳光花园']);
  });

  it('relative positions and possessives are not place names (下游村, 所住小区)', () => {
    expect(places('河面漂着白沫，下游村里的羊喝了河水病死了')).toEqual([]);
    expect(places('上游村子都在往河里倒垃圾')).toEqual([]);
    expect(places('下游王庄村的井水也臭了')).toEqual(['王庄村']);
    expect(places('来电人反映所住小区3号楼今年供暖不热')).toEqual([]);
    expect(places('其所住书香小区5号楼顶层违建')).toEqual(['书香']);
    expect(places('来电人代表紫荆小区居民反映噪音')).toEqual(['紫荆']);
    expect(places('最近村里来了几个人推销保健品')).toEqual([]);
    expect(places('她离婚后回了娘家村')).toEqual([]);
  });

  it('verbs and time words are not place names (有人跳广场舞, 小时候黄河)', () => {
    expect(places('小区旁边的广场每天晚上都有人跳广场舞，音箱开得特别响')).toEqual([]);
    expect(places('每天晚上七点到十点跳广场舞')).toEqual([]);
    expect(places('小时候黄河边上的水能直接捧着喝')).toEqual([]);
    expect(places('黑水直接顺着沟往黄河滩那边流')).toEqual([]);
    expect(places('汛期一来都冲河里了')).toEqual([]);
    expect(places('去年暴雨时沟里的水排不出去')).toEqual([]);
    expect(places('施工队挖管沟的时候把暖气管挖断了')).toEqual([]);
    expect(places('母亲河就这么糟蹋')).toEqual([]);
    expect(places('海南区人民路广场晚上噪音大')).toEqual(['人民路广场']);
  });

  it('generic water words are not names (排洪渠, 荒山沟), and a village keeps its own name (涧河东营村)', () => {
    expect(places('暗管通到外面的排洪渠，县城南边的排洪沟也被占了')).toEqual([]);
    expect(places('苏海图一带的荒山沟里有人倾倒垃圾')).toEqual([]);
    expect(places('墙体上压出了好几道沟')).toEqual([]);
    expect(places('涧河东营村那一段有人在河道里修鱼塘')).toEqual(['东营村']);
    expect(places('仰韶镇东营村南边的坡地')).toEqual(['东营村']);
    // A village named after a gully keeps the gully's name, as it always did.
    expect(places('焦庙镇刘家沟村的养猪场')).toEqual(['刘家沟']);
  });

  it('a road side is not an address (110国道边)', () => {
    expect(normaliseAddress('乌达区乌兰淖尔镇110国道边')).toBeUndefined();
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
      {
        content:
          '来电人代表12名农民工反映：他们去年8月到12月在拉僧庙镇宏泰新材料二期项目干钢筋活，是跟着包工头张某某干的，没签合同，只有每天的记工单。工钱一共21万6千多元，只给了每人三千生活费。总包单位说工程款早就拨给分包了。',
        address: '海南区拉僧庙镇低碳产业园宏泰新材料二期项目工地',
      },
      {
        content:
          '焦庙镇俺村东边那条排水沟，去年开始水就发黑，一股臭鸡蛋味，今年更严重了，上个月沟里的鱼翻白肚子死了一片。沟上头是一家化工厂，晚上有根管子往沟里淌水。这沟最后是通到徒骇河的。',
        address: '齐河县焦庙镇某村东排水沟（通往徒骇河方向）',
      },
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
