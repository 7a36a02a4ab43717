/**
 * What the edge middleware learns about a request (route, parameters, caller, body), and the typed request a
 * handler receives. The middleware keep it beside the event (a WeakMap), so the Lambda event stays the plain
 * API Gateway payload that AWS, local mode and the tests all pass in.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Principal } from '../auth/principal.js';
import type { ParamsOf, Route, RouteSpec } from './routes.js';

export interface EdgeState {
  route?: RouteSpec;
  params?: Record<string, string>;
  /** The body's bytes, after the media type and size checks. */
  rawBody?: Buffer;
  /** The parsed JSON body (`{}` for an empty `json-or-empty` body). */
  body?: unknown;
  principal?: Principal;
}

const states = new WeakMap<APIGatewayProxyEventV2, EdgeState>();

export function edgeOf(event: APIGatewayProxyEventV2): EdgeState {
  const known = states.get(event);
  if (known) return known;
  const fresh: EdgeState = {};
  states.set(event, fresh);
  return fresh;
}

/** The request a handler gets for one of its routes: narrowed by `route`, with typed path parameters. */
export type HttpRequest<R extends Route> = R extends Route
  ? {
      route: R['name'];
      params: ParamsOf<R>;
      query: Record<string, string | undefined>;
      /** Parsed JSON (undefined for routes without a body). */
      body: unknown;
      event: APIGatewayProxyEventV2;
    } & (R['auth'] extends 'agency-jwt' ? { principal: Principal } : unknown)
  : never;
