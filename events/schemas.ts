/**
 * Event contracts (product.md §6), declared once with zod. `npm run events:export` writes them as JSON Schema
 * to `events/json/`, and a test fails when the committed files drift from these declarations.
 *
 * Every event carries the envelope of `envelope.ts` — a deterministic `eventId` (a retry republishes the same id:
 * consumers deduplicate on it), `schemaVersion`, `occurredAt`, `caseId` and `correlationId` — and never raw
 * personal data. Code that builds events imports `envelope.ts` (no zod); only validation and export import this.
 */
import { z } from 'zod';
import { AgencyIdString as AgencyIdSchema, CASE_KINDS, ClueKind, Domain, Source, TicketType, Urgency } from '../functions/domain/taxonomy.js';
import { TRANSITION_STATUSES } from '../functions/domain/case/case.js';
import { SCHEMA_VERSION, type EventEnvelope } from './envelope.js';

const CaseStatus = z.enum(TRANSITION_STATUSES);
const CaseKind = z.enum(CASE_KINDS);
const Iso = z.string().describe('ISO 8601 date-time with offset');

const Envelope = z.object({
  eventId: z.string().uuid(),
  schemaVersion: z.literal(SCHEMA_VERSION),
  occurredAt: Iso,
  caseId: z.string(),
  correlationId: z.string(),
}) satisfies z.ZodType<EventEnvelope>;

const Deadlines = z.object({
  acceptBy: Iso.optional(),
  replyBy: Iso.optional(),
  proceduralReplyBy: Iso.optional(),
  resultReplyBy: Iso.optional(),
  evaluateBy: Iso.optional(),
  beyondKnownCalendar: z.boolean(),
});

/** A ticket became a case (受理). No content: free text may hold personal data. */
export const TicketReceived = Envelope.extend({
  source: Source,
  sourceTicketId: z.string(),
  regionCode: z.string(),
  receivedAt: Iso,
  channel: z.string(),
  declaredType: z.string().nullable(),
  urgency: Urgency,
});

/** What the classifier decided and why. */
export const TicketClassified = Envelope.extend({
  source: Source,
  domain: Domain,
  ticketType: TicketType,
  typeOverruled: z.boolean(),
  clue: ClueKind,
  confidence: z.number().min(0).max(1),
  needsReview: z.boolean(),
  urgency: Urgency,
  evidence: z.array(z.string()),
});

/** The case is in an agency's queue (派单); `needs_review` cases go to the region's dispatch-center. */
export const CaseDispatched = Envelope.extend({
  kind: CaseKind,
  status: z.enum(['dispatched', 'needs_review']),
  source: Source,
  agencyId: AgencyIdSchema,
  referralAgencyId: AgencyIdSchema.nullable(),
  regionCode: z.string(),
  domain: Domain,
  ticketType: TicketType,
  clue: ClueKind,
  urgency: Urgency,
  dueAt: Iso.nullable(),
  deadlines: Deadlines,
});

/** A 12309 ticket that belongs to the government went to the agency that owns it (移送). */
export const CaseTransferred = Envelope.extend({
  source: z.literal('12309'),
  sourceTicketId: z.string(),
  agencyId: AgencyIdSchema,
  domain: Domain,
  deadlines: Deadlines,
});

/** Lifecycle transitions (签收, 退单, 延期, 办结, 结案, 重办 ...): one shape, the detail-type names the transition. */
export const CaseTransition = Envelope.extend({
  kind: CaseKind,
  agencyId: AgencyIdSchema.nullable(),
  from: CaseStatus.nullable(),
  to: CaseStatus,
  version: z.number().int().positive(),
  actor: z.string().describe('role and agency, never a person'),
  note: z.string().optional().describe('masked free text'),
  dueAt: Iso.optional().describe("the case's next deadline after this transition, e.g. the new reply deadline of an extension"),
});

/** Deadline warnings (Case.DueSoon, Case.Overdue, Case.Escalated, Recommendation.Overdue). */
export const DeadlineEvent = Envelope.extend({
  agencyId: AgencyIdSchema,
  deadline: z.enum(['acceptBy', 'replyBy', 'proceduralReplyBy', 'resultReplyBy', 'evaluateBy']),
  dueAt: Iso,
  escalateTo: z
    .string()
    .optional()
    .describe('Case.Escalated only: who the case is escalated to (催办), a role of an agency such as supervisor@150302:market-regulation; never a person'),
});

