/**
 * Inbound ticket payloads exactly as product.md §3 defines them. Declared once with zod (zod/mini); the ingest
 * handler validates with these, the classifier CLI reads these, and tests build fixtures against them.
 */
import * as z from 'zod/mini';
import '../../shared/zod-mini.js';
import { isStorableNumber, STORABLE_NUMBER_MESSAGE } from '../store-limits.js';
import { MATTER_TYPES_12309, REGION_CODE_MESSAGE, REGION_CODE_PATTERN, TICKET_TYPES_12345, URGENCIES } from '../taxonomy.js';

// zod/mini: these run in the ingest Lambda on every ticket (functions/shared/zod-mini.ts).
const RegionCode = z.string().check(z.regex(REGION_CODE_PATTERN, REGION_CODE_MESSAGE));
const text = (max: number) => z.string().check(z.maxLength(max));
const required = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const isoWithOffset = z.iso.datetime({ offset: true, message: 'ISO 8601 date-time with a UTC offset, e.g. 2026-01-02T02:37:14+08:00' });

const PersonalData = z.strictObject({
  name: z.optional(text(100)),
  phone: z.optional(text(40)),
  idNumber: z.optional(text(40)),
});

// A coordinate the store cannot hold (1e-200 underflows DynamoDB's numbers) is refused here, not by the store with a 500.
const storable = z.refine<number>(isStorableNumber, STORABLE_NUMBER_MESSAGE);

export const Location = z.strictObject({
  lat: z.number().check(z.gte(-90), z.lte(90), storable),
  lng: z.number().check(z.gte(-180), z.lte(180), storable),
  datum: z.optional(z.enum(['GCJ-02', 'WGS-84'])),
});

/** 12345 ticket (工单). */
export const Ticket12345 = z.strictObject({
  ticketId: z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, 'only letters, digits, "_" and "-"')),
  receivedAt: isoWithOffset,
  channel: z.enum(['phone', 'web', 'app', 'wechat', 'email', 'other']),
  type: z.optional(z.enum(TICKET_TYPES_12345)),
  urgency: z._default(z.enum(URGENCIES), 'normal'),
  title: z.optional(text(200)),
  content: required(5000),
  regionCode: RegionCode,
  address: z.optional(text(500)),
  location: z.optional(Location),
  caller: z.optional(PersonalData),
  hotlineCategory: z.optional(text(100)),
  attachments: z.optional(z.array(z.strictObject({ name: required(200), url: z.url() })).check(z.maxLength(10))),
});
export type Ticket12345 = z.infer<typeof Ticket12345>;

/** 12309 ticket (件). */
export const Ticket12309 = z.strictObject({
  caseNo: required(64),
  receivedAt: isoWithOffset,
  channel: z.enum(['phone', 'web', 'letter', 'visit', 'wechat', 'other']),
  matterType: z.enum(MATTER_TYPES_12309),
  content: required(5000),
  demand: z.optional(text(2000)),
  procuratorateCode: RegionCode,
  regionCode: z.optional(RegionCode),
  respondent: z.optional(z.strictObject({ kind: z.enum(['person', 'agency', 'enterprise', 'court', 'police', 'other']), name: z.optional(text(200)) })),
  petitioner: z.optional(PersonalData),
});
export type Ticket12309 = z.infer<typeof Ticket12309>;

export type SourcedTicket = { source: '12345'; ticket: Ticket12345 } | { source: '12309'; ticket: Ticket12309 };

export const ticketSchemaFor = { '12345': Ticket12345, '12309': Ticket12309 } as const;
