/**
 * The ingest handler: a thin middy composition — route, media type, size, signature, validation, then the
 * `acceptTickets` use case. The same function serves API Gateway in AWS and the local HTTP server.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { randomUUID } from 'node:crypto';
import { acceptTickets, type AcceptDeps } from '../app/accept-tickets.js';
import { httpHandler } from '../http/http-handler.js';
import { HttpError } from '../http/http-error.js';
import { json } from '../http/json-response.js';
import type { HotlineSecrets } from '../ports/hotline-secrets.js';
import type { Observability } from '../shared/observability.js';
import { parseTickets, sourceFromPath, verifiedHotlineBody } from './parse-request.js';

export interface IngestDeps extends AcceptDeps, Observability {
  secrets: HotlineSecrets;
}

const CORRELATION_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

export function makeIngestHandler(deps: IngestDeps) {
  const { logger, metrics } = deps;
  return httpHandler(deps).handler(async (event) => {
      // One request metric per call on the shared instance: the API's traffic, and no empty-metrics flush warning.
      metrics.addMetric('IngestRequests', MetricUnit.Count, 1);
      const source = sourceFromPath(event.rawPath);
      // Per-source counts as single metrics: dimensions on the shared instance would leak between invocations.
      const count = (name: string, n: number) => metrics.singleMetric().addDimension('source', source).addMetric(name, MetricUnit.Count, n);
      const body = await verifiedHotlineBody(event, source, deps, () => count('SignatureRejected', 1));

      let tickets;
      try {
        tickets = parseTickets(source, body);
      } catch (e) {
        if (e instanceof HttpError) count('TicketsRejected', 1);
        throw e;
      }

      const given = event.headers['x-correlation-id'];
      const correlationId = given && CORRELATION_ID.test(given) ? given : (event.requestContext?.requestId ?? randomUUID());
      logger.appendKeys({ correlationId, source });
      const results = await acceptTickets(deps, tickets, correlationId);

      const accepted = results.filter((r) => r.status === 'accepted').length;
      count('TicketsAccepted', accepted);
      count('TicketsDuplicate', results.length - accepted);
      logger.info('tickets ingested', { tickets: results.length, accepted, duplicates: results.length - accepted });
      return json(202, { results });
    });
}
