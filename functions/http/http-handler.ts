/**
 * The middleware stack every HTTP function of the API shares, written once. In order:
 *   Powertools logger context, metrics flush, errors → HTTP (errors-to-http.ts), one request metric,
 *   route (404 / 400 for a bad path parameter, from the route table),
 *   then by the routes' auth kind:
 *     hotline-signature: body limits (415, 413) → signature on the raw bytes (401) → JSON (400)
 *     agency-jwt:        caller from the token (401) → body limits (415, 413) → JSON (400)
 * The handler gets an HttpRequest narrowed by route, and only maps it to a use case and the answer to JSON.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { calendarWatch, type CalendarWatchDeps } from '../shared/calendar-watch.js';
import type { Observability } from '../shared/observability.js';
import { edgeOf, type HttpRequest } from './edge-request.js';
import { errorsToHttp, type ErrorMapper } from './errors-to-http.js';
import { agencyPrincipal, type AgencyPrincipalDeps } from './middleware/agency-principal.js';
import { hotlineSignature, type HotlineSignatureDeps } from './middleware/hotline-signature.js';
import { bodyLimits, jsonBody } from './middleware/request-body.js';
import { matchRoute } from './middleware/route.js';
import { routesOf, type AuthKind, type HttpFunctionName, type RouteOf } from './routes.js';

type AuthDeps = { 'hotline-signature': HotlineSignatureDeps; 'agency-jwt': AgencyPrincipalDeps };

/** What the stack needs: observability, plus the secrets (hotline routes) or the token verifier (agency routes). */
export type HttpEdgeDeps<F extends HttpFunctionName> = Pick<Observability, 'logger' | 'metrics'> & AuthDeps[RouteOf<F>['auth'] & AuthKind];

export interface HttpFunctionOptions {
  /** The metric counted once per request, before anything can reject it (the API's traffic). */
  requestMetric: string;
  /** This function's use-case errors → HttpErrors (404, 403, 409 ...). */
  mapError?: ErrorMapper;
  /** A function that computes deadlines names its working calendar: it warns before the calendar ends (calendar-watch.ts). */
  calendar?: Omit<CalendarWatchDeps, 'logger' | 'metrics'>;
}

export function httpFunction<F extends HttpFunctionName>(
  fn: F,
  deps: HttpEdgeDeps<F>,
  options: HttpFunctionOptions,
  handler: (req: HttpRequest<RouteOf<F>>, context: Context) => Promise<APIGatewayProxyResultV2>,
) {
  const routes = routesOf(fn);
  const auth = new Set(routes.map((r) => r.auth));
  // One caller kind per function keeps the order of checks fixed (and the IAM story simple).
  if (auth.size !== 1) throw new Error(`HTTP function ${fn} mixes auth kinds: ${[...auth].join(', ')}`);
  const kind = [...auth][0] as AuthKind;
  const { logger, metrics } = deps;

  const stack = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(errorsToHttp(deps, options.mapError))
    .use({ before: () => void metrics.addMetric(options.requestMetric, MetricUnit.Count, 1) });
  if (options.calendar) stack.use(calendarWatch({ logger, metrics, ...options.calendar }));
  stack.use(matchRoute(routes));
  if (kind === 'hotline-signature')
    stack
      .use(bodyLimits())
      .use(hotlineSignature(deps as HotlineSignatureDeps))
      .use(jsonBody());
  else
    stack
      .use(agencyPrincipal(deps as AgencyPrincipalDeps))
      .use(bodyLimits())
      .use(jsonBody());

  return stack.handler((event, context) => {
    const s = edgeOf(event);
    const req = { route: s.route!.name, params: s.params ?? {}, query: event.queryStringParameters ?? {}, body: s.body, principal: s.principal, event };
    return handler(req as unknown as HttpRequest<RouteOf<F>>, context);
  });
}
