/**
 * The process handler: SQS batch → `processCase` per message, with Powertools partial batch failures (only the
 * failed messages come back) and Powertools idempotency keyed by case id (a message delivered twice after
 * success is answered from the idempotency record instead of being worked again).
 */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { parser } from '@aws-lambda-powertools/batch/parser';
import type { ParsedRecord } from '@aws-lambda-powertools/batch/types';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SqsRecord } from '@aws-lambda-powertools/parser/types';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { z } from 'zod';
import { processCase, type ProcessDeps, type ProcessOutcome } from '../app/process-case.js';
import type { Observability } from '../shared/observability.js';

export const ProcessMessageSchema = z.object({ caseId: z.string().min(1).max(100), correlationId: z.string().min(1).max(200) });
type ProcessMessage = z.infer<typeof ProcessMessageSchema>;

export interface ProcessHandlerDeps extends ProcessDeps, Observability {
  idempotencyStore: BasePersistenceLayer;
}

export function makeProcessHandler(deps: ProcessHandlerDeps) {
  const { logger, metrics } = deps;
  const processor = new BatchProcessor(EventType.SQS, { parser, innerSchema: ProcessMessageSchema, transformer: 'json', logger });
  const idempotency = new IdempotencyConfig({ eventKeyJmesPath: 'caseId', expiresAfterSeconds: 24 * 3600 });
  const processOnce = makeIdempotent((m: ProcessMessage): Promise<ProcessOutcome> => processCase(deps, m.caseId), {
    persistenceStore: deps.idempotencyStore,
    config: idempotency,
  });

  const recordHandler = async (record: ParsedRecord<SqsRecord, ProcessMessage>) => {
    // Records of a batch run concurrently: per-record keys go into each line, not onto the shared logger.
    const { caseId, correlationId } = record.body;
    try {
      const outcome = await processOnce(record.body);
      metrics.addMetric('CaseMessagesProcessed', MetricUnit.Count, 1);
      if (outcome.dispatchedNow) {
        metrics.addMetric('CasesDispatched', MetricUnit.Count, 1);
        if (outcome.status === 'needs_review') metrics.addMetric('CasesNeedingReview', MetricUnit.Count, 1);
      }
      logger.info('case processed', { caseId, correlationId, status: outcome.status, agencyId: outcome.agencyId, dispatchedNow: outcome.dispatchedNow });
      return outcome;
    } catch (e) {
      metrics.addMetric('CaseProcessingFailed', MetricUnit.Count, 1);
      logger.warn('case processing failed; the message will be retried', { caseId, correlationId, error: { name: (e as Error).name, message: (e as Error).message } });
      throw e;
    }
  };

  return middy<SQSEvent, SQSBatchResponse, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event, context) => {
      idempotency.registerLambdaContext(context);
      return processPartialResponse(event, recordHandler, processor, { context });
    });
}
