/**
 * Middy middleware for the body rules (`body.ts`), by the route's body kind. Two steps, because a hotline's
 * signature is checked on the raw bytes between them: `bodyLimits` (415, 413) before, `jsonBody` (400) after.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { assertBodySize, assertJsonContentType, bodyBytes, parseJson } from '../body.js';
import { edgeOf } from '../edge-request.js';

type Middleware = MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2>;

export function bodyLimits(): Middleware {
  return {
    before: (request) => {
      const state = edgeOf(request.event);
      const kind = state.route?.body ?? 'none';
      if (kind === 'none') return;
      const raw = bodyBytes(request.event);
      // An empty optional body needs no media type; anything sent must say it is JSON.
      if (kind === 'json' || raw.byteLength > 0) assertJsonContentType(request.event.headers);
      assertBodySize(raw);
      state.rawBody = raw;
    },
  };
}

export function jsonBody(): Middleware {
  return {
    before: (request) => {
      const state = edgeOf(request.event);
      const kind = state.route?.body ?? 'none';
      if (kind === 'none' || !state.rawBody) return;
      state.body = kind === 'json-or-empty' && state.rawBody.byteLength === 0 ? {} : parseJson(state.rawBody);
    },
  };
}
