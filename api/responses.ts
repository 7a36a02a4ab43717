/**
 * What the HTTP API answers, as zod schemas: the success bodies of each route, the error bodies every route shares,
 * and the status callback the hotlines receive. Build and test time only (full zod): the handlers build their answers
 * with plain objects, and these schemas are checked against them two ways: at compile time where the handler's type
 * is exported (the `Same<>` assertions below fail `npm run typecheck` when a handler's answer changes shape), and at
 * run time by test/api/contract.it.test.ts, which parses real answers of local mode with them.
 *
 * The error bodies reuse the constants the HTTP edge answers with (functions/http/), so a changed limit or code
 * changes the document too.
 */
import { z } from 'zod';
import type { AcceptResult } from '../functions/app/accept-tickets.js';
import type { StatusCallback } from '../functions/app/callbacks.js';
import { FEEDBACK_RESULTS } from '../functions/app/feedback.js';
import type { listItem } from '../functions/cases/views.js';
import { CASE_STATUSES, MERGE_MATCHES, RETURN_REASON_KINDS } from '../functions/domain/case/case.js';
import { CLUSTER_STATUSES } from '../functions/domain/linkage/cluster-record.js';
import {
  AgencyIdString,
  CASE_KINDS,
  ClueKind,
  Domain,
  Source,
  TicketType as TicketTypeEnum,
  Urgency,
  type TicketType as TicketTypeValue,
} from '../functions/domain/taxonomy.js';
import { MAX_BODY_BYTES } from '../functions/http/body.js';
import { SERVICE_UNAVAILABLE } from '../functions/http/errors-to-http.js';

/** Compile-time check that a schema's output type and a handler's type are the same (both directions). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(_: T) => undefined;

const Iso = z.string().describe('ISO 8601 date-time with an offset (`+08:00` or `Z`)');
const CaseStatus = z.enum(CASE_STATUSES);
const CaseKind = z.enum(CASE_KINDS);
/** The taxonomy's enum of both hotlines' types, typed as the union it is (the enum is built from a de-duplicated list). */
const TicketType = TicketTypeEnum as unknown as z.ZodType<TicketTypeValue>;
const CaseId = z.string().describe('the case id; the same ticket from the same hotline always gets the same one');

// ---------------------------------------------------------------------------------------------- errors (every route)

export const ValidationFailed = z
  .object({
    error: z.literal('validation_failed'),
    details: z.array(
      z.object({
        index: z.int().nullable().describe("the ticket's position in a batch; null for a single body, a query or a path parameter"),
        path: z.string().describe('the field, written like `tickets[0].caller.phone` or `attachments[1].url`; empty for the whole body'),
        message: z.string(),
      }),
    ),
  })
  .describe('The request is invalid; every problem is listed. Nothing was stored: fix the request, do not retry it as is.');

export const Unauthorized = z
  .object({
    error: z.literal('unauthorized'),
    reason: z
      .string()
      .describe(
        'hotline routes: `missing_signature`, `malformed_signature`, `stale_signature` (outside the 300 s window: check the clock), `invalid_signature`; ' +
          'agency routes: `missing_token`, `invalid_token`, `token_expired`, `invalid_claims`',
      ),
  })
  .describe('The signature or the token was refused. Nothing was stored.');

export const PayloadTooLarge = z.object({ error: z.literal('payload_too_large'), maxBytes: z.literal(MAX_BODY_BYTES) }).describe('The body is over 256 KiB.');

export const UnsupportedMediaType = z
  .object({ error: z.literal('unsupported_media_type'), expected: z.literal('application/json; charset=utf-8') })
  .describe('The body is not `application/json` in UTF-8.');

export const NotFound = z.object({ error: z.literal('not_found') }).describe('No such route, case, ticket or agency (or one the caller may not see).');

export const Forbidden = z.object({ error: z.literal('forbidden') }).describe("The caller's role or agency may not do this.");

