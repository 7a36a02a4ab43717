/**
 * What the route table (functions/http/routes.ts) does not say about a route and an integrator needs: a summary, the
 * request schemas (the same zod schemas the handlers validate with) and the success answers (api/responses.ts).
 * Keyed by route name. A route of the table that has no entry here still gets an operation in openapi.json, with
 * everything the table says (path, parameters, auth, body kind, the error answers); its entry only adds the schemas.
 */
import type { z } from 'zod';
import * as zm from 'zod/mini';
import { deadlinePolicy } from '../functions/config/deadline-policy.js';
import { AuditQuery, bodySchemas, ClustersQuery, KpiQuery, ListQuery, RecommendationBody, ReportQuery } from '../functions/cases/request.js';
import { rulesOf, type Action } from '../functions/domain/lifecycle/transitions.js';
import { Ticket12309, Ticket12345 } from '../functions/domain/ticket/schemas.js';
import { FeedbackBody } from '../functions/feedback/feedback.js';
import type { Route } from '../functions/http/routes.js';
import { MAX_BATCH } from '../functions/ingest/parse-request.js';
import { CaseView, ClusterPage, FeedbackRecorded, MonthlyReport, QueuePage, TicketsAccepted } from './responses.js';

// biome-ignore lint/suspicious/noExplicitAny: zod/mini and zod schemas alike (both are zod core types)
export type Schema = z.core.$ZodType<any>;

export interface SuccessDoc {
  description: string;
  /** JSON body; absent for a body-less answer. */
  schema?: Schema;
  /** Other media types the route can answer with (e.g. `text/csv`), with a description. */
  alternatives?: Record<string, string>;
}

export interface OperationDoc {
  summary: string;
  description?: string;
  /**
   * The JSON request body. `{ by, schemas }`: the body depends on a path parameter with a fixed list of values, and
   * the document has one operation per value (`/v1/hotlines/12345/tickets`, `/v1/cases/{caseId}/accept` ...).
   */
  body?: Schema | { by: string; schemas: Record<string, Schema> };
  /** The query string (an object schema: one parameter per property). */
  query?: Schema;
  /** Success answers by status. */
  success: Record<number, SuccessDoc>;
  /** Error answers this route has beyond the ones the route table implies (400, 401, 404, 413, 415, 500, 503). */
  errors?: ('403' | '404' | '409')[];
}

/** A batch: one ticket, or `{"tickets": [...]}` with 1–100 (functions/ingest/parse-request.ts), built with the handler's own zod/mini schemas. */
function ticketBatch(ticket: typeof Ticket12345 | typeof Ticket12309): Schema {
  return zm.union([ticket, zm.strictObject({ tickets: zm.array(ticket).check(zm.minLength(1), zm.maxLength(MAX_BATCH)) })]);
}

const actionBodies = bodySchemas(deadlinePolicy);

export const OPERATIONS: { [N in Route['name']]?: OperationDoc } = {
  tickets: {
    summary: 'Send tickets (工单) from a hotline',
    description:
      'Stores each new ticket as a case and answers with one result per ticket, in order. A ticket the hotline sent before answers ' +
      '`duplicate` with the same `caseId`, so re-sending a batch after a timeout or a 503 is safe. `receivedAt` must lie within the ' +
      'window of config/deadline-policy.json `receipt` (by default at most 5 minutes ahead of the request and at most 366 days before it).',
    body: { by: 'source', schemas: { '12345': ticketBatch(Ticket12345), '12309': ticketBatch(Ticket12309) } },
    success: { 202: { description: 'Every ticket is stored (accepted) or was already stored (duplicate).', schema: TicketsAccepted } },
  },
  feedback: {
    summary: 'Report the result of a callback survey (回访)',
    description:
      'Name the ticket by `ticketId` (12345) or `caseNo` (12309), exactly one of them. `satisfied` and `basically_satisfied` close a replied case; ' +
      '`dissatisfied` reopens it once.',
    body: FeedbackBody,
    success: { 200: { description: 'The feedback is recorded.', schema: FeedbackRecorded } },
    errors: ['409'],
  },
  queue: {
    summary: "An agency's work queue, by status, ordered by due time",
    query: ListQuery,
    success: { 200: { description: 'One page of the queue.', schema: QueuePage } },
    errors: ['403'],
  },
  case: {
    summary: 'One case',
    description: "Another agency's case answers 404, exactly like a missing one.",
    success: { 200: { description: 'The case.', schema: CaseView } },
  },
  action: {
    summary: 'Move a case through its lifecycle',
    description: 'The state table and the role matrix: docs/lifecycle.md. The answer is the case after the action.',
    body: { by: 'action', schemas: actionBodies },
    success: { 200: { description: 'The action is done; the case as it is now.', schema: CaseView } },
    errors: ['403', '409'],
  },
  recommend: {
    summary: 'Issue a procuratorial recommendation (检察建议) to an agency',
    description:
      'Name the case (`subjectCaseId`) or the similar-case cluster (`clusterId`) it is about. With the same `requestId`, a retry answers 200 ' +
      'with the recommendation made the first time.',
    body: RecommendationBody,
    success: {
      201: { description: 'The recommendation case was made.', schema: CaseView },
      200: { description: 'A retry: the recommendation made before with this `requestId`.', schema: CaseView },
    },
    errors: ['403', '404', '409'],
  },
  clusters: {
    summary: 'Similar-case clusters (类案) in the regions the caller covers',
    query: ClustersQuery,
    success: { 200: { description: 'One page of clusters, newest first.', schema: ClusterPage } },
    errors: ['403'],
  },
  report: {
    summary: 'The joint monthly report (府检联动)',
    query: ReportQuery,
    success: {
      200: {
        description: 'The report (`format=json`, the default) or the same as CSV (`format=csv`).',
        schema: MonthlyReport,
        alternatives: { 'text/csv; charset=utf-8': 'with `format=csv`: one line per agency and domain, with a header line' },
      },
    },
    errors: ['403'],
  },
  kpis: {
    summary: 'The rates (一次派准率, 退单率, dispute uphold rate, on-time rates, 响应率/解决率/满意率) over months',
    description:
      'Formulas and defaults: docs/kpis.md. Every rate comes with its sample size; a rate whose sample is below config/kpis.json ' +
      '`minimumSample` is null (hidden). Operators read the regions their agency covers; an agency reads its own rates.',
    query: KpiQuery,
    success: { 200: { description: 'Each rate with its sample size, for the months, region and agency asked.' } },
    errors: ['403'],
  },
  audit: {
    summary: "The audit trail (操作留痕): who (role, agency, the person's `sub`) did which action or read which contact",
    description: 'Operators only, within their jurisdiction; at most 31 days per request. CSV by default. docs/privacy.md.',
    query: AuditQuery,
    success: {
      200: {
        description: 'The audit records of the days asked, as CSV (the default) or JSON (`format=json`).',
        alternatives: { 'text/csv; charset=utf-8': 'with `format=csv` (the default): one line per record, with a header line' },
      },
    },
    errors: ['403'],
  },
};

/** The Chinese term and the first rule's label of an action, for its operation's summary. */
export const actionLabel = (action: string): string => rulesOf(action as Action)[0]?.label ?? action;
