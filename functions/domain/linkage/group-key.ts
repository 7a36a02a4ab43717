/**
 * Grouping keys for similar cases (类案): the enterprise, place or address a ticket is about, normalised so that
 * differently worded tickets about one employer or one river meet in one group.
 *
 * Decisions:
 * - **Enterprise** (企业/经营者): Chinese enterprise names follow 行政区划 + 字号 + 行业 + 组织形式
 *   (乌海市 + 鑫达 + 建筑工程 + 有限公司). A name is found by its tail — a legal form or a kind of business
 *   (有限公司, 化工厂, 超市, 健身会所, 项目部, 工地 …), or one of the industry words used alone as a short name (劳务,
 *   化工, 电子 …, not when a compound noun goes on: 劳务纠纷) — and the text before it, cut at the last function word
 *   (在, 的, 拖欠 …). Region prefixes (units such as 乌海市, 海勃湾区, 开发区, and the names of provinces and
 *   prefecture-level cities without their unit, such as 金昌), location prefixes (北京路, 王家庄村) and trailing industry
 *   words are stripped, leaving the trade name (字号, at most six characters): 乌海市鑫达建筑工程有限公司, 鑫达劳务 and
 *   鑫达公司 all give `鑫达`. A quoted name followed by such a tail (“力健”健身) gives what is inside the quotes. After
 *   a determiner (一家, 这个 …) comes a description, not a name: 一家广告公司 gives nothing.
 * - **A name needs a name boundary.** The text before a tail is cut at the last verb, person, time or position word
 *   (找, 要求, 相关, 有人, 所住, 孩子, 昨天, 下游, 附近 …), so 找店家理论 and 要求相关部门核查物业 give nothing; 店家, 厂家 and
 *   店主 are people, not businesses. A key that still holds a verb, an office or a person (理论, 核查, 部门, 跳, 住 …) or
 *   a counted thing (一排房子) was cut from a sentence and gives nothing, as do nouns joined by 和 (居民楼和学校, 村里和
 *   水厂; names such as 泰和, 和谐 stay). Bus routes and bus companies (15路公交, 乌海公交公司) and a city's name alone
 *   are not trade names. An estate's building site (滨河家园二期工地, 阳光花园项目) is a place, not an employer.
 * - **Place** (地点): named villages, estates, rivers and channels, parks, markets and numbered street addresses
 *   (王庄村, 阳光新城, 徒骇河, 仰韶遗址公园, 人民路12号). The distinctive part is kept with its kind (阳光新城小区 →
 *   `阳光新城`, 徒骇河 → `徒骇河`); a name needs at least two characters before the suffix, so 河里, 西沟, 黄河 (a
 *   river through the whole region) and 我们村 give nothing. Positions (下游村, 上游, 对面), epithets and kinds of water
 *   (母亲河, 排洪渠, 荒山沟) and 广场舞 are no places; a village named with its river (涧河东营村) gives the village
 *   (`东营村`).
 * - **Address** (地址): the ticket's address field with region prefixes, parentheses, quotes and room numbers removed
 *   and building numbers written one way (1号楼, 1幢, 一号楼 → `1栋`); a road or the side of one (110国道边) is too
 *   long to be one address.
 * - No key is better than a wrong one: anything anonymised (某), generic (公司, 工地, 厂里, 单位, 小区里) or shorter
 *   than two characters gives nothing, and at most three keys of a kind are taken from a ticket.
 *
 * The text is NFKC-normalised (full-width → half-width) and stripped of whitespace; every regular expression is
 * compiled once at module load.
 */

export const GROUP_KEY_KINDS = ['enterprise', 'place', 'address'] as const;

export interface GroupKey {
  kind: 'enterprise' | 'place' | 'address';
  key: string;
}

/** At most this many keys of one kind per ticket (each key is a group item written per ticket). */
const MAX_KEYS_PER_KIND = 3;
const MAX_KEY_CHARS = 48;
/** A trade name (字号) is short; a longer core is a phrase, not a name. */
const MAX_TRADE_NAME_CHARS = 6;
/** How far left of a name's tail a name may start. */
const MAX_NAME_CHARS = 16;

const alternation = (words: readonly string[]): string =>
  [...new Set(words)].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).join('|');
const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);

