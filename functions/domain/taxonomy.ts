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
export const MATTER_TYPES_12309 = [
  'accusation',
  'appeal',
  'report',
  'state_compensation',
  'judicial_aid',
  'pil_clue',
  'consultation',
  'other',
] as const;
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

/** Clue kinds for the procuratorate (线索), taxonomy.md §5. */
export const CLUE_KINDS = ['none', 'public_interest', 'support_prosecution', 'administrative_supervision', 'judicial_aid'] as const;
export const ClueKind = /* @__PURE__ */ (() => z.enum(CLUE_KINDS))();
export type ClueKind = z.infer<typeof ClueKind>;

export const URGENCIES = ['normal', 'urgent', 'emergency'] as const;
export const Urgency = /* @__PURE__ */ (() => z.enum(URGENCIES))();
export type Urgency = z.infer<typeof Urgency>;

/** Agency kinds are validated against the directory file, not a closed enum: a city may add its own. */
export const AgencyKind = /* @__PURE__ */ (() => z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)?$/, 'agency kind like "market-regulation" or "procuratorate.pil"'))();
export type AgencyKind = string;

/** A region code (行政区划代码); the pattern is shared with the zod/mini schemas that run in Lambda. */
export const REGION_CODE_PATTERN = /^\d{6}$/;
export const REGION_CODE_MESSAGE = '6-digit 行政区划代码';
export const RegionCode = /* @__PURE__ */ (() => z.string().regex(REGION_CODE_PATTERN, REGION_CODE_MESSAGE))();

/** Region-scoped agency id `<regionCode>:<kind>`, e.g. `150302:market-regulation`. */
export type AgencyId = `${string}:${string}`;
export const agencyId = (regionCode: string, kind: string): AgencyId => `${regionCode}:${kind}`;
export function parseAgencyId(id: string): { regionCode: string; kind: string } | undefined {
  const m = /^(\d{6}):(.+)$/.exec(id);
  return m ? { regionCode: m[1]!, kind: m[2]! } : undefined;
}
