/**
 * The ingest handler (`POST /v1/hotlines/{source}/tickets`): the shared HTTP stack checks route, media type, size
 * and signature and parses the JSON; this validates the tickets and calls the `acceptTickets` use case. The same
 * function serves API Gateway in AWS and the local HTTP server.
 */
import { randomUUID } from 'node:crypto';
import { acceptTickets, type AcceptDeps } from '../app/accept-tickets.js';
import type { ReceiptWindow } from '../domain/ticket/received-at.js';
import type { SourcedTicket } from '../domain/ticket/schemas.js';
import { httpFunction } from '../http/http-handler.js';
import { HttpError } from '../http/http-error.js';
import { json } from '../http/json-response.js';
import type { HotlineSecrets } from '../ports/hotline-secrets.js';
import { dimensionedCount, type Observability } from '../shared/observability.js';
import { parseTickets } from './parse-request.js';
import { METRIC } from '../shared/metric-names.js';

export interface IngestDeps extends AcceptDeps, Observability {
  secrets: HotlineSecrets;
  /** The `receivedAt` window (config/deadline-policy.json `receipt` when deployed). */
  receipt: ReceiptWindow;
}

const CORRELATION_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

export function makeIngestHandler(deps: IngestDeps) {
  const { logger, metrics } = deps;
  const countBy = dimensionedCount(metrics);
  return httpFunction('ingest', deps, { requestMetric: METRIC.IngestRequests }, async ({ params: { source }, body, event }) => {
    const count = (name: string, n: number) => countBy('source', source, name, n);

    let tickets: SourcedTicket[];
    try {
      tickets = parseTickets(source, body, { nowMs: deps.now().getTime(), window: deps.receipt });
    } catch (e) {
      if (e instanceof HttpError) count(METRIC.TicketsRejected, 1);
      throw e;
    }

    const given = event.headers['x-correlation-id'];
    const correlationId = given && CORRELATION_ID.test(given) ? given : (event.requestContext?.requestId ?? randomUUID());
    logger.appendKeys({ correlationId, source });
    const results = await acceptTickets(deps, tickets, correlationId);

    const accepted = results.filter((r) => r.status === 'accepted').length;
    count(METRIC.TicketsAccepted, accepted);
    count(METRIC.TicketsDuplicate, results.length - accepted);
    logger.info('tickets ingested', { tickets: results.length, accepted, duplicates: results.length - accepted });
    return json(202, { results });
  });
}
