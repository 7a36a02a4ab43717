/**
 * `POST /v1/hotlines/{source}/feedback` (product.md §10): the hotline's callback-survey result (回访) for one of its
 * tickets. Same edge checks as ticket ingest, imported from it (media type, 256 KiB, `X-Hotline-Signature` with
 * that hotline's secret and a 300 s window), then `recordFeedback`.
 *
 * Body: `{"ticketId"|"caseNo": "...", "result": "satisfied"|"basically_satisfied"|"dissatisfied", "comment"?: "..."}`
 * (either id key names the hotline's own ticket id). Answers: 200 `{caseId, status, result, duplicate}`;
 * 400 `validation_failed`; 401 signature; 404 `not_found` (no such ticket from this hotline); 409
 * `not_applicable` with the case status and the reason; 413; 415; 503 when the case changed but its event could not
 * be published (the hotline may send the same feedback again: it is answered as a duplicate).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { CaseNotFoundError, EventNotPublishedError, FeedbackNotApplicableError } from '../app/errors.js';
import { FEEDBACK_RESULTS, recordFeedback, type FeedbackDeps, type FeedbackInput } from '../app/feedback.js';
import { SOURCES, type Source } from '../domain/taxonomy.js';
import { httpHandler } from '../http/http-handler.js';
import { HttpError, validationFailed } from '../http/http-error.js';
import { json } from '../http/json-response.js';
import { verifiedHotlineBody } from '../ingest/parse-request.js';
import type { HotlineSecrets } from '../ports/hotline-secrets.js';
import type { Observability } from '../shared/observability.js';

export type FeedbackHandlerDeps = FeedbackDeps & Observability & { secrets: HotlineSecrets };

const ROUTE = /^\/v1\/hotlines\/([^/]+)\/feedback\/?$/;
export const isFeedbackPath = (path: string): boolean => ROUTE.test(path);
export const FEEDBACK_ROUTE_KEY = 'POST /v1/hotlines/{source}/feedback';

function sourceOf(rawPath: string): Source {
  const s = ROUTE.exec(rawPath)?.[1];
  if (!s || !(SOURCES as readonly string[]).includes(s)) throw new HttpError(404, { error: 'not_found', message: `no hotline route ${rawPath}` });
  return s as Source;
}

const Id = z.string().trim().min(1).max(64);
export const FeedbackBody = z
  .strictObject({
    ticketId: Id.optional(),
    caseNo: Id.optional(),
    result: z.enum(FEEDBACK_RESULTS),
    comment: z.string().max(2000).optional(),
  })
  .refine((b) => (b.ticketId === undefined) !== (b.caseNo === undefined), { message: 'give exactly one of ticketId, caseNo', path: ['ticketId'] });

function parseBody(raw: Buffer): FeedbackInput {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    throw validationFailed([{ index: null, path: '', message: 'body is not valid UTF-8 JSON' }]);
  }
  const r = FeedbackBody.safeParse(body);
  if (!r.success) throw validationFailed(r.error.issues.map((i) => ({ index: null, path: i.path.map(String).join('.'), message: i.message })));
  return { sourceTicketId: (r.data.ticketId ?? r.data.caseNo)!, result: r.data.result, comment: r.data.comment };
}

function toHttp(e: unknown): unknown {
  if (e instanceof CaseNotFoundError) return new HttpError(404, { error: 'not_found' });
  if (e instanceof FeedbackNotApplicableError) return new HttpError(409, { error: 'not_applicable', status: e.status, reason: e.reason });
  if (e instanceof EventNotPublishedError) {
    return new HttpError(503, { error: 'event_not_published', saved: true, retryable: true, status: e.caseRecord.status }, { 'retry-after': '5' });
  }
  return e;
}

export function makeFeedbackHandler(deps: FeedbackHandlerDeps) {
  const { logger, metrics } = deps;
  return httpHandler(deps).handler(async (event) => {
      metrics.addMetric('FeedbackRequests', MetricUnit.Count, 1);
      const source = sourceOf(event.rawPath);
      const body = await verifiedHotlineBody(event, source, deps, () =>
        metrics.singleMetric().addDimension('source', source).addMetric('SignatureRejected', MetricUnit.Count, 1),
      );
      const input = parseBody(body);
      try {
        const r = await recordFeedback(deps, source, input);
        metrics.singleMetric().addDimension('result', input.result).addMetric('FeedbackRecorded', MetricUnit.Count, r.duplicate ? 0 : 1);
        logger.info('feedback recorded', { source, caseId: r.caseId, result: r.result, status: r.status, duplicate: r.duplicate });
        return json(200, { caseId: r.caseId, status: r.status, result: r.result, duplicate: r.duplicate });
      } catch (e) {
        throw toHttp(e);
      }
    });
}