// ---------------------------------------------------------------------------------------------------------------
// Vocabulary

/** Legal forms (组织形式). */
const LEGAL_FORMS = words(`股份有限公司 有限责任公司 有限公司 分公司 子公司 总公司 公司 集团 股份 控股 合作社 商行 经营部
  门市部 分店 总店 连锁店 工作室 事务所`);

/** Industry words (行业): stripped from a name's end, and a name's tail when nothing else follows. */
const INDUSTRY = words(`建筑工程 建筑安装 建筑劳务 建筑 工程 劳务派遣 劳务 建设 建工 建材 装饰 装修 装潢 安装 路桥 市政
  房地产开发 房地产 置业 地产 物业服务 物业管理 物业 商贸 贸易 科技 实业 化工 新材料 耐火材料 耐材 材料 电子 机械 制造
  制品 加工 服装 纺织 食品 餐饮管理 餐饮 文化传媒 传媒 教育咨询 教育科技 教育 咨询 信息 网络 技术 服务 保洁 家政 物流
  运输 汽车维修 汽车服务 汽修 汽车 能源 煤业 矿业 焦化 钢铁 冶金 水泥 砂石 环保 生物 医药 药业 养殖 牧业 木业 家具 印刷
  包装 塑业 陶瓷 玻璃 电器 燃气 热力 供热 健身 美容美发 美容 美发 美甲 洗车 火锅 烧烤 酒店管理 健康管理 健康 养生 保健
  讲座 体验 发展 投资 管理 农贸 批发 综合 蔬菜 农产品 二手车 五金 日杂 烟酒 奶茶 手机 数码 电脑 家电 眼镜 母婴 服饰 鞋业
  箱包 珠宝 水果 生鲜 粮油 副食 百货 烟草 农资 种子 化肥 农药 兽药 饲料 牙科 口腔 医美 整形 民营 民办 私立 舞蹈 音乐 美术
  英语 驾校 广告 液化气 煤气 洗煤 煤炭 货运 快递 外卖 中介 房产 租赁 自来水 供水 供电 供暖 电力 通信 维修 改造 安置房 棚户区
  养老 托育 托管 早教 补习 辅导 棋牌 网咖 小卖部 便利 川菜 西餐 快餐 小吃 早点 烤肉 汽配 轮胎 钢结构 钢材 机电 磨料 洗衣
  理发 足疗 按摩 人才 人力资源 拍卖 4S 公交 客运 出租车 配餐 电竞 窗帘 沥青 混凝土 商砼 石料 搅拌 副食品 造纸 印染 制药 皮革 选矿 选煤 冶炼 铸造 电镀 屠宰 砖瓦 砖`);

/** Industry words that end a name on their own (鑫达劳务, 宏远化工), unless a compound noun goes on (劳务纠纷). */
const STANDALONE = words(`劳务 化工 电子 建筑 建设 商贸 科技 物业 置业 传媒 物流 煤业 矿业 药业 木业 焦化 地产 健身 美发 美容`);
const NOT_AFTER_STANDALONE = words(`纠纷 合同 关系 费 报酬 派遣 人员 工人 垃圾 面积 材料 行业 施工 质量 结构 原料 产品 园区 用地 局
  办公室 办事处 经理 保安 管理 服务 市场 项目 单位 企业 部门 许可 资质 领域 园 卡 器材 费`);

/** Kinds of business and workplace (经营场所) that end a name. */
const BUSINESSES = words(`化工厂 加工厂 工厂 厂 饭店 大酒店 酒店 宾馆 餐厅 餐馆 饭馆 菜馆 火锅店 烧烤店 小吃店 快餐店 面馆
  凉皮店 超市 便利店 商场 商店 药店 大药房 药房 诊所 门诊部 医院 会所 健身房 俱乐部 幼儿园 托育中心 托管班 培训班 培训学校
  培训中心 培训机构 学校 养老院 敬老院 老年公寓 养老公寓 养老服务中心 福利院 项目部 项目 工地 车间 养殖场 养猪场 养鸡场 养牛场
  屠宰场 料场 砂石场 采石场 搅拌站 加油站 加气站 充装站 洗车行 车行 洗车店 干洗店 店 门店 书店 网吧 网咖 KTV 酒吧 浴池
  洗浴中心 棋牌室 体验馆 作坊 农家乐`);

