/**
 * The callbacks function: status changes of cases → signed HTTPS POSTs to the hotline systems (product.md §10).
 *
 * In AWS: an EventBridge rule on the bus (the status event types) → SQS queue (+DLQ) → this function. Why not
 * EventBridge API destinations, which POST to an HTTPS endpoint without code? A connection can only add static
 * credentials (API key, basic auth, OAuth client credentials), while the hotlines verify an HMAC over each request's
 * timestamp and body (`X-Hotline-Signature`, the same scheme as inbound): that needs code per request, so a small
 * function signs and POSTs with `fetch`. Locally the same handler consumes an in-process queue fed by the same rule
 * pattern on the in-process bus.
 *
 * Each SQS record is one EventBridge envelope. A failed delivery (after a few quick retries with backoff) fails only
 * its record (partial batch response): SQS redelivers it after the visibility timeout and dead-letters it after
 * `maxReceiveCount` receives. No URL for the hotline, a non-status event or a missing case: consumed, logged, done.
 */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { CallbackFailedError } from '../app/errors.js';
import { deliverStatusCallback, type CallbackDeps, type DeliveryOutcome, type StatusEnvelope } from '../app/callbacks.js';
import type { Observability } from '../shared/observability.js';

export type CallbacksDeps = CallbackDeps & Observability;

export class MalformedEnvelopeError extends Error {
  override readonly name = 'MalformedEnvelopeError';
}

function envelopeOf(record: SQSRecord): StatusEnvelope {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new MalformedEnvelopeError('record body is not JSON');
  }
  const e = body as Partial<StatusEnvelope> | null;
  if (!e || typeof e !== 'object' || typeof e['detail-type'] !== 'string' || !e.detail || typeof e.detail !== 'object') {
    throw new MalformedEnvelopeError('record body is not an EventBridge event');
  }
  return e as StatusEnvelope;
}

export function makeCallbacksHandler(deps: CallbacksDeps) {
  const { logger, metrics } = deps;
  const processor = new BatchProcessor(EventType.SQS);

  const recordHandler = async (record: SQSRecord): Promise<DeliveryOutcome> => {
    let envelope: StatusEnvelope;
    try {
      envelope = envelopeOf(record);
    } catch (e) {
      // Redelivery cannot fix it; failing it sends it to the DLQ where a person can look.
      logger.error('callback message is malformed', { messageId: record.messageId, error: (e as Error).message });
      throw e;
    }
    const type = envelope['detail-type'];
    try {
      const outcome = await deliverStatusCallback(deps, envelope);
      metrics.addMetric('StatusCallbackMessages', MetricUnit.Count, 1);
      if (outcome.delivered) {
        metrics.singleMetric().addDimension('source', outcome.source).addMetric('StatusCallbacksDelivered', MetricUnit.Count, 1);
        logger.info('status callback delivered', { type, eventId: outcome.eventId, status: outcome.status, source: outcome.source, attempts: outcome.attempts });
      } else {
        metrics.addMetric('StatusCallbacksSkipped', MetricUnit.Count, 1);
        logger.info('status callback skipped', { type, eventId: outcome.eventId, reason: outcome.reason });
      }
      return outcome;
    } catch (e) {
      metrics.addMetric('StatusCallbacksFailed', MetricUnit.Count, 1);
      const info = e instanceof CallbackFailedError ? { source: e.source, eventId: e.eventId, detail: e.detail } : { error: (e as Error).name };
      logger.warn('status callback failed; the message will be retried, then dead-lettered', {
        type,
        receiveCount: record.attributes?.ApproximateReceiveCount,
        ...info,
      });
      throw e;
    }
  };

  return middy<SQSEvent, SQSBatchResponse, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event, context) => processPartialResponse(event, recordHandler, processor, { context }));
}
