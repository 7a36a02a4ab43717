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
 * The text is NFKC-normalised (full-width → half-width) and stripped of whitespace.
 *
 * The vocabulary (legal forms, industries, kinds of business, boundary words, generic cores, region names, limits) is
 * data: `config/group-keys.json`, bound in `functions/config/group-keys.ts`; the grammar that uses it is here.
 * `createGroupKeys` compiles it once (module init). Every pattern that runs on citizen text is linear in the text:
 * the enterprise tail ("any run of industry words ending in a legal form") is not a regular expression but a
 * right-to-left scan (`tailEnds`) — as a regex, `(?:建筑工程|建筑|工程…)*(?:有限公司|…)` backtracked exponentially on a
 * word repeated twenty times with no legal form after it, and blocked the event loop for seconds.
 */

export const GROUP_KEY_KINDS = ['enterprise', 'place', 'address'] as const;

export interface GroupKey {
  kind: 'enterprise' | 'place' | 'address';
  key: string;
}

/** `config/group-keys.json`: see its `$comment`s. Words are plain text (validated in `group-key-schema.ts`). */
export interface GroupKeyVocabulary {
  limits: {
    /** At most this many keys of one kind per ticket (each key is a group item written per ticket). */
    maxKeysPerKind: number;
    maxKeyChars: number;
    /** A trade name (字号) is short; a longer core is a phrase, not a name. */
    maxTradeNameChars: number;
    /** How far left of a name's tail a name may start. */
    maxNameChars: number;
  };
  enterprise: {
    /** Legal forms (组织形式). */
    legalForms: string[];
    /** Industry words (行业): stripped from a name's end, and part of a name's tail. */
    industries: string[];
    /** Kinds of business and workplace (经营场所) that end a name. */
    businesses: string[];
    /** Industry words that end a name on their own (鑫达劳务, 宏远化工) … */
    standalone: string[];
    /** … unless one of these goes on (劳务纠纷). */
    notAfterStandalone: string[];
    /** Tail word → characters after which it is a person, not a business (店家, 厂长). */
    notFollowedBy: Record<string, string>;
  };
  boundary: {
    /** Single function characters after which a name starts (在鑫达…, 欠薪的鑫达…). */
    chars: string;
    /** Function characters that also begin names: character → the characters after which it begins one (向阳, 都市). */
    guardedChars: Record<string, string>;
    /** Longer function words and place words that end the text before a name. */
    words: string[];
  };
  /** Whole cores that name nothing in particular. */
  genericCores: string[];
  /** Words and characters that never occur in a name: verbs, people and offices (找店家理论, 相关部门核查). */
  notName: { words: string[]; chars: string };
  /** Provinces and prefecture-level cities, written without their unit (金昌宏远化工厂). */
  regionNames: string[];
}

export interface GroupKeys {
  /**
   * The grouping keys of a ticket for the requested kinds: in the order of `kinds`, then of first mention (the
   * content before the address field), without duplicates.
   */
  groupKeysOf(input: { content: string; address?: string | undefined }, kinds: readonly GroupKey['kind'][]): GroupKey[];
  /** The address field as a key: 乌海市海勃湾区人民路12号（超市后门） → 人民路12号. Undefined when too vague. */
  normaliseAddress(address: string): string | undefined;
}

const escapeRegExp = (w: string): string => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Longest first, then by code unit: the order a regex alternation tries them in, and the order the tail scan uses. */
const byPriority = (words: readonly string[]): string[] => [...new Set(words)].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
const alternation = (words: readonly string[]): string => byPriority(words).map(escapeRegExp).join('|');
const charClass = (chars: string): string => [...chars].map((c) => (/[\]\\^-]/.test(c) ? `\\${c}` : c)).join('');

// ---------------------------------------------------------------------------------------------------------------
// Grammar (the vocabulary comes from config/group-keys.json)

/** A name right after these is a description, not a name (一家广告公司, 这个工地). */
const DETERMINER_END =
  /(?:[一两几某每这那哪整]家|[一两几某这那整]个|[一几这那]所|[一几这那]间|[一这那整]条|[一几这那]处|[一这那]些|[这那一各哪]种|好[几多些]|个)$/u;