/** Single function words after which a name starts (在鑫达…, 欠薪的鑫达…). */
const BOUNDARY_CHARS = '在到是的了给跟被把让说找问欠干做要我你他她们俺咱这那该其就还也又月日年去来个有往进入全整各每邻从没所住逛跳冲扣挖拿扔偷骂送派';
/** Function words that also begin names, guarded by what follows (向阳小区, 都市花园). */
const GUARDED_BOUNDARY_CHARS = ['向(?![阳东前荣])', '都(?![市城会])'];
/** Longer function words and place words that end the text before a name. */
const BOUNDARY_WORDS = words(`一家 这家 那家 哪家 某家 每家 几家 两家 我家 他家 她家 你家 自家 人家 商家 厂家 店家 东家
  一个 这个 那个 某个 两个 几个 一条 这条 那条 一座 一处 附近 旁边 对面 隔壁 楼下 楼上 门口 里面 那边 这边 东边 西边 南边
  北边 后面 前面 对过 拖欠 反映 投诉 举报 来电人 来访人 入职 上班 打工 位于 县城 城区 市区 镇上 村里 当地 本地 外地 新开
  开了 私人 个体 无证 黑心 大型 小型 临街 路边 路口 街口 交叉口 东侧 西侧 南侧 北侧 东南侧 东北侧 西南侧 西北侧 一侧 两侧
  东段 西段 南段 北段 中段 东头 西头 南头 北头 属于 告知 认为 要求 请求 导致 督促 通知 申请 起诉 联系 咨询 承包 分包 转包
  介绍 招聘 应聘 离开 辞职 卖给 购买 办了 交了 承认 流入 流进 冲进 排入 排进 通往 通到 注入 倒进 倒入 扔进 一所 一间 一处
  几所 几间 一些 这些 那些 整条 整个 怀疑 认定 判决 查一查 出院 住院 按
  有人 有关 相关 代表 自己 对方 孩子 家长 希望 另外 直接 顺着 沿着 赶紧 只能 一直 已经 说是 听说 为由 这种 那种 一种 各种
  哪种 所住 所在 居住 住在 家住 娘家 婆家 老家 前夫 好几 好多 好些
  下游 上游 中游 周边 周围 沿岸 两岸 岸边
  最近 昨天 今天 前天 明天 昨晚 今晚 前年 去年 今年 明年 上午 下午 晚上 早上 中午 半夜 凌晨 平时 每天 天天 时候 当时 后来
  刚才 暴雨时 下雨时 汛期`);

/** A name right after these is a description, not a name (一家广告公司, 这个工地). */
const DETERMINER_END = /(?:[一两几某每这那哪整]家|[一两几某这那整]个|[一几这那]所|[一几这那]间|[一这那整]条|[一几这那]处|[一这那]些|[这那一各哪]种|好[几多些]|个)$/u;
/** 三趟, 两家, 12号: counted things, not names. */
const COUNTED = /^[一二三四五六七八九十两几\d]+[个家所条趟次座处间位名年月天号期栋层户人排片辆批群伙种根]/u;

/** Whole cores that name nothing in particular. */
const GENERIC_CORES = new Set(
  words(`公司 单位 老板 厂里 工地 项目 这家 那家 一家 我们 他们 你们 本地 当地 外地 附近 对面 个体 私人 小型 大型 新开 正规
    无证 黑心 县城 城区 市区 镇上 乡镇 村里 小区 社区 街道 园区 工业园 城中 老旧 整个 全村 排水 污水 臭水 周边 二期 一期
    三期 分包 总包 甲方 乙方 施工 施工队 包工头 用人 用工 学校 医院 政府 政务 内部 对方 公共 时候 中心 人才 菜 学生 业主
    安排 门禁 账目 要求 认为 导致 开发 开发商 工作 员工 工人 工资 欠款 职工 全体 相关 有关 所有 其他 别的 原来 现在 以前
    排洪 泄洪 防洪 灌溉 引水 排污 雨水 荒山 地头 山 历史 违法 违规 非法 合法 地上 地下 定点 国营 国有 集体 扶贫 临时`),
);

/**
 * Words that never occur in a name: verbs, people and offices (找店家理论, 相关部门核查, 孩子学校, 母亲河). A key that
 * contains one was cut from a sentence, not from a name, and gives nothing.
 */
