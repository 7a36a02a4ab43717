/** Middy middleware: the request's route among this function's routes (404 otherwise), and its decoded parameters. */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { edgeOf } from '../edge-request.js';
import { decodeParams, findRoute, notFound } from '../match-route.js';
import type { RouteSpec } from '../routes.js';

/** The method: from the request context, else from the route key (`POST /v1/...`). */
export const methodOf = (event: APIGatewayProxyEventV2): string => (event.requestContext?.http?.method ?? event.routeKey?.split(' ')[0] ?? '').toUpperCase();

export function matchRoute(routes: readonly RouteSpec[]): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    before: (request) => {
      const hit = findRoute(routes, methodOf(request.event), request.event.rawPath ?? '');
      if (!hit) throw notFound();
      const state = edgeOf(request.event);
      state.route = hit.route;
      state.params = decodeParams(hit);
    },
  };
}
