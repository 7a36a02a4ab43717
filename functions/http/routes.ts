/**
 * Every HTTP route of the API, declared ONCE: method, path template, the function that serves it, how the caller
 * authenticates, and whether it takes a JSON body. Its readers, one table:
 * - the CDK stack (`lib/stateless-stack.ts`) adds exactly these routes to the HTTP API (`apiRouteKeys`);
 * - each function's route middleware (`route-middleware.ts`) matches a request against its own routes and
 *   decodes the path parameters (so the cases function dispatches on `req.route`, not on regexes);
 * - local mode's server (`local/runtime.ts`) sends a request to the function the table names.
 *
 * The development routes of local mode (`/health`, `/openapi.json`, `/local/*`) are not API routes and live in `local/`.
 * api/openapi.ts builds openapi.json from this table: a route added here is documented after `npm run openapi:export`.
 * Pure data and types: no AWS import, so `cdk synth`, the Lambdas and local mode load the same file.
 */
import { ALL_ACTIONS } from '../domain/lifecycle/transitions.js';
import { SOURCES } from '../domain/taxonomy.js';

/** The Lambda functions behind the HTTP API. */
export const HTTP_FUNCTIONS = ['ingest', 'feedback', 'cases'] as const;
export type HttpFunctionName = (typeof HTTP_FUNCTIONS)[number];

/**
 * How the caller proves who it is:
 * - `hotline-signature`: a hotline system; the function checks `X-Hotline-Signature` (HMAC of the raw body, the
 *   hotline's own secret, 300 s window). API Gateway runs no authorizer.
 * - `agency-jwt`: agency staff; API Gateway's JWT authorizer verifies the bearer token (locally the function does).
 */
export type AuthKind = 'hotline-signature' | 'agency-jwt';

/**
 * The request body: `json` = a JSON body is required, with `Content-Type: application/json; charset=utf-8`
 * (product.md §3); `json-or-empty` = an empty body stands for `{}`, a non-empty one must be JSON; `none` = not read.
 */
export type BodyKind = 'json' | 'json-or-empty' | 'none';

/** Path parameters and what a valid value is. A value outside `values` answers 404; a longer one 400. */
export const PATH_PARAMS = {
  /** One API Gateway route per hotline (`/v1/hotlines/12345/tickets` ...), so an unknown hotline never reaches a function. */
  source: { values: SOURCES, expandInApi: true, maxLength: 16 },
  action: { values: ALL_ACTIONS, expandInApi: false, maxLength: 32 },
  caseId: { maxLength: 128 },
  agencyId: { maxLength: 128 },
} as const;
export type PathParamName = keyof typeof PATH_PARAMS;

export interface RouteSpec {
  /** What the function dispatches on. */
  name: string;
  method: 'GET' | 'POST';
  /** API Gateway's path template; every `{param}` is one of PATH_PARAMS. */
  path: string;
  fn: HttpFunctionName;
  auth: AuthKind;
  body: BodyKind;
}

export const ROUTES = [
  { name: 'tickets', method: 'POST', path: '/v1/hotlines/{source}/tickets', fn: 'ingest', auth: 'hotline-signature', body: 'json' },
  { name: 'feedback', method: 'POST', path: '/v1/hotlines/{source}/feedback', fn: 'feedback', auth: 'hotline-signature', body: 'json' },
  { name: 'queue', method: 'GET', path: '/v1/agencies/{agencyId}/cases', fn: 'cases', auth: 'agency-jwt', body: 'none' },
  { name: 'case', method: 'GET', path: '/v1/cases/{caseId}', fn: 'cases', auth: 'agency-jwt', body: 'none' },
  { name: 'action', method: 'POST', path: '/v1/cases/{caseId}/{action}', fn: 'cases', auth: 'agency-jwt', body: 'json-or-empty' },
  { name: 'recommend', method: 'POST', path: '/v1/recommendations', fn: 'cases', auth: 'agency-jwt', body: 'json-or-empty' },
  { name: 'clusters', method: 'GET', path: '/v1/clusters', fn: 'cases', auth: 'agency-jwt', body: 'none' },
  { name: 'report', method: 'GET', path: '/v1/reports/monthly', fn: 'cases', auth: 'agency-jwt', body: 'none' },
  { name: 'audit', method: 'GET', path: '/v1/audit', fn: 'cases', auth: 'agency-jwt', body: 'none' },
  { name: 'kpis', method: 'GET', path: '/v1/reports/kpis', fn: 'cases', auth: 'agency-jwt', body: 'none' },
] as const satisfies readonly RouteSpec[];

export type Route = (typeof ROUTES)[number];
export type RouteOf<F extends HttpFunctionName> = Extract<Route, { fn: F }>;

/** The `{param}` names of a path template, as a type. */
type ParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}` ? N | ParamNames<Rest> : never;
type ParamValue<N> = N extends PathParamName ? ((typeof PATH_PARAMS)[N] extends { values: readonly (infer V)[] } ? V : string) : string;
export type ParamsOf<R extends Route> = { [N in ParamNames<R['path']>]: ParamValue<N> };

export const routesOf = <F extends HttpFunctionName>(fn: F): RouteOf<F>[] => ROUTES.filter((r): r is RouteOf<F> => r.fn === fn);

/** API Gateway's route key of a route, e.g. `GET /v1/cases/{caseId}`. */
export const routeKeyOf = (r: Pick<RouteSpec, 'method' | 'path'>): string => `${r.method} ${r.path}`;

/**
 * The routes as the HTTP API declares them: a parameter with `expandInApi` becomes one route per value
 * (`POST /v1/hotlines/12345/tickets`, `POST /v1/hotlines/12309/tickets`).
 */
export function apiRoutes(): { route: Route; method: Route['method']; path: string; key: string }[] {
  return ROUTES.flatMap((route) => {
    let paths: string[] = [route.path];
    for (const [name, spec] of Object.entries(PATH_PARAMS)) {
      if (!('values' in spec) || !spec.expandInApi) continue;
      paths = paths.flatMap((p) => (p.includes(`{${name}}`) ? spec.values.map((v) => p.replace(`{${name}}`, v)) : [p]));
    }
    return paths.map((path) => ({ route, method: route.method, path, key: routeKeyOf({ method: route.method, path }) }));
  });
}
