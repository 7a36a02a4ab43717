/**
 * Inbound ticket payloads exactly as product.md §3 defines them. Declared once with zod; the ingest
 * handler validates with these, the classifier CLI reads these, and tests build fixtures against them.
 */
import { z } from 'zod';
import { MatterType12309, RegionCode, TicketType12345, Urgency } from '../taxonomy.js';

const isoWithOffset = z.iso.datetime({ offset: true, message: 'ISO 8601 date-time with a UTC offset, e.g. 2026-01-02T02:37:14+08:00' });

const PersonalData = z.strictObject({
  name: z.string().max(100).optional(),
  phone: z.string().max(40).optional(),
  idNumber: z.string().max(40).optional(),
});

export const Location = z.strictObject({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  datum: z.enum(['GCJ-02', 'WGS-84']).optional(),
});

/** 12345 ticket (工单). */
export const Ticket12345 = z.strictObject({
  ticketId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'only letters, digits, "_" and "-"'),
  receivedAt: isoWithOffset,
  channel: z.enum(['phone', 'web', 'app', 'wechat', 'email', 'other']),
  type: TicketType12345.optional(),
  urgency: Urgency.default('normal'),
  title: z.string().max(200).optional(),
  content: z.string().min(1).max(5000),
  regionCode: RegionCode,
  address: z.string().max(500).optional(),
  location: Location.optional(),
  caller: PersonalData.optional(),
  hotlineCategory: z.string().max(100).optional(),
  attachments: z.array(z.strictObject({ name: z.string().min(1).max(200), url: z.url() })).max(10).optional(),
});
export type Ticket12345 = z.infer<typeof Ticket12345>;

/** 12309 ticket (件). */
export const Ticket12309 = z.strictObject({
  caseNo: z.string().min(1).max(64),
  receivedAt: isoWithOffset,
  channel: z.enum(['phone', 'web', 'letter', 'visit', 'wechat', 'other']),
  matterType: MatterType12309,
  content: z.string().min(1).max(5000),
  demand: z.string().max(2000).optional(),
  procuratorateCode: RegionCode,
  regionCode: RegionCode.optional(),
  respondent: z
    .strictObject({ kind: z.enum(['person', 'agency', 'enterprise', 'court', 'police', 'other']), name: z.string().max(200).optional() })
    .optional(),
  petitioner: PersonalData.optional(),
});
export type Ticket12309 = z.infer<typeof Ticket12309>;

export type SourcedTicket = { source: '12345'; ticket: Ticket12345 } | { source: '12309'; ticket: Ticket12309 };

export const ticketSchemaFor = { '12345': Ticket12345, '12309': Ticket12309 } as const;

/** The id a source gives its ticket: `ticketId` (12345) or `caseNo` (12309). */
export const sourceTicketId = (t: SourcedTicket): string => (t.source === '12345' ? t.ticket.ticketId : t.ticket.caseNo);