export const Conflict = z
  .object({
    error: z.enum(['invalid_transition', 'conflict', 'not_applicable']),
    status: CaseStatus.optional().describe('the case status now'),
    allowed: z.array(z.string()).optional().describe('the actions the caller may take now (`invalid_transition`)'),
    reason: z.string().optional(),
  })
  .describe('The case is not in a state that allows this (or another change won a race: read it again).');

export const ServiceUnavailable = z
  .object({ error: z.literal(SERVICE_UNAVAILABLE.error), retryable: z.literal(SERVICE_UNAVAILABLE.retryable) })
  .describe('A backing service failed. Nothing was lost: send the same request again, with backoff (see `Retry-After`).');

export const InternalError = z.object({ error: z.literal('internal_error') }).describe('An unexpected error; it is logged. Retrying is safe.');

// ------------------------------------------------------------------------------------------------- hotline routes

export const TicketsAccepted = z.object({
  results: z.array(
    z.object({
      ticketId: z.string().describe("the hotline's own id of the ticket (`ticketId` for 12345, `caseNo` for 12309)"),
      status: z.enum(['accepted', 'duplicate']).describe('`duplicate`: this ticket was already accepted; `caseId` is the case it made'),
      caseId: CaseId,
    }),
  ),
});
same<Same<z.output<typeof TicketsAccepted>['results'][number], AcceptResult>>(true);

export const FeedbackRecorded = z.object({
  caseId: CaseId,
  status: CaseStatus.describe('the case status after the feedback'),
  result: z.enum(FEEDBACK_RESULTS),
  duplicate: z.boolean().describe('true when the same feedback was already recorded'),
});

/** The body of a status callback POST to a hotline's callback URL (product.md §10). */
export const StatusCallbackBody = z.object({
  caseId: CaseId,
  sourceTicketId: z.string().describe("the hotline's own ticket id"),
  source: Source,
  status: z.enum([...CASE_STATUSES, 'transferred']).describe('the case status after the event; `transferred`: a 12309 ticket handed to the government'),
  occurredAt: Iso,
  eventId: z.string().describe('the id of the event that caused the callback; the same event may be delivered twice: deduplicate on it'),
});
same<Same<z.output<typeof StatusCallbackBody>, StatusCallback>>(true);

// ----------------------------------------------------------------------------------------------------- agency API

export const QueueItem = z.object({
  caseId: CaseId,
  kind: CaseKind,
  status: CaseStatus,
  domain: Domain.nullable(),
  ticketType: TicketType.nullable(),
  urgency: Urgency,
  dueAt: Iso.nullable(),
  receivedAt: Iso,
  regionCode: z.string(),
});
same<Same<z.output<typeof QueueItem>, ReturnType<typeof listItem>>>(true);

export const QueuePage = z.object({
  items: z.array(QueueItem),
  nextCursor: z.string().nullable().describe('pass as `cursor` for the next page; null on the last page'),
});

const Deadlines = z.object({
  acceptBy: Iso.optional(),
  replyBy: Iso.optional(),
  proceduralReplyBy: Iso.optional(),
  resultReplyBy: Iso.optional(),
  evaluateBy: Iso.optional(),
  beyondKnownCalendar: z.boolean().describe('a deadline counted working days through a year the working calendar does not know yet: an estimate'),
});

const HistoryEntry = z.object({
  version: z.int(),
  at: Iso,
  by: z.string(),
  from: CaseStatus.nullable(),
  to: CaseStatus,
  note: z.string().optional(),
  agencyId: z.string().optional(),
  onTime: z.boolean().optional(),
});

const MergeMatch = z.enum(MERGE_MATCHES).describe('the same caller (a keyed hash of the phone) or the same place and domain');

const Contact = z.object({ name: z.string().optional(), phone: z.string().optional(), idNumber: z.string().optional() });

