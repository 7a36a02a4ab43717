/**
 * The process handler: an SQS batch → `processCases` for the whole batch (one batch read, one transaction, one
 * publish), answered with a partial batch response so only the failed messages come back.
 *
 * Why not Powertools' BatchProcessor: it runs a handler per record, and this function's whole point is to work
 * a batch in one round trip; the partial-response contract itself is three lines. Why no Powertools idempotency:
 * the versioned case write already makes a redelivery harmless (a dispatched case is never written again, and its
 * events are rebuilt with the same ids), so the two extra writes per message bought nothing. Nothing here keeps
 * state between invocations: concurrent invocations (local mode runs several) cannot see each other's failures.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { calendarWatch } from '../shared/calendar-watch.js';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import '../shared/zod-mini.js';
import { processCases, type BatchResult, type ProcessDeps } from '../app/process-case.js';
import type { Observability } from '../shared/observability.js';
import { METRIC } from '../shared/metric-names.js';

export const ProcessMessageSchema = z.object({
  caseId: z.string().check(z.minLength(1), z.maxLength(100)),
  correlationId: z.string().check(z.minLength(1), z.maxLength(200)),
});

export type ProcessHandlerDeps = ProcessDeps & Pick<Observability, 'logger' | 'metrics'>;

const errorOf = (e: Error) => ({ name: e.name, message: e.message });

export function makeProcessHandler(deps: ProcessHandlerDeps) {
  const { logger, metrics } = deps;
  return middy<SQSEvent, SQSBatchResponse, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(calendarWatch({ logger, metrics, calendar: deps.rules.calendar, now: deps.now }))
    .handler(async (event) => {
      const failures: SQSBatchResponse['batchItemFailures'] = [];
      const byCase = new Map<string, { messageIds: string[]; correlationId: string }>();
      for (const r of event.Records) {
        let parsed: ReturnType<typeof ProcessMessageSchema.safeParse> | undefined;
        try {
          parsed = ProcessMessageSchema.safeParse(JSON.parse(r.body));
        } catch {
          parsed = undefined;
        }
        if (!parsed?.success) {
          // A malformed message can never succeed: it goes to the DLQ after its receives, the rest of the batch goes on.
          logger.error('malformed process message', { messageId: r.messageId });
          failures.push({ itemIdentifier: r.messageId });
          continue;
        }
        const entry = byCase.get(parsed.data.caseId) ?? { messageIds: [], correlationId: parsed.data.correlationId };
        entry.messageIds.push(r.messageId);
        byCase.set(parsed.data.caseId, entry);
      }

      let results: BatchResult;
      try {
        results = await processCases(deps, [...byCase.keys()]);
      } catch (e) {
        // The batch could not be worked at all (the store is down): every message comes back.
        logger.warn('batch failed; its messages will be retried', { cases: byCase.size, error: errorOf(e as Error) });
        metrics.addMetric(METRIC.CaseProcessingFailed, MetricUnit.Count, byCase.size);
        return { batchItemFailures: [...failures, ...[...byCase.values()].flatMap((v) => v.messageIds.map((itemIdentifier) => ({ itemIdentifier })))] };
      }

      metrics.addMetric(METRIC.CaseMessagesProcessed, MetricUnit.Count, event.Records.length);
      for (const [caseId, { messageIds, correlationId }] of byCase) {
        const r = results.get(caseId);
        if (!r || r instanceof Error) {
          metrics.addMetric(METRIC.CaseProcessingFailed, MetricUnit.Count, 1);
          logger.warn('case processing failed; the message will be retried', { caseId, correlationId, error: r ? errorOf(r) : { name: 'Missing' } });
          failures.push(...messageIds.map((itemIdentifier) => ({ itemIdentifier })));
          continue;
        }
        if (r.dispatchedNow) {
          metrics.addMetric(METRIC.CasesDispatched, MetricUnit.Count, 1);
          if (r.status === 'needs_review') metrics.addMetric(METRIC.CasesNeedingReview, MetricUnit.Count, 1);
        }
        logger.info('case processed', { caseId, correlationId, status: r.status, agencyId: r.agencyId, dispatchedNow: r.dispatchedNow });
      }
      return { batchItemFailures: failures };
    });
}
