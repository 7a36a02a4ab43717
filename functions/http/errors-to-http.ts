/**
 * Middy middleware: typed errors become the contract's JSON error responses. Bad input never becomes a 5xx;
 * an unexpected failure is logged (without the request body) and answered with a 500 that reveals nothing;
 * a backing service that is down is a 503 the hotline can retry. @middy/http-error-handler answers with plain
 * text messages, and our contract needs JSON bodies with details, hence this small one.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { EnqueueError, ServiceUnavailableError } from '../ports/errors.js';
import { HttpError } from './http-error.js';
import { json } from './json-response.js';

interface ErrorLogger {
  error(message: string, ...extra: unknown[]): void;
  warn(message: string, ...extra: unknown[]): void;
}

export function errorsToHttp(logger: ErrorLogger): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    onError: async (request) => {
      const e = request.error;
      if (e instanceof HttpError) {
        logger.warn('request rejected', { statusCode: e.statusCode, error: e.body.error });
        request.response = json(e.statusCode, e.body, e.headers);
        return;
      }
      if (e instanceof ServiceUnavailableError || e instanceof EnqueueError || isThrottle(e)) {
        logger.error('dependency unavailable', { error: { name: e?.name, message: e?.message } });
        request.response = json(503, { error: 'service_unavailable', retryable: true }, { 'retry-after': '5' });
        return;
      }
      logger.error('unhandled error', { error: { name: e?.name, message: e?.message, stack: e?.stack } });
      request.response = json(500, { error: 'internal_error' });
    },
  };
}

function isThrottle(e: unknown): boolean {
  const name = (e as { name?: string } | undefined)?.name ?? '';
  return /Throttl|ProvisionedThroughputExceeded|RequestLimitExceeded|ServiceUnavailable|InternalServerError/.test(name);
}