/** 府检联动: clue referral, its outcome, recommendations, clusters. */
export const ClueEvent = Envelope.extend({
  parentCaseId: z.string().describe('the case the clue came from (for a cluster clue, the case that completed the cluster)'),
  agencyId: AgencyIdSchema.describe('the procuratorate department the clue is referred to'),
  clue: ClueKind,
  evaluateBy: Iso.nullable().optional().describe('Clue.Referred: when the department must accept or decline'),
  clusterId: z.string().optional().describe('set when a similar-case cluster raised the clue'),
  reason: z.string().optional().describe('Clue.Declined: the masked reason'),
});
export const RecommendationEvent = Envelope.extend({
  agencyId: AgencyIdSchema.describe('the agency the 检察建议 is addressed to'),
  issuedBy: AgencyIdSchema,
  replyBy: Iso,
  urgency: Urgency.optional(),
  subjectCaseId: z.string().optional(),
  clusterId: z.string().optional(),
  followUpAt: Iso.optional().describe('Recommendation.Replied: the follow-up (回头看) date'),
});
export const ClusterDetected = Envelope.extend({
  clusterId: z.string(),
  ruleId: z.string().describe('the similar-case rule of config/cluster-rules.json'),
  domain: Domain,
  regionCode: z.string(),
  keyKind: z.enum(['enterprise', 'place', 'address']),
  groupKey: z.string().describe('normalised enterprise, address or place; never a person'),
  caseIds: z.array(z.string()).describe('the cases that made the cluster; caseId is the one that completed it'),
  clue: ClueKind,
  clueCaseId: z.string().describe('the clue referral raised for the cluster'),
  agencyId: AgencyIdSchema.describe('the procuratorate department the clue is referred to'),
});

/**
 * A repeat request (重复诉求) was merged into an open case instead of being dispatched again: `caseId` is the new
 * ticket's case, `mergedInto` the case it joined (whose agency works both). No caller data, not even its keyed hash.
 */
export const CaseMerged = Envelope.extend({
  source: Source,
  sourceTicketId: z.string(),
  regionCode: z.string(),
  mergedInto: z.string().describe('the open case this ticket repeats; its agency answers both'),
  agencyId: AgencyIdSchema.describe('the agency of the case it joined'),
  domain: Domain,
  match: z.enum(['caller', 'place']).describe('caller: the same caller (compared by a keyed hash); place: the same place and domain within the window'),
});

/** Every detail-type of product.md §6 with its schema. */
export const EVENT_SCHEMAS = {
  'Ticket.Received': TicketReceived,
  'Ticket.Classified': TicketClassified,
  'Case.Dispatched': CaseDispatched,
  'Case.Accepted': CaseTransition,
  'Case.Returned': CaseTransition,
  'Case.ExtensionRequested': CaseTransition,
  'Case.ExtensionGranted': CaseTransition,
  'Case.Replied': CaseTransition,
  'Case.Closed': CaseTransition,
  'Case.Reopened': CaseTransition,
  'Case.DueSoon': DeadlineEvent,
  'Case.Overdue': DeadlineEvent,
  'Case.Escalated': DeadlineEvent,
  'Clue.Referred': ClueEvent,
  'Clue.Accepted': ClueEvent,
  'Clue.Declined': ClueEvent,
  'Recommendation.Issued': RecommendationEvent,
  'Recommendation.Replied': RecommendationEvent,
  'Recommendation.Overdue': RecommendationEvent,
  'Case.Transferred': CaseTransferred,
  'Cluster.Detected': ClusterDetected,
  'Case.Merged': CaseMerged,
} as const;

export type EventType = keyof typeof EVENT_SCHEMAS;
export type EventDetail<T extends EventType> = z.infer<(typeof EVENT_SCHEMAS)[T]>;

/** An event as the bus port carries it: detail-type plus a detail valid against its schema. */
export interface DomainEvent<T extends EventType = EventType> {
  type: T;
  detail: EventDetail<T>;
}
