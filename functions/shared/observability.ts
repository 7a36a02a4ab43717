/**
 * One Logger, Metrics and Tracer per function (Powertools), configured from the standard POWERTOOLS_* variables.
 * Nothing here logs payloads: ticket text and contact details stay out of logs and metrics (product.md §8).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

export interface Observability {
  logger: Logger;
  metrics: Metrics;
  tracer: Tracer;
}

export function observability(serviceName: string): Observability {
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'HotlineIntegration' }),
    tracer: new Tracer({ serviceName }),
  };
}