/** 三趟, 两家, 12号: counted things, not names. */
const COUNTED = /^[一二三四五六七八九十两几\d]+[个家所条趟次座处间位名年月天号期栋层户人排片辆批群伙种根]/u;
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
const REGION_PREFIX = new RegExp(`^(?:\\p{Script=Han}{1,7}?${REGION_UNIT}|(?:${REGION_UNIT}))`, 'u');
/** Where a business is, before its name: a street, village or estate (北京路, 王家庄村东侧, 阳光小区). */
const LOCATION_PREFIX = /^\p{Script=Han}{1,6}?(?:大街|大道|路|街|巷|(?<![农乡山渔城])村(?![镇乡])|小区|社区)(?:\d+号)?(?:[东西南北]{1,2}(?:侧|边|头|段))?/u;

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
/** Unambiguous alternatives (no word is a run of others): the repeat backtracks at most once per word. */
const ADDRESS_TRAILING =
  /(?:[东西南北中]段|(?<=[路街道])(?:边|旁|沿线)|附近|对面|旁边|门口|周边|一带|东侧|西侧|南侧|北侧|东南侧|东北侧|西南侧|西北侧|东边|西边|南边|北边)+$/u;
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
// Enterprise tails, in linear time

/** A tail word and the characters that may not follow it (店 not before 家/主: 店家, 店主 are people). */
interface TailWord {
  text: string;
  notBefore: string;
}

/** Words by their first code unit, each list in priority order. */
function byFirstUnit<T>(words: readonly string[], make: (w: string) => T): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const w of byPriority(words)) {
    const c = w.charCodeAt(0);
    let list = out.get(c);
    if (!list) {
      list = [];
      out.set(c, list);
    }
    list.push(make(w));
  }
  return out;
}

const at = (s: string, p: number, w: TailWord): boolean => {
  if (!s.startsWith(w.text, p)) return false;
  const next = s[p + w.text.length];
  return next === undefined || !w.notBefore.includes(next);
};

interface EnterpriseTails {
  /** Words that may repeat in a tail (legal forms, industries, businesses). */
  run: Map<number, TailWord[]>;
  /** Words a run must end with (legal forms, businesses). */
  last: Map<number, TailWord[]>;
  standalone: Map<number, string[]>;
  notAfterStandalone: Map<number, string[]>;
}

/**
 * For every position, where a tail starting there ends (−1: none): the end the regex `(?:RUN)*(?:LAST)` would find
 * there — its first success in backtracking order (run words longest first, then the last word) — but computed right
 * to left, each position once, so the cost is linear in the text (the regex was exponential on 建筑工程×20).
 */
function tailEnds(s: string, t: EnterpriseTails): Int32Array {
  const end = new Int32Array(s.length + 1).fill(-1);
  for (let q = s.length - 1; q >= 0; q--) {
    const c = s.charCodeAt(q);
    let r = -1;
    const run = t.run.get(c);
    if (run) {
      for (const w of run) {
        if (at(s, q, w) && end[q + w.text.length]! >= 0) {
          r = end[q + w.text.length]!;
          break;
        }
      }
    }
    if (r < 0) {
      const last = t.last.get(c);
      if (last) {
        for (const w of last) {
          if (at(s, q, w)) {
            r = q + w.text.length;
            break;
          }
        }
      }
    }
    end[q] = r;
  }
  return end;
}