const NOT_NAME = new RegExp(
  `${alternation(
    words(`理论 核查 调查 查处 处理 检查 协调 解决 督促 监管 整改 反映 投诉 举报 讨要 要求 部门 领导 居民 村民 孩子 家长 老人
      学生 群众 顾客 父亲 母亲 儿子 女儿 老公 丈夫 妻子 时候 部分 楼下 楼上 投资 为由 没有 不是 就是 已经 但是 可是 因为 所以
      法院 检察院 派出所 看守所`),
  )}|[跳住逛冲扣挖拿扔偷骂送派吵闹的了吗呢吧啊]|[一二三四五六七八九十两几][个张只件条排片辆批群伙种根位名]|\\d+路`,
  'u',
);
/**
 * 居民楼和(学校), 清真肉铺和(火锅店), 开发商和(物业): a list of nouns, not a name ending in 和 (泰和, 永和, 协和): the
 * word before 和 ends like a common noun.
 */
const CONJUNCTION_END = /(?:\p{Script=Han}[楼铺商店厂校学场馆院园区村路街部局队房屋音网站]和|\p{Script=Han}{2}[与及或跟])$/u;
/** 村里和(水厂), (世纪广场)和(文化公园): a conjunction that starts the text after a word or a previous name. */
const CONJUNCTION_START = /^[和与及或、]/u;

/** Administrative units (行政区划单位), with guards against the same characters inside ordinary words (超市, 小区, 城乡). */
const REGION_UNIT =
  '(?:特别行政区|自治区|自治州|自治县|自治旗|省|(?<![超城都门菜夜集股])市(?![场民政])|盟|' +
  '(?<![小社园厂景校矿片城营库商街军])区|县|(?<![彩红])旗(?!舰)|(?<!城)镇|(?<!城)乡|街道|苏木|(?:工业|产业|科技)园区?)';

/** Provinces and prefecture-level cities, written without their unit (金昌宏远化工厂). */
const REGION_NAMES = words(`北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东
  海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门
  石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水 太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁
  呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布 兴安 锡林郭勒 阿拉善 沈阳 大连 鞍山 抚顺 本溪 丹东 锦州
  营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛 长春 四平 辽源 通化 白山 松原 白城 延边 哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春
  佳木斯 七台河 牡丹江 黑河 绥化 大兴安岭 南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁 杭州 宁波
  温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州
  池州 宣城 福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德 南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶 济南
  青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽 郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作
  濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 济源 武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州 恩施
  仙桃 潜江 天门 长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底 湘西 广州 韶关 深圳 珠海 汕头 佛山
  江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮 南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港
  玉林 百色 贺州 河池 来宾 崇左 海口 三亚 三沙 儋州 成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾
  广安 达州 雅安 巴中 资阳 阿坝 甘孜 凉山 贵阳 六盘水 遵义 安顺 毕节 铜仁 黔西南 黔东南 黔南 昆明 曲靖 玉溪 保山 昭通
  丽江 普洱 临沧 楚雄 红河 文山 西双版纳 大理 德宏 怒江 迪庆 拉萨 日喀则 昌都 林芝 山南 那曲 阿里 西安 铜川 宝鸡 咸阳
  渭南 延安 汉中 榆林 安康 商洛 兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南 临夏 甘南 西宁 海东 海北
  黄南 果洛 玉树 海西 银川 石嘴山 吴忠 固原 中卫 乌鲁木齐 克拉玛依 吐鲁番 哈密 昌吉 博尔塔拉 巴音郭楞 阿克苏 克孜勒苏 喀什
  和田 伊犁 塔城 阿勒泰 石河子`);

const REGION_NAME_SET = new Set(REGION_NAMES);

// ---------------------------------------------------------------------------------------------------------------
// Compiled expressions

