/**
 * The agency API (product.md §5), one Lambda behind the HTTP API (payload format 2.0). Its routes are the
 * `fn: 'cases'` rows of the route table (`functions/http/routes.ts`); the shared HTTP stack matches the route,
 * verifies the caller (TokenVerifier) and parses the body, so this only dispatches on the route:
 * validation (`request.ts`) → use case (`app/case-actions.ts`, `app/linkage.ts`) → view.
 *
 *   GET  /v1/agencies/{agencyId}/cases?status=&cursor=&limit=   an agency's queue (403 for another agency's)
 *   GET  /v1/cases/{caseId}                                     one case (404 if missing or not the caller's)
 *   POST /v1/cases/{caseId}/{action}                            accept | return | extend | grant-extension |
 *                                                               reply | close | reopen | route | decline
 *   POST /v1/recommendations, GET /v1/clusters, GET /v1/reports/monthly   府检联动 (docs/linkage.md)
 *   GET  /v1/audit?from=&to=&region=&format=csv|json             the audit trail, operators only (docs/privacy.md)
 *   GET  /v1/reports/kpis?from=&to=&region=&agencyId=            the rates (docs/kpis.md)
 *
 * Answers: 401 no/invalid/expired token; 400 `validation_failed`; 403 `forbidden` (another agency's queue, a role
 * that may not take the action, an operator acting); 404 `not_found`; 409 `invalid_transition` with the status
 * and the caller's allowed actions, or `conflict` after a lost race; 503 `service_unavailable` when a backing service
 * fails. A saved transition answers 200 even while the bus is down: the outbox relay publishes its event.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { InvalidCursorError } from '../ports/errors.js';
import { listQueue, performAction, readCase } from '../app/case-actions.js';
import { CaseNotFoundError, ConcurrentUpdateError, ForbiddenError, InvalidActionInputError, InvalidTransitionError } from '../app/errors.js';
import type { CaseRules } from '../app/rules.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { httpFunction } from '../http/http-handler.js';
import { HttpError, validationFailed } from '../http/http-error.js';
import { json } from '../http/json-response.js';
import { parseOr400 } from '../http/validation.js';
import type { AuditLog, CaseStore, LinkageStore } from '../ports/case-store.js';
import type { ContactCipher } from '../ports/contact-cipher.js';
import type { Principal } from '../auth/principal.js';
import { AuditExportTooLargeError, auditCsv, exportAudit, openContactAudited } from '../app/audit.js';
import type { LifecycleCase } from '../domain/lifecycle/index.js';
import { dimensionedCount, type Observability } from '../shared/observability.js';
import { AuditQuery, bodySchemas, ClustersQuery, KpiQuery, ListQuery, RecommendationBody, ReportQuery } from './request.js';
import { issueRecommendationAction, listClusters, readKpis, readMonthlyReport } from '../app/linkage.js';
import { reportCsv } from '../domain/report/format.js';
import { caseView, listItem } from './views.js';
import { METRIC } from '../shared/metric-names.js';

export type CasesDeps = {
  /** Cases, 府检联动 records, and the audit trail (who acted, who opened a contact). */
  store: CaseStore & LinkageStore & AuditLog;
  /** Opens sealed contact details, for the owning agency only. */
  contacts: ContactCipher;
  auth: TokenVerifier;
  now: () => Date;
  /** Deadline policy, calendar and directory (functions/config/deployed.ts when deployed). */
  rules: CaseRules;
} & Observability;

/** This function's use-case errors → the contract's HTTP answers (the shared stack maps the rest). */
function toHttp(e: unknown): unknown {
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
  if (e instanceof AuditExportTooLargeError) return validationFailed([{ index: null, path: 'to', message: e.message }]);
  return e;
}

export function makeCasesHandler(deps: CasesDeps) {
  const { logger, metrics } = deps;
  const countBy = dimensionedCount(metrics);
  const { rules } = deps;
  const schemas = bodySchemas(rules.policy);
  // Contact details are decrypted only when the owning agency looks at its own case, and each time who did is recorded
  // first (app/audit.ts): no decryption without its audit record.
  const audited = { audit: deps.store, contacts: deps.contacts, now: deps.now, keep: rules.retention };
  const view = async (c: LifecycleCase, p: Principal) => {
    const contact = await openContactAudited(audited, p, c);
    // Referral statuses come from the linked cases themselves (the parent records only which cases it made).
    const linked = c.referrals?.length ? await deps.store.getMany(c.referrals.map((r) => r.caseId)) : [];
    const status = new Map(linked.map((l) => [l.caseId, l.status]));
    const referrals = (c.referrals ?? []).map((r) => ({ caseId: r.caseId, agencyId: r.agencyId, status: status.get(r.caseId) ?? 'unknown' }));
    return caseView(c, p, rules, contact, referrals);
  };
  return httpFunction(
    'cases',
    deps,
    { requestMetric: METRIC.AgencyApiRequests, mapError: toHttp, calendar: { calendar: rules.calendar, now: deps.now } },
    async (req) => {
      const p = req.principal;
      switch (req.route) {
        case 'queue': {
          const q = parseOr400(ListQuery, req.query);
          const page = await listQueue(deps, p, req.params.agencyId, q.status, { limit: q.limit, cursor: q.cursor });
          return json(200, { items: page.items.map(listItem), nextCursor: page.nextCursor ?? null });
        }
        case 'case':
          return json(200, await view(await readCase(deps, p, req.params.caseId), p));
        case 'action': {
          const { caseId, action } = req.params;
          const input = parseOr400(schemas[action], req.body);
          const r = await performAction({ ...deps, rules }, p, caseId, action, input);
          countBy('action', action, METRIC.CaseTransitions);
          logger.info('case transition', { caseId: r.case.caseId, action, from: r.from, to: r.case.status, version: r.case.version, eventId: r.eventId });
          return json(200, await view(r.case, p));
        }
        case 'recommend': {
          const r = await issueRecommendationAction(deps, p, parseOr400(RecommendationBody, req.body));
          if (r.created) metrics.addMetric(METRIC.RecommendationsIssued, MetricUnit.Count, 1);
          logger.info('recommendation issued', { caseId: r.case.caseId, agencyId: r.case.agencyId, created: r.created });
          return json(r.created ? 201 : 200, await view(r.case, p));
        }
        case 'clusters': {
          const q = parseOr400(ClustersQuery, req.query);
          const page = await listClusters(deps, p, { regionCode: q.region, status: q.status, limit: q.limit, cursor: q.cursor });
          return json(200, { items: page.items, nextCursor: page.nextCursor ?? null });
        }
        case 'kpis':
          return json(200, await readKpis(deps, p, parseOr400(KpiQuery, req.query)));
        case 'report': {
          const q = parseOr400(ReportQuery, req.query);
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
        case 'audit': {
          const q = parseOr400(AuditQuery, req.query);
          const records = await exportAudit({ audit: deps.store, rules }, p, { from: q.from, to: q.to, region: q.region });
          // Who exported which days is itself worth a log line (no personal data: role, agency, range, count).
          logger.info('audit exported', { role: p.role, agencyId: p.agencyId, from: q.from, to: q.to, region: q.region ?? null, records: records.length });
          if (q.format === 'json') return json(200, { items: records });
          return {
            statusCode: 200,
            headers: {
              'content-type': 'text/csv; charset=utf-8',
              'content-disposition': `attachment; filename="audit-${q.from}-${q.to}${q.region ? `-${q.region}` : ''}.csv"`,
            },
            body: auditCsv(records),
          };
        }
      }
    },
  );
}
