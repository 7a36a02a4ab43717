/**
 * Middy middleware: typed errors become the contract's JSON error responses, written once for every HTTP function.
 * - an HttpError is its own answer (4xx: bad input never becomes a 5xx);
 * - a function's own use-case errors are mapped by its `mapError` (404, 403, 409 ...);
 * - a backing service failing (`isDependencyFailure`): 503 `{"error":"service_unavailable","retryable":true}`;
 * - anything else is logged (without the request body) and answered with a 500 that reveals nothing.
 * @middy/http-error-handler answers with plain text messages; the contract needs JSON bodies with details.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { Observability } from '../shared/observability.js';
import { isDependencyFailure } from './dependency-failure.js';
import { HttpError } from './http-error.js';
import { json } from './json-response.js';

/** A function's own mapping of its use-case errors to HttpErrors (return anything else unchanged). */
export type ErrorMapper = (e: unknown) => unknown;

export const SERVICE_UNAVAILABLE = { error: 'service_unavailable', retryable: true } as const;
const RETRY_AFTER = { 'retry-after': '5' };

export function errorsToHttp(
  { logger }: Pick<Observability, 'logger' | 'metrics'>,
  mapError: ErrorMapper = (e) => e,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    onError: async (request) => {
      const e = mapError(request.error) as Error | undefined;
      if (e instanceof HttpError) {
        logger.warn('request rejected', { statusCode: e.statusCode, error: e.body.error });
        request.response = json(e.statusCode, e.body, e.headers);
        return;
      }
      if (isDependencyFailure(e)) {
        logger.error('dependency unavailable', { error: { name: e?.name, message: e?.message, code: (e as { code?: unknown })?.code } });
        request.response = json(503, SERVICE_UNAVAILABLE, RETRY_AFTER);
        return;
      }
      logger.error('unhandled error', { error: { name: e?.name, message: e?.message, stack: e?.stack } });
      request.response = json(500, { error: 'internal_error' });
    },
  };
}