/** 店家, 店主, 厂家, 厂长: people, not a business (找店家理论). */
const guardTails = (alt: string): string => alt.replace(/(^|\|)店(?=\||$)/u, '$1店(?![家主员长])').replace(/(^|\|)厂(?=\||$)/u, '$1厂(?![家长])');
const ENTERPRISE_TAIL = new RegExp(
  `(?:${guardTails(alternation([...LEGAL_FORMS, ...INDUSTRY, ...BUSINESSES]))})*(?:${guardTails(alternation([...LEGAL_FORMS, ...BUSINESSES]))})|` +
    `(?:${alternation(STANDALONE)})(?!${alternation(NOT_AFTER_STANDALONE)})`,
  'gu',
);
const BOUNDARY_PREFIX = new RegExp(`^.*(?:${alternation(BOUNDARY_WORDS)}|[${BOUNDARY_CHARS}]|${GUARDED_BOUNDARY_CHARS.join('|')})`, 'u');
const REGION_PREFIX = new RegExp(`^(?:\\p{Script=Han}{1,7}?${REGION_UNIT}|(?:${REGION_UNIT}))`, 'u');
/** A province or city name, unless it names a street, village or district (北京路, 朝阳区). */
const REGION_NAME_PREFIX = new RegExp(`^(?:${alternation(REGION_NAMES)})(?![路街道巷村区县市镇乡])`, 'u');
/** Where a business is, before its name: a street, village or estate (北京路, 王家庄村东侧, 阳光小区). */
const LOCATION_PREFIX =
  /^\p{Script=Han}{1,6}?(?:大街|大道|路|街|巷|(?<![农乡山渔城])村(?![镇乡])|小区|社区)(?:\d+号)?(?:[东西南北]{1,2}(?:侧|边|头|段))?/u;
const GENERIC_TAIL = new RegExp(`(?:${alternation([...LEGAL_FORMS, ...INDUSTRY, ...BUSINESSES])}|[一二三四五六七八九十\\d]+期)$`, 'u');

/**
 * Place tails. Groups: 1 estate suffix dropped (小区), 2 estate suffix kept (花园), 3 village, 4 water, 5 park,
 * 6 market, 7 numbered street.
 */
const PLACE_TAIL = new RegExp(
  [
    '(小区|社区)',
    '(花园|家园|嘉园|新村|新城(?!区)|公寓|华府|华庭|山庄|名居|雅居|大厦|广场(?!舞)|苑)(?:小区|社区)?',
    '(?<![农乡山渔城])(村)(?![镇乡])',
    '(?<![滨沿临])(河道|河段|河(?![南北东西务道段街路县区市镇乡中])|水库|湖(?![南北街路])|沟(?![街路镇乡])|渠(?!道)|海子|湿地)',
    '(公园)',
    '(?:菜|农贸|批发|人才|劳务|综合|蔬菜|农产品|建材|二手车|花鸟|早|夜)?(市场)(?![监管价经秩主化部行调营准份需上])',
    '(大街|大道|路|街|巷)(\\d+)号',
  ].join('|'),
  'gu',
);
const WATER_SUFFIX: Record<string, string> = { 河道: '河', 河段: '河' };

const QUOTE_OPEN = '“‘「『"\'';
const QUOTE_CLOSE = '”’」』"\'';