export const CaseView = z
  .object({
    caseId: CaseId,
    kind: CaseKind,
    status: CaseStatus,
    version: z.int(),
    source: Source,
    sourceTicketId: z.string(),
    agencyId: AgencyIdString.nullable(),
    referralAgencyId: AgencyIdString.nullable(),
    regionCode: z.string(),
    domain: Domain.nullable(),
    ticketType: TicketType.nullable(),
    clue: ClueKind.nullable(),
    urgency: Urgency,
    receivedAt: Iso,
    dispatchedAt: Iso.nullable(),
    dueAt: Iso.nullable(),
    deadlines: Deadlines.nullable(),
    extension: z
      .object({
        requestedWorkingDays: z.int(),
        requestedAt: Iso,
        status: z.enum(['requested', 'granted', 'lapsed']),
        grantedAt: Iso.optional(),
        previousReplyBy: Iso.optional(),
      })
      .nullable(),
    reply: z.object({ at: Iso, result: z.string() }).nullable(),
    history: z.array(HistoryEntry),
    parentCaseId: z.string().nullable(),
    clusterId: z.string().nullable(),
    referrals: z.array(z.object({ caseId: z.string(), agencyId: z.string(), status: z.string() })),
    issuedBy: z.string().nullable(),
    followUpAt: Iso.nullable(),
    overdue: z.array(z.object({ deadline: z.string(), dueAt: Iso, agencyId: z.string(), at: Iso })),
    requests: z
      .object({
        count: z.int().describe('this case and the tickets merged into it'),
        merged: z.array(z.object({ caseId: z.string(), source: Source, sourceTicketId: z.string(), at: Iso, match: MergeMatch })),
      })
      .describe('重复诉求合并: the requests this case answers'),
    mergedInto: z.string().nullable().describe('a `merged` ticket: the case it joined'),
    merge: z
      .object({ match: MergeMatch, agencyId: AgencyIdString.describe('the agency of the case it joined') })
      .nullable()
      .describe('a `merged` ticket: how the repeat was recognised'),
    disputes: z
      .array(
        z.object({
          version: z.int(),
          reasonKind: z.enum(RETURN_REASON_KINDS),
          suggestedAgencyId: AgencyIdString.optional(),
          fromAgencyId: AgencyIdString.describe('the agency that returned the case'),
          openedAt: Iso,
          decideBy: Iso.describe('the dispatch center decides by then (config/dispute-policy.json)'),
          outcome: z.enum(['upheld', 'rejected']).optional(),
          decidedAt: Iso.optional(),
          decidedVersion: z.int().optional(),
          toAgencyId: AgencyIdString.optional(),
        }),
      )
      .describe('returns reviewed as disputes (派单异议), in order; the last one may still be open'),
    content: z.string().describe('the ticket text; ID-like and phone-like strings are masked for anyone but the owning agency'),
    contact: Contact.nullable().describe('unmasked only for the owning agency'),
    allowedActions: z.array(z.string()).describe('what the caller may do now'),
  })
  .describe('A case as the agency API shows it.');

export const Cluster = z.looseObject({
  clusterId: z.string(),
  ruleId: z.string(),
  regionCode: z.string(),
  domain: Domain,
  keyKind: z.string(),
  groupKey: z.string(),
  caseIds: z.array(z.string()),
  detectedCount: z.int(),
  detectedAt: Iso,
  windowEndsAt: Iso,
  clue: ClueKind,
  clueCaseId: z.string(),
  agencyId: z.string(),
  status: z.enum(CLUSTER_STATUSES),
});

export const ClusterPage = z.object({ items: z.array(Cluster), nextCursor: z.string().nullable() });

const Rate = z.number().min(0).max(1).nullable();
export const MonthlyReport = z.object({
  month: z.string(),
  regions: z.array(z.string()),
  rows: z.array(
    z.object({
      agencyId: z.string(),
      agencyName: z.string().nullable(),
      domain: z.string(),
      counts: z.record(z.string(), z.int()),
      rates: z.object({ signedOnTime: Rate, repliedOnTime: Rate, satisfaction: Rate, recommendationsAnsweredOnTime: Rate }),
    }),
  ),
  totals: z.record(z.string(), z.int()),
});