/** A standalone industry word at `p` that no `notAfterStandalone` word follows: its end, or −1. */
function standaloneEnd(s: string, p: number, t: EnterpriseTails): number {
  for (const w of t.standalone.get(s.charCodeAt(p)) ?? []) {
    if (!s.startsWith(w, p)) continue;
    const e = p + w.length;
    if (!(t.notAfterStandalone.get(s.charCodeAt(e)) ?? []).some((n) => s.startsWith(n, e))) return e;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------------------------

function isNameChar(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** NFKC (full-width → half-width, compatibility forms) and no whitespace. */
function normaliseText(s: string): string {
  return s.normalize('NFKC').replace(WHITESPACE, '');
}

/** Group-key extraction with a vocabulary compiled once: what `functions/config/group-keys.ts` binds. */
export function createGroupKeys(v: GroupKeyVocabulary): GroupKeys {
  const { maxKeysPerKind, maxKeyChars, maxTradeNameChars, maxNameChars } = v.limits;
  const e = v.enterprise;
  const tailWord = (w: string): TailWord => ({ text: w, notBefore: e.notFollowedBy[w] ?? '' });
  const tails: EnterpriseTails = {
    run: byFirstUnit([...e.legalForms, ...e.industries, ...e.businesses], tailWord),
    last: byFirstUnit([...e.legalForms, ...e.businesses], tailWord),
    standalone: byFirstUnit(e.standalone, (w) => w),
    notAfterStandalone: byFirstUnit(e.notAfterStandalone, (w) => w),
  };
  const boundaryChars = v.boundary.chars;
  const guardedChars = Object.keys(v.boundary.guardedChars).join('');
  const guarded = Object.entries(v.boundary.guardedChars).map(([c, next]) => `${escapeRegExp(c)}(?![${charClass(next)}])`);
  const BOUNDARY_PREFIX = new RegExp(`^.*(?:${alternation(v.boundary.words)}|[${charClass(boundaryChars)}]${guarded.map((g) => `|${g}`).join('')})`, 'u');
  const GENERIC_CORES = new Set(v.genericCores);
  const NOT_NAME = new RegExp(
    `${alternation(v.notName.words)}|[${charClass(v.notName.chars)}]|[一二三四五六七八九十两几][个张只件条排片辆批群伙种根位名]|\\d+路`,
    'u',
  );
  const REGION_NAME_SET = new Set(v.regionNames);
  /** A province or city name, unless it names a street, village or district (北京路, 朝阳区). */
  const REGION_NAME_PREFIX = new RegExp(`^(?:${alternation(v.regionNames)})(?![路街道巷村区县市镇乡])`, 'u');
  const GENERIC_TAIL = new RegExp(`(?:${alternation([...e.legalForms, ...e.industries, ...e.businesses])}|[一二三四五六七八九十\\d]+期)$`, 'u');

  /**
   * The name-like text ending just before `end` and starting no earlier than `floor` (the end of the previous tail):
   * inside the quotes when a quote closes there, else the run of name characters.
   */
  function textBefore(s: string, end: number, floor: number): string {
    if (end > floor && QUOTE_CLOSE.includes(s[end - 1]!)) {
      const from = Math.max(floor, end - 2 - maxNameChars);
      for (let i = end - 2; i >= from; i--) {
        const ch = s[i]!;
        if (QUOTE_OPEN.includes(ch)) return s.slice(i + 1, end - 1);
        if (!isNameChar(ch.charCodeAt(0))) return '';
      }
      return '';
    }
    let start = end;
    while (start > floor && end - start < maxNameChars && isNameChar(s.charCodeAt(start - 1))) start--;
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
      joined = !boundaryChars.includes(m[0][m[0].length - 1]!) && !guardedChars.includes(m[0][m[0].length - 1]!);
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

  function acceptable(core: string, maxChars = maxKeyChars): boolean {
    return core.length >= 2 && core.length <= maxChars && !GENERIC_CORES.has(core) && !/^\d+$/.test(core);
  }

  function enterprisesIn(s: string, out: string[]): void {
    const ends = tailEnds(s, tails);
    let floor = 0;
    for (let p = 0; p < s.length && out.length < maxKeysPerKind; ) {
      // The first tail at or after p: a run ending in a legal form or business, else a standalone industry word.
      let end = ends[p]!;
      if (end < 0) end = standaloneEnd(s, p, tails);
      if (end < 0) {
        p++;
        continue;
      }
      const tail = s.slice(p, end);
      const [run, atFloor] = nameBefore(s, p, floor);
      const before = afterBoundary(run, atFloor);
      floor = end;
      p = end;
      if (!before || NOT_NAME.test(before)) continue;
      const key = stripGenericTail(stripPrefixes(before, true));
      // An estate's building site (滨河家园二期工地) is a place, not an employer; a city's name alone (乌海公交公司)
      // is not a trade name.
      if ((SITE_TAIL.test(tail) && ESTATE_END.test(key)) || REGION_NAME_SET.has(key)) continue;
      if (acceptable(key, maxTradeNameChars) && !implausible(key) && !out.includes(key)) out.push(key);
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
    for (let m = PLACE_TAIL.exec(s); m && out.length < maxKeysPerKind; m = PLACE_TAIL.exec(s)) {
      const [run, atFloor] = nameBefore(s, m.index, floor);
      const key = placeKey(m, run, atFloor);
      floor = m.index + m[0].length;
      if (key && !out.includes(key)) out.push(key);
    }
  }

  function normaliseAddress(address: string): string | undefined {
    let s = normaliseText(address).replace(ADDRESS_PARENS, '');
    if (s.includes('某')) return undefined;
    s = stripPrefixes(s, false);
    s = s.replace(ADDRESS_BUILDING, (_, n: string) => `${CN_DIGITS[n] ?? n}栋`).replace(ADDRESS_ROOM, '栋');
    s = s.replace(ADDRESS_TRAILING, '').replace(/#/g, '号');
    if (s.length < 3 || GENERIC_CORES.has(s) || ROAD_ONLY.test(s)) return undefined;
    return s.slice(0, maxKeyChars);
  }

  function groupKeysOf(input: { content: string; address?: string | undefined }, kinds: readonly GroupKey['kind'][]): GroupKey[] {
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

  return { groupKeysOf, normaliseAddress };
}
