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
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { CallbackFailedError } from '../app/errors.js';
import { deliverStatusCallbacks, type CallbackDeps, type DeliveryOutcome, type StatusEnvelope } from '../app/callbacks.js';
import { dimensionedCount, type Observability } from '../shared/observability.js';
import { METRIC } from '../shared/metric-names.js';

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
  const countBy = dimensionedCount(metrics);
  return middy<SQSEvent, SQSBatchResponse, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event) => {
      // Per invocation, nothing shared: concurrent invocations (local mode runs several) keep their own failures.
      const failures: SQSBatchResponse['batchItemFailures'] = [];
      const parsed: { record: SQSRecord; envelope: StatusEnvelope }[] = [];
      for (const record of event.Records) {
        try {
          parsed.push({ record, envelope: envelopeOf(record) });
        } catch (e) {
          // Redelivery cannot fix it; failing it sends it to the DLQ where a person can look.
          logger.error('callback message is malformed', { messageId: record.messageId, error: (e as Error).message });
          failures.push({ itemIdentifier: record.messageId });
        }
      }
      let outcomes: (DeliveryOutcome | Error)[];
      try {
        outcomes = await deliverStatusCallbacks(
          deps,
          parsed.map((p) => p.envelope),
        );
      } catch (e) {
        // The case store could not be read: the whole batch comes back.
        logger.warn('status callbacks not delivered; the batch will be retried', { error: (e as Error).name });
        metrics.addMetric(METRIC.StatusCallbacksFailed, MetricUnit.Count, parsed.length);
        return { batchItemFailures: [...failures, ...parsed.map((p) => ({ itemIdentifier: p.record.messageId }))] };
      }
      metrics.addMetric(METRIC.StatusCallbackMessages, MetricUnit.Count, parsed.length);
      parsed.forEach(({ record, envelope }, i) => {
        const outcome = outcomes[i]!;
        const type = envelope['detail-type'];
        if (outcome instanceof Error) {
          metrics.addMetric(METRIC.StatusCallbacksFailed, MetricUnit.Count, 1);
          const info =
            outcome instanceof CallbackFailedError ? { source: outcome.source, eventId: outcome.eventId, detail: outcome.detail } : { error: outcome.name };
          logger.warn('status callback failed; the message will be retried, then dead-lettered', {
            type,
            receiveCount: record.attributes?.ApproximateReceiveCount,
            ...info,
          });
          failures.push({ itemIdentifier: record.messageId });
        } else if (outcome.delivered) {
          countBy('source', outcome.source, METRIC.StatusCallbacksDelivered);
          logger.info('status callback delivered', {
            type,
            eventId: outcome.eventId,
            status: outcome.status,
            source: outcome.source,
            attempts: outcome.attempts,
          });
        } else {
          metrics.addMetric(METRIC.StatusCallbacksSkipped, MetricUnit.Count, 1);
          logger.info('status callback skipped', { type, eventId: outcome.eventId, reason: outcome.reason });
        }
      });
      return { batchItemFailures: failures };
    });
}
