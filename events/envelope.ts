/**
 * The envelope every event carries (product.md §6), declared once and kept free of zod: the domain and the Lambda
 * bundles build events with it without pulling in the event schemas (`schemas.ts`), which import this module.
 *
 * The id is deterministic (`eventIdFor`): a retry or a republish from the stored record carries the same id, and
 * `occurredAt` comes from the record (a history entry, a planned timer), never from the clock.
 */
import { eventIdFor } from '../functions/domain/case/event-id.js';

/** EventBridge `source` of every event the service publishes. */
export const EVENT_SOURCE = 'hotline.integration';
export const SCHEMA_VERSION = 1;

export interface EventEnvelope {
  eventId: string;
  schemaVersion: typeof SCHEMA_VERSION;
  occurredAt: string;
  caseId: string;
  correlationId: string;
}

export interface EnvelopeInput {
  /** The case the event is about, and the correlation id it carries from ingest. */
  case: { caseId: string; correlationId: string };
  /** What the id names: usually the detail-type; a timer adds `#<deadline>`. */
  idType: string;
  /** The version of the subject at which the event happened (a history entry's version, a deadline period's). */
  version: number;
  occurredAt: string;
  /** The id's subject when it is not the case itself (a cluster is detected once, whichever case completes it). */
  idSubject?: string;
}

/** The envelope of one event: `eventIdFor(idSubject ?? caseId, idType, version)`, the time given, the case's ids. */
export function eventEnvelope(p: EnvelopeInput): EventEnvelope {
  return {
    eventId: eventIdFor(p.idSubject ?? p.case.caseId, p.idType, p.version),
    schemaVersion: SCHEMA_VERSION,
    occurredAt: p.occurredAt,
    caseId: p.case.caseId,
    correlationId: p.case.correlationId,
  };
}
