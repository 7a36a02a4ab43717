/**
 * The fixed vocabulary of the product (taxonomy.md §1–§5). These codes are contracts shared with the
 * hotlines and the labelled data, so they live in code; everything a deployer tunes (lexicon, directory,
 * routing, deadlines) lives in `config/`.
 */
import { z } from 'zod';

// The zod schemas below are used to validate config files (tests, cdk synth) and by the event contracts; each is
// built in a pure IIFE so that a Lambda bundle using only the constants and types leaves them, and zod, out.

export const SOURCES = ['12345', '12309'] as const;
export const Source = /* @__PURE__ */ (() => z.enum(SOURCES))();
export type Source = z.infer<typeof Source>;

/** 12345 ticket types (诉求类型). */
export const TICKET_TYPES_12345 = ['consultation', 'complaint', 'report', 'suggestion', 'help', 'praise'] as const;
/** 12309 matter types (事项类别). */
export const MATTER_TYPES_12309 = ['accusation', 'appeal', 'report', 'state_compensation', 'judicial_aid', 'pil_clue', 'consultation', 'other'] as const;
export const TicketType12345 = /* @__PURE__ */ (() => z.enum(TICKET_TYPES_12345))();
export const MatterType12309 = /* @__PURE__ */ (() => z.enum(MATTER_TYPES_12309))();
export const TicketType = /* @__PURE__ */ (() => z.enum([...new Set([...TICKET_TYPES_12345, ...MATTER_TYPES_12309])] as [string, ...string[]]))();
export type TicketType = (typeof TICKET_TYPES_12345)[number] | (typeof MATTER_TYPES_12309)[number];

/** Domains (诉求领域), taxonomy.md §3. */
export const DOMAINS = [
  'ecology_environment',
  'natural_resources',
  'water_affairs',
  'food_drug_safety',
  'consumer_market',
  'agriculture',
  'safety_production',
  'labor_wages',
  'social_insurance',
  'minors_protection',
  'elderly_disability',
  'women_rights',
  'veterans_martyrs',
  'cultural_heritage',
  'state_assets',
  'personal_information',
  'telecom_fraud',
  'urban_management',
  'housing_property',
  'transport',
  'public_order',
  'education',
  'health_care',
  'social_assistance',
  'tax',
  'judicial_affairs',
  'other',
] as const;
export const Domain = /* @__PURE__ */ (() => z.enum(DOMAINS))();
export type Domain = z.infer<typeof Domain>;

/** The domains' Chinese names (taxonomy.md §3), for people: the console and the demo's table. */
export const DOMAIN_NAMES_ZH: Readonly<Record<Domain, string>> = {
  ecology_environment: '生态环境',
  natural_resources: '自然资源',
  water_affairs: '水务与河湖',
  food_drug_safety: '食品药品安全',
  consumer_market: '消费与市场秩序',
  agriculture: '农业农村',
  safety_production: '安全生产',
  labor_wages: '劳动与欠薪',
  social_insurance: '社会保险与医保',
  minors_protection: '未成年人保护',
  elderly_disability: '养老与无障碍',
  women_rights: '妇女权益',
  veterans_martyrs: '退役军人与英烈保护',
  cultural_heritage: '文物与文化遗产',
  state_assets: '国有财产保护',
  personal_information: '个人信息保护',
  telecom_fraud: '电信网络诈骗',
  urban_management: '城市管理',
  housing_property: '住房与物业',
  transport: '交通出行',
  public_order: '社会治安',
  education: '教育',
  health_care: '卫生健康',
  social_assistance: '社会救助与民政',
  tax: '税收',
  judicial_affairs: '司法与检察事务',
  other: '其他',
};

/** Clue kinds for the procuratorate (线索), taxonomy.md §5. */
export const CLUE_KINDS = ['none', 'public_interest', 'support_prosecution', 'administrative_supervision', 'judicial_aid'] as const;
export const ClueKind = /* @__PURE__ */ (() => z.enum(CLUE_KINDS))();
export type ClueKind = z.infer<typeof ClueKind>;

export const URGENCIES = ['normal', 'urgent', 'emergency'] as const;
export const Urgency = /* @__PURE__ */ (() => z.enum(URGENCIES))();
export type Urgency = z.infer<typeof Urgency>;

/** `ticket`: a hotline ticket; `transfer`: a 12309 ticket sent to the government (移送); `clue`: a referral to the
 * procuratorate (线索移送); `recommendation`: a 检察建议 an agency must answer. */
export const CASE_KINDS = ['ticket', 'transfer', 'clue', 'recommendation'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

/** An agency kind, `market-regulation`, or a department of one, `procuratorate.pil`. */
export const AGENCY_KIND_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)?$/;
/** A 6-digit 行政区划代码. */
export const REGION_CODE_PATTERN = /^\d{6}$/;
/** Region-scoped agency id `<regionCode>:<kind>`, e.g. `150302:market-regulation`: the two patterns above, joined. */
export const AGENCY_ID_PATTERN = new RegExp(`^${REGION_CODE_PATTERN.source.slice(1, -1)}:${AGENCY_KIND_PATTERN.source.slice(1, -1)}$`);

/** Agency kinds are validated against the directory file, not a closed enum: a city may add its own. */
export const AgencyKind = /* @__PURE__ */ (() => z.string().regex(AGENCY_KIND_PATTERN, 'agency kind like "market-regulation" or "procuratorate.pil"'))();
export type AgencyKind = string;

/** The region code's message, shared with the zod/mini schemas that run in Lambda. */
export const REGION_CODE_MESSAGE = '6-digit 行政区划代码';
export const RegionCode = /* @__PURE__ */ (() => z.string().regex(REGION_CODE_PATTERN, REGION_CODE_MESSAGE))();

export type AgencyId = `${string}:${string}`;
/** The agency id as a request, a token claim or an event field carries it. */
export const AgencyIdString = /* @__PURE__ */ (() => z.string().regex(AGENCY_ID_PATTERN, 'agency id like 150302:market-regulation'))();
export const agencyId = (regionCode: string, kind: string): AgencyId => `${regionCode}:${kind}`;
export const isAgencyId = (id: string): id is AgencyId => AGENCY_ID_PATTERN.test(id);
export function parseAgencyId(id: string): { regionCode: string; kind: string } | undefined {
  if (!isAgencyId(id)) return undefined;
  const at = id.indexOf(':');
  return { regionCode: id.slice(0, at), kind: id.slice(at + 1) };
}
