/**
 * The middleware every HTTP function of the API shares, written once: Powertools logger context, metrics flush,
 * and typed errors to the contract's JSON answers. A handler module adds only its own `.handler(...)`.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { Observability } from '../shared/observability.js';
import { errorsToHttp } from './errors-to-http.js';

export function httpHandler({ logger, metrics }: Pick<Observability, 'logger' | 'metrics'>) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(errorsToHttp(logger));
}
