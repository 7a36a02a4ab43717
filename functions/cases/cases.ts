/**
 * The agency API (product.md §5), one Lambda behind the HTTP API (payload format 2.0), a thin middy composition
 * like ingest: route → caller (TokenVerifier) → validation → use case (`app/case-actions.ts`) → view.
 *
 *   GET  /v1/agencies/{agencyId}/cases?status=&cursor=&limit=   an agency's queue (403 for another agency's)
 *   GET  /v1/cases/{caseId}                                     one case (404 if missing or not the caller's)
 *   POST /v1/cases/{caseId}/{action}                            accept | return | extend | grant-extension |
 *                                                               reply | close | reopen | route
 *
 * Answers: 401 no/invalid/expired token; 400 `validation_failed`; 403 `forbidden` (another agency's queue, a role
 * that may not take the action, an operator acting); 404 `not_found`; 409 `invalid_transition` with the status
 * and the caller's allowed actions, or `conflict` after a lost race; 503 when the state is saved but its event
 * could not be published.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { InvalidCursorError } from '../ports/errors.js';
import { listQueue, performAction, readCase } from '../app/case-actions.js';
import type { CaseRules } from '../app/rules.js';
import { CaseNotFoundError, ConcurrentUpdateError, EventNotPublishedError, ForbiddenError, InvalidActionInputError, InvalidTransitionError } from '../app/errors.js';
import { UnauthorizedError, type TokenVerifier } from '../auth/token-verifier.js';
import { httpHandler } from '../http/http-handler.js';
import { HttpError, validationFailed } from '../http/http-error.js';
import { json } from '../http/json-response.js';
import type { CaseStore, LinkageStore } from '../ports/case-store.js';
import type { ContactCipher } from '../ports/contact-cipher.js';
import type { DeadlineScheduler } from '../ports/deadline-scheduler.js';
import { owns, type Principal } from '../auth/principal.js';
import type { LifecycleCase } from '../domain/lifecycle/index.js';
import type { EventBus } from '../ports/event-bus.js';
import type { Observability } from '../shared/observability.js';
import { actionInput, clustersQuery, listQuery, recommendationInput, reportQuery, routeOf } from './request.js';
import { issueRecommendationAction, listClusters, readMonthlyReport } from '../app/linkage.js';
import { reportCsv } from '../domain/report/format.js';
import { caseView, listItem } from './views.js';

export type CasesDeps = {
  store: CaseStore & LinkageStore;
  /** Moves the case's deadline timers after each transition. */
  scheduler?: DeadlineScheduler;
  /** Opens sealed contact details, for the owning agency only. */
  contacts: ContactCipher;
  bus: EventBus;
  auth: TokenVerifier;
  now: () => Date;
  /** Deadline policy, calendar and directory (functions/config/deployed.ts when deployed). */
  rules: CaseRules;
} & Observability;

export { CASES_ROUTE_KEYS, isCasesPath } from './request.js';

/** Typed failures of the use cases → the contract's HTTP answers. */
function toHttp(e: unknown): unknown {
  if (e instanceof UnauthorizedError) {
    // RFC 6750 §3: no error code when the request carried no token at all.
    return new HttpError(401, { error: 'unauthorized', reason: e.reason }, { 'www-authenticate': e.reason === 'missing_token' ? 'Bearer' : 'Bearer error="invalid_token"' });
  }
  if (e instanceof CaseNotFoundError) return new HttpError(404, { error: 'not_found' });
  if (e instanceof ForbiddenError) return new HttpError(403, { error: 'forbidden' });
  if (e instanceof InvalidTransitionError) {
    const body: { error: string } & Record<string, unknown> = { error: 'invalid_transition', status: e.status, allowed: e.allowed };
    if (e.reason) body['reason'] = e.reason;
    return new HttpError(409, body);
  }
  if (e instanceof ConcurrentUpdateError) return new HttpError(409, { error: 'conflict', status: e.status });
  if (e instanceof InvalidActionInputError) return validationFailed([{ index: null, path: e.path, message: e.detail }]);
  if (e instanceof InvalidCursorError) return validationFailed([{ index: null, path: 'cursor', message: 'is not a valid cursor for this list' }]);
  if (e instanceof EventNotPublishedError) {
    return new HttpError(
      503,
      { error: 'event_not_published', saved: true, caseId: e.caseRecord.caseId, version: e.caseRecord.version, status: e.caseRecord.status },
      { 'retry-after': '5' },
    );
  }
  return e;
}

