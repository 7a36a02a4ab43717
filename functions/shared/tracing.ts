/**
 * Powertools Tracer, loaded only by bundles built with tracing on (functions/shared/observability.ts). Lambda active
 * tracing is switched on with it (`-c tracing=true`, lib/node-function.ts).
 */
import { Tracer } from '@aws-lambda-powertools/tracer';

export function clientTracer(serviceName: string): <T>(client: T) => T {
  const tracer = new Tracer({ serviceName });
  return (client) => tracer.captureAWSv3Client(client);
}
