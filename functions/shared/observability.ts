/**
 * One Logger and Metrics per function (Powertools), configured from the standard POWERTOOLS_* variables, and a
 * client tracer that is a no-op unless the bundle was built with tracing on.
 * Nothing here logs payloads: ticket text and contact details stay out of logs and metrics (product.md §8).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export interface Observability {
  logger: Logger;
  metrics: Metrics;
  /** Instruments an AWS SDK v3 client for X-Ray (Powertools Tracer) when tracing is on; returns it unchanged otherwise. */
  traceClient: <T>(client: T) => T;
}

/**
 * Replaced by a literal when esbuild bundles a Lambda (lib/bundling.ts, CDK context `tracing`), so with tracing off
 * the branch below is dead code and the Tracer and the X-Ray SDK (about 25 ms of cold start) are not in the bundle.
 * Unset in tests and local mode: off.
 */
// The condition must stay inline: esbuild drops an import in a dead branch only when the condition is a literal.
const tracing = process.env.HOTLINE_TRACING === 'true' ? await import('./tracing.js') : undefined;

export function observability(serviceName: string): Observability {
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'HotlineIntegration' }),
    traceClient: tracing ? tracing.clientTracer(serviceName) : (client) => client,
  };
}
