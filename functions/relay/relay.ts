/**
 * The relay function: the transactional outbox's publisher. Its input is the case table's change feed — a DynamoDB
 * stream event (the Lambda event source mapping in AWS, the local feed over DynamoDB Local's stream locally, the same
 * handler either way) — and for each saved case version it does what the version causes (app/relay.ts): publish its
 * events, enqueue a new ticket, move the case's deadline timer.
 *
 * A failure is reported as a partial batch response naming the first change that failed: the feed hands that change
 * and every later one over again (a shard is worked in order), so nothing after a failure is skipped. A record that
 * keeps failing goes to the on-failure destination after `RELAY_FEED.retryAttempts`.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { caseChangesOf } from '../adapters/aws/dynamo-stream-changes.js';
import { relayChanges, type RelayDeps } from '../app/relay.js';
import type { Observability } from '../shared/observability.js';
import { METRIC } from '../shared/metric-names.js';

export type RelayHandlerDeps = RelayDeps & Pick<Observability, 'logger' | 'metrics'>;

export function makeRelayHandler(deps: RelayHandlerDeps) {
  const { logger, metrics } = deps;
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event) => {
      const changes = caseChangesOf(event.Records);
      const failed = await relayChanges(deps, changes);
      metrics.addMetric(METRIC.CaseChangesRelayed, MetricUnit.Count, changes.length - failed.size);
      const first = changes.find((c) => failed.has(c.id));
      if (!first) return { batchItemFailures: [] };
      metrics.addMetric(METRIC.CaseChangesFailed, MetricUnit.Count, failed.size);
      for (const c of changes.filter((x) => failed.has(x.id))) {
        const e = failed.get(c.id)!;
        // Ids and versions only: the images hold personal data.
        logger.warn('case change not relayed; the feed hands it over again', {
          caseId: (c.new ?? c.old)?.caseId,
          version: (c.new ?? c.old)?.version,
          sequenceNumber: c.id,
          error: { name: e.name, message: e.message },
        });
      }
      return { batchItemFailures: [{ itemIdentifier: first.id }] };
    });
}
