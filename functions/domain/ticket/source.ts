/**
 * What the pipeline needs to know about a validated ticket's origin, without the payload schemas: importing
 * `schemas.ts` builds every zod schema of both hotlines, which the process function (it never parses a payload)
 * would pay for at cold start.
 */
import type { SourcedTicket } from './schemas.js';

/** The id a source gives its ticket: `ticketId` (12345) or `caseNo` (12309). */
export const sourceTicketId = (t: SourcedTicket): string => (t.source === '12345' ? t.ticket.ticketId : t.ticket.caseNo);
