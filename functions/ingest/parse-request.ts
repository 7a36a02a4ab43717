/**
 * The tickets of a hotline request body (already JSON, already signature-checked by the HTTP stack): a single
 * ticket or `{"tickets": [...]}` with 1–100, each validated against its hotline's schema. Problems answer 400
 * `validation_failed` with `{index, path, message}` for every invalid ticket; none is kept (product.md §3).
 */
import { receivedAtProblem, type ReceiptWindow } from '../domain/ticket/received-at.js';
import { ticketSchemaFor, type SourcedTicket } from '../domain/ticket/schemas.js';
import type { Source } from '../domain/taxonomy.js';
import { validationFailed, type ValidationDetail } from '../http/http-error.js';
import { detailsOf } from '../http/validation.js';

export { MAX_BODY_BYTES } from '../http/body.js';
export const MAX_BATCH = 100;

/** When the request arrives, and the `receivedAt` window around it (config/deadline-policy.json `receipt`). */
export interface ReceiptCheck {
  nowMs: number;
  window: ReceiptWindow;
}

/**
 * Parses a single ticket or `{"tickets": [...]}` (1–100); every invalid ticket is reported, none is kept. A
 * `receivedAt` outside the window around the arrival time is invalid too (path `receivedAt`).
 */
export function parseTickets(source: Source, body: unknown, receipt: ReceiptCheck): SourcedTicket[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw validationFailed([{ index: null, path: '', message: 'body must be a ticket object or {"tickets": [...]}' }]);
  }
  let items: unknown[];
  if ('tickets' in body) {
    const { tickets, ...extra } = body as { tickets: unknown };
    const problems: ValidationDetail[] = Object.keys(extra).map((k) => ({ index: null, path: k, message: 'unexpected field beside "tickets"' }));
    if (!Array.isArray(tickets)) problems.push({ index: null, path: 'tickets', message: 'must be an array of tickets' });
    else if (tickets.length < 1 || tickets.length > MAX_BATCH)
      problems.push({ index: null, path: 'tickets', message: `must hold 1 to ${MAX_BATCH} tickets, got ${tickets.length}` });
    if (problems.length) throw validationFailed(problems);
    items = tickets as unknown[];
  } else {
    items = [body];
  }
  const schema = ticketSchemaFor[source];
  const details: ValidationDetail[] = [];
  const out: SourcedTicket[] = [];
  items.forEach((item, i) => {
    const r = schema.safeParse(item);
    const problem = r.success ? receivedAtProblem(r.data.receivedAt, receipt.nowMs, receipt.window) : undefined;
    if (!r.success) details.push(...detailsOf(r.error, i));
    else if (problem) details.push({ index: i, path: 'receivedAt', message: problem });
    else out.push({ source, ticket: r.data } as SourcedTicket);
  });
  if (details.length) throw validationFailed(details);
  return out;
}