export function makeCasesHandler(deps: CasesDeps) {
  const { logger, metrics } = deps;
  const { rules } = deps;
  // Contact details are decrypted only when the owning agency looks at its own case.
  const view = async (c: LifecycleCase, p: Principal) => {
    const contact = owns(p, c.agencyId) && c.contactSealed ? await deps.contacts.open(c.contactSealed, c.caseId) : undefined;
    // Referral statuses come from the linked cases themselves (the parent records only which cases it made).
    const linked = c.referrals?.length ? await deps.store.getMany(c.referrals.map((r) => r.caseId)) : [];
    const status = new Map(linked.map((l) => [l.caseId, l.status]));
    const referrals = (c.referrals ?? []).map((r) => ({ caseId: r.caseId, agencyId: r.agencyId, status: status.get(r.caseId) ?? 'unknown' }));
    return caseView(c, p, rules, contact, referrals);
  };
  return httpHandler(deps).handler(async (event) => {
      try {
        // One request metric per call: the API's traffic, and no empty-metrics flush on reads and rejections.
        metrics.addMetric('AgencyApiRequests', MetricUnit.Count, 1);
        const route = routeOf(event);
        const p = await deps.auth.claimsFrom(event);
        logger.appendKeys({ role: p.role, agencyId: p.agencyId ?? undefined });
        switch (route.kind) {
          case 'list': {
            const q = listQuery(event);
            const page = await listQueue(deps, p, route.agencyId, q.status, { limit: q.limit, cursor: q.cursor });
            return json(200, { items: page.items.map(listItem), nextCursor: page.nextCursor ?? null });
          }
          case 'get':
            return json(200, await view(await readCase(deps, p, route.caseId), p));
          case 'act': {
            const input = actionInput(event, route.action, rules.policy);
            const r = await performAction({ ...deps, rules }, p, route.caseId, route.action, input);
            metrics.singleMetric().addDimension('action', route.action).addMetric('CaseTransitions', MetricUnit.Count, 1);
            logger.info('case transition', { caseId: r.case.caseId, action: route.action, from: r.from, to: r.case.status, version: r.case.version, eventId: r.eventId });
            return json(200, await view(r.case, p));
          }
          case 'recommend': {
            const body = recommendationInput(event);
            const r = await issueRecommendationAction(deps, p, body);
            if (r.created) metrics.addMetric('RecommendationsIssued', MetricUnit.Count, 1);
            logger.info('recommendation issued', { caseId: r.case.caseId, agencyId: r.case.agencyId, created: r.created });
            return json(r.created ? 201 : 200, await view(r.case, p));
          }
          case 'clusters': {
            const q = clustersQuery(event);
            const page = await listClusters(deps, p, { regionCode: q.region, status: q.status, limit: q.limit, cursor: q.cursor });
            return json(200, { items: page.items, nextCursor: page.nextCursor ?? null });
          }
          case 'report': {
            const q = reportQuery(event);
            const report = await readMonthlyReport(deps, p, q.month, q.region);
            if (q.format === 'json') return json(200, report);
            return {
              statusCode: 200,
              headers: {
                'content-type': 'text/csv; charset=utf-8',
                'content-disposition': `attachment; filename="joint-report-${q.month}${q.region ? `-${q.region}` : ''}.csv"`,
              },
              body: reportCsv(report),
            };
          }
        }
      } catch (e) {
        if (e instanceof EventNotPublishedError) {
          logger.error('transition saved but its event was not published', {
            caseId: e.caseRecord.caseId,
            version: e.caseRecord.version,
            eventId: e.eventId,
            error: { name: (e.causeError as Error)?.name, message: (e.causeError as Error)?.message },
          });
          metrics.addMetric('TransitionEventsNotPublished', MetricUnit.Count, 1);
        }
        throw toHttp(e);
      }
    });
}
