/**
 * The retention function: EventBridge Scheduler invokes it once a day (lib/retention-construct.ts) and it runs the
 * retention job (app/retention.ts). The event is ignored: a run does what is due at the time it runs. A thrown error
 * (the store failing) fails the invocation; Lambda retries it, and the next day's run picks up the rest anyway.
 * Logs and metrics carry counts only: no case text, no contact, no case ids beyond the count.
 */
import { METRIC } from '../shared/metric-names.js';
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { runRetention, type RetentionDeps, type RetentionRun } from '../app/retention.js';
import type { Observability } from '../shared/observability.js';

export type RetentionFunctionDeps = RetentionDeps & Observability;

export type RetentionSummary = Omit<RetentionRun, 'cases'>;

export function makeRetentionHandler(deps: RetentionFunctionDeps) {
  const { logger, metrics } = deps;
  return middy<unknown, RetentionSummary, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async () => {
      const { cases: _cases, ...summary } = await runRetention(deps);
      metrics.addMetric(METRIC.ContactsErased, MetricUnit.Count, summary.erased.contact);
      metrics.addMetric(METRIC.TextsAnonymised, MetricUnit.Count, summary.erased.text);
      metrics.addMetric(METRIC.RetentionConflicts, MetricUnit.Count, summary.conflicts);
      logger.info('retention run', { ...summary });
      return summary;
    });
}
