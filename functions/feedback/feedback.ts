/**
 * `POST /v1/hotlines/{source}/feedback` (product.md §10): the hotline's callback-survey result (回访) for one of its
 * tickets. The shared HTTP stack does the same edge checks as for tickets (route table, media type, 256 KiB,
 * `X-Hotline-Signature` with that hotline's secret and a 300 s window, JSON); this validates the body and calls
 * `recordFeedback`.
 *
 * Body: `{"ticketId"|"caseNo": "...", "result": "satisfied"|"basically_satisfied"|"dissatisfied", "comment"?: "...",
 * "contacted"?: true|false, "resolved"?: true|false}` (the two booleans feed 响应率 and 解决率, docs/kpis.md)
 * (either id key names the hotline's own ticket id). Answers: 200 `{caseId, status, result, duplicate}`;
 * 400 `validation_failed`; 401 signature; 404 `not_found` (no such ticket from this hotline); 409
 * `not_applicable` with the case status and the reason; 413; 415; 503 `service_unavailable` when a backing service
 * fails. The transition's event is published by the outbox relay once the change is saved, even if the bus is down.
 */
import * as z from 'zod/mini';
import '../shared/zod-mini.js';
import { CaseNotFoundError, FeedbackNotApplicableError } from '../app/errors.js';
import { FEEDBACK_RESULTS, recordFeedback, type FeedbackDeps } from '../app/feedback.js';
import { httpFunction } from '../http/http-handler.js';
import { HttpError } from '../http/http-error.js';
import { json } from '../http/json-response.js';
import { parseOr400 } from '../http/validation.js';
import type { HotlineSecrets } from '../ports/hotline-secrets.js';
import { dimensionedCount, type Observability } from '../shared/observability.js';
import { METRIC } from '../shared/metric-names.js';

export type FeedbackHandlerDeps = FeedbackDeps & Observability & { secrets: HotlineSecrets };

const Id = z.string().check(z.trim(), z.minLength(1), z.maxLength(64));
export const FeedbackBody = z
  .strictObject({
    ticketId: z.optional(Id),
    caseNo: z.optional(Id),
    result: z.enum(FEEDBACK_RESULTS),
    comment: z.optional(z.string().check(z.maxLength(2000))),
    /** 回访: did the agency contact the caller (响应率)? Optional: the older form sends only `result`. */
    contacted: z.optional(z.boolean()),
    /** 回访: was the problem solved (解决率)? Optional. */
    resolved: z.optional(z.boolean()),
  })
  .check(z.refine((b) => (b.ticketId === undefined) !== (b.caseNo === undefined), { message: 'give exactly one of ticketId, caseNo', path: ['ticketId'] }));

/** This function's use-case errors; the shared stack maps the rest (including a saved-but-unpublished change). */
function toHttp(e: unknown): unknown {
  if (e instanceof CaseNotFoundError) return new HttpError(404, { error: 'not_found' });
  if (e instanceof FeedbackNotApplicableError) return new HttpError(409, { error: 'not_applicable', status: e.status, reason: e.reason });
  return e;
}

export function makeFeedbackHandler(deps: FeedbackHandlerDeps) {
  const { logger, metrics } = deps;
  const countBy = dimensionedCount(metrics);
  return httpFunction(
    'feedback',
    deps,
    { requestMetric: METRIC.FeedbackRequests, mapError: toHttp, calendar: { calendar: deps.rules.calendar, now: deps.now } },
    async ({ params: { source }, body }) => {
      const b = parseOr400(FeedbackBody, body);
      const input = { sourceTicketId: (b.ticketId ?? b.caseNo)!, result: b.result, comment: b.comment, contacted: b.contacted, resolved: b.resolved };
      const r = await recordFeedback(deps, source, input);
      countBy('result', input.result, METRIC.FeedbackRecorded, r.duplicate ? 0 : 1);
      logger.info('feedback recorded', { source, caseId: r.caseId, result: r.result, status: r.status, duplicate: r.duplicate });
      return json(200, { caseId: r.caseId, status: r.status, result: r.result, duplicate: r.duplicate });
    },
  );
}
