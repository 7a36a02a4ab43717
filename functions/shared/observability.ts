/**
 * One Logger and Metrics per function (Powertools), configured from the standard POWERTOOLS_* variables, and a
 * client tracer that is a no-op unless the bundle was built with tracing on.
 * Nothing here logs payloads: ticket text and contact details stay out of logs and metrics (product.md §8).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';

export interface Observability {
  logger: Logger;
  metrics: Metrics;
  /**
   * Prepares an AWS SDK v3 client: drops the SDK's logger middleware (below) and instruments the client for X-Ray
   * (Powertools Tracer) when tracing is on. Every SDK client a function makes goes through it.
   */
  traceClient: <T>(client: T) => T;
}

/**
 * The SDK's logger middleware builds a redacted copy of every request and response (walking the operation's schema)
 * for the client's `logger`, even when that logger is the SDK's default no-op: a measurable share of the CPU an SDK
 * call costs in local mode's pipeline. No client here configures a logger (Powertools logs what matters), so it goes.
 */
export function withoutSdkLogging<T>(client: T): T {
  (client as { middlewareStack?: { remove(name: string): boolean } }).middlewareStack?.remove('loggerMiddleware');
  return client;
}

/**
 * A count with one dimension (`source`, `action`, ...), emitted at once. One single-metric instance per function
 * instance, reused: `Metrics.singleMetric()` builds a whole new Metrics (its own console, its environment read again) on
 * every call. Publishing clears the dimension, so each count carries only its own; the shared instance's buffered
 * metrics never get it (dimensions on that instance would leak between invocations).
 */
export function dimensionedCount(metrics: Metrics): (dimension: string, value: string, name: string, n?: number) => void {
  let single: Metrics | undefined;
  return (dimension, value, name, n = 1) => {
    single ??= metrics.singleMetric();
    single.addDimension(dimension, value).addMetric(name, MetricUnit.Count, n);
  };
}

/**
 * Replaced by a literal when esbuild bundles a Lambda (lib/bundling.ts, CDK context `tracing`), so with tracing off
 * the branch below is dead code and the Tracer and the X-Ray SDK (about 25 ms of cold start) are not in the bundle.
 * Unset in tests and local mode: off.
 */
// The condition must stay inline: esbuild drops an import in a dead branch only when the condition is a literal.
const tracing = process.env.HOTLINE_TRACING === 'true' ? await import('./tracing.js') : undefined;

export function observability(serviceName: string): Observability {
  const trace = tracing?.clientTracer(serviceName);
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'HotlineIntegration' }),
    traceClient: (client) => (trace ? trace(withoutSdkLogging(client)) : withoutSdkLogging(client)),
  };
}