const ADDRESS_PARENS = /\([^)]*\)|\[[^\]]*\]|【[^】]*】|[“”‘’「」『』"']/gu;
const ADDRESS_BUILDING = /([0-9一二三四五六七八九十]+)(?:号楼|幢|#楼|#|座|栋|号院楼)/gu;
const ADDRESS_ROOM = /栋(?:\d+单元)?(?:\d+(?:室|户)?)?$/u;
const ADDRESS_TRAILING = /(?:[东西南北中]段|(?<=[路街道])(?:边|旁|沿线)|附近|对面|旁边|门口|周边|一带|东侧|西侧|南侧|北侧|东南侧|东北侧|西南侧|西北侧|东边|西边|南边|北边)+$/u;
const CN_DIGITS: Record<string, string> = { 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9', 十: '10' };
const WHITESPACE = /\s+/gu;
const ESTATE_OLD = /(?:老旧|老|旧)$/u;
/** Tails that name a building site or project rather than a business. */
const SITE_TAIL = /(?:工地|项目部?|工程)$/u;
/** Names of estates and villages (滨河家园, 阳光小区, 王庄村). */
const ESTATE_END = /(?:家园|花园|嘉园|小区|社区|新村|公寓|华府|华庭|山庄|名居|雅居|苑|村)$/u;
/** A village named after the river it lies on (涧河东营村): the village is what follows the water's name. */
const WATER_IN_VILLAGE = /^\p{Script=Han}+?[河湖渠沟](?=\p{Script=Han}{2})/u;
const DIRECTION_PREFIX = /^[东西南北前后上下]+/u;
/** A road, or a stretch of one, is too long to be one place (人民路, 海拉路南段, 308国道). */
const ROAD_ONLY = /^[\p{Script=Han}\d]{1,10}?(?:路|街|大街|大道|巷|国道|省道|县道)(?:[东西南北中]段)?$/u;

// ---------------------------------------------------------------------------------------------------------------

function isNameChar(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
  );
}

/** NFKC (full-width → half-width, compatibility forms) and no whitespace. */
function normaliseText(s: string): string {
  return s.normalize('NFKC').replace(WHITESPACE, '');
}

/**
 * The name-like text ending just before `end` and starting no earlier than `floor` (the end of the previous tail):
 * inside the quotes when a quote closes there, else the run of name characters.
 */
function textBefore(s: string, end: number, floor: number): string {
  if (end > floor && QUOTE_CLOSE.includes(s[end - 1]!)) {
    const from = Math.max(floor, end - 2 - MAX_NAME_CHARS);
    for (let i = end - 2; i >= from; i--) {
      const ch = s[i]!;
      if (QUOTE_OPEN.includes(ch)) return s.slice(i + 1, end - 1);
      if (!isNameChar(ch.charCodeAt(0))) return '';
    }
    return '';
  }
  let start = end;
  while (start > floor && end - start < MAX_NAME_CHARS && isNameChar(s.charCodeAt(start - 1))) start--;
  return s.slice(start, end);
}

/**
 * What follows the last function word (我在乌海市鑫达 → 乌海市鑫达); undefined when that word makes the rest a
 * description (一家广告公司, 有个私人开的) or the text is anonymised (某). A conjunction right after a word
 * (村里和水厂) or right after the previous name (世纪广场和文化公园) joins two nouns and is dropped; after a
 * preposition it begins a name (在和谐小区).
 */
function afterBoundary(s: string, atFloor = false): string | undefined {
  const m = BOUNDARY_PREFIX.exec(s);
  let joined = atFloor;
  if (m) {
    if (DETERMINER_END.test(m[0])) return undefined;
    s = s.slice(m[0].length);
    joined = !BOUNDARY_CHARS.includes(m[0][m[0].length - 1]!) && !'向都'.includes(m[0][m[0].length - 1]!);
  }
  if (joined && CONJUNCTION_START.test(s)) s = s.slice(1);
  if (s.includes('某') || COUNTED.test(s)) return undefined;
  return s;
}

/** A key cut from a sentence rather than a name: 家理论, 部门核查, 居民楼和. */
function implausible(key: string): boolean {
  return NOT_NAME.test(key) || CONJUNCTION_END.test(key);
}

/** The name-like text before a tail, and whether it runs on from the previous tail (floor) without a break. */
function nameBefore(s: string, end: number, floor: number): [string, boolean] {
  const run = textBefore(s, end, floor);
  return [run, floor > 0 && end - run.length === floor];
}

/** Removes region prefixes (乌海市海勃湾区, 开发区, 金昌) and, for enterprises, location prefixes (北京路, 王家庄村). */
function stripPrefixes(s: string, locations: boolean): string {
  for (;;) {
    let m = REGION_PREFIX.exec(s) ?? (locations ? LOCATION_PREFIX.exec(s) : null);
    if (m) {
      s = s.slice(m[0].length);
      continue;
    }
    m = REGION_NAME_PREFIX.exec(s);
    if (m && s.length - m[0].length >= 2) {
      s = s.slice(m[0].length);
      continue;
    }
    return s;
  }
}

function stripGenericTail(s: string): string {
  for (let m = GENERIC_TAIL.exec(s); m; m = GENERIC_TAIL.exec(s)) s = s.slice(0, s.length - m[0].length);
  return s;
}

function acceptable(core: string, maxChars = MAX_KEY_CHARS): boolean {
  return core.length >= 2 && core.length <= maxChars && !GENERIC_CORES.has(core) && !/^\d+$/.test(core);
}

function enterprisesIn(s: string, out: string[]): void {
  let floor = 0;
  ENTERPRISE_TAIL.lastIndex = 0;
  for (let m = ENTERPRISE_TAIL.exec(s); m && out.length < MAX_KEYS_PER_KIND; m = ENTERPRISE_TAIL.exec(s)) {
    const [run, atFloor] = nameBefore(s, m.index, floor);
    const before = afterBoundary(run, atFloor);
    floor = m.index + m[0].length;
    if (!before || NOT_NAME.test(before)) continue;
    const key = stripGenericTail(stripPrefixes(before, true));
    // An estate's building site (滨河家园二期工地) is a place, not an employer; a city's name alone (乌海公交公司)
    // is not a trade name.
    if ((SITE_TAIL.test(m[0]) && ESTATE_END.test(key)) || REGION_NAME_SET.has(key)) continue;
    if (acceptable(key, MAX_TRADE_NAME_CHARS) && !implausible(key) && !out.includes(key)) out.push(key);
  }
}

function placeKey(m: RegExpExecArray, before: string, atFloor: boolean): string | undefined {
  const cut = afterBoundary(before, atFloor);
  if (!cut || NOT_NAME.test(cut)) return undefined;
  let core = stripPrefixes(cut, false);
  const [, estate, named, village, water, park, market, street, number] = m;
  let key: string;
  let max = 8;
  if (estate) key = core = core.replace(ESTATE_OLD, '');
  else if (named) key = core + named;
  else if (village) {
    core = core.replace(WATER_IN_VILLAGE, '');
    key = core + village;
    max = 6;
  } else if (water) {
    // 村东排水沟, 西沟: the direction and the generic word name no water body.
    core = core.replace(DIRECTION_PREFIX, '');
    key = core + (WATER_SUFFIX[water] ?? water);
    max = 6;
  } else if (park) key = core + park;
  else if (market) {
    core = stripGenericTail(core);
    key = core + market;
  } else key = `${core}${street}${number}号`;
  // Two characters of name before the suffix: 黄河, 西沟, 俺村 name nothing precise enough.
  return acceptable(core, max) && !implausible(core) ? key : undefined;
}

function placesIn(s: string, out: string[]): void {
  let floor = 0;
  PLACE_TAIL.lastIndex = 0;
  for (let m = PLACE_TAIL.exec(s); m && out.length < MAX_KEYS_PER_KIND; m = PLACE_TAIL.exec(s)) {
    const [run, atFloor] = nameBefore(s, m.index, floor);
    const key = placeKey(m, run, atFloor);
    floor = m.index + m[0].length;
    if (key && !out.includes(key)) out.push(key);
  }
}

/** The address field as a key: 乌海市海勃湾区人民路12号（超市后门） → 人民路12号. Undefined when too vague. */
export function normaliseAddress(address: string): string | undefined {
  let s = normaliseText(address).replace(ADDRESS_PARENS, '');
  if (s.includes('某')) return undefined;
  s = stripPrefixes(s, false);
  s = s.replace(ADDRESS_BUILDING, (_, n: string) => `${CN_DIGITS[n] ?? n}栋`).replace(ADDRESS_ROOM, '栋');
  s = s.replace(ADDRESS_TRAILING, '').replace(/#/g, '号');
  if (s.length < 3 || GENERIC_CORES.has(s) || ROAD_ONLY.test(s)) return undefined;
  return s.slice(0, MAX_KEY_CHARS);
}

/**
 * The grouping keys of a ticket for the requested kinds: in the order of `kinds`, then of first mention (the
 * content before the address field), without duplicates.
 */
export function groupKeysOf(input: { content: string; address?: string | undefined }, kinds: readonly GroupKey['kind'][]): GroupKey[] {
  const content = normaliseText(input.content);
  const address = input.address ? normaliseText(input.address) : '';
  const out: GroupKey[] = [];
  const done = new Set<GroupKey['kind']>();
  for (const kind of kinds) {
    if (done.has(kind)) continue;
    done.add(kind);
    const keys: string[] = [];
    if (kind === 'enterprise') {
      enterprisesIn(content, keys);
      if (address) enterprisesIn(address, keys);
    } else if (kind === 'place') {
      placesIn(content, keys);
      if (address) placesIn(address, keys);
    } else if (address) {
      const key = normaliseAddress(address);
      if (key) keys.push(key);
    }
    for (const key of keys) out.push({ kind, key });
  }
  return out;
}
