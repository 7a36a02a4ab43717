/**
 * Classify and route tickets from stdin: one JSON line `{"source","ticket"}` in, one JSON line out, in order.
 *
 *   npm run --silent classify < tickets.jsonl
 *
 * Out: `{"id","domain","ticketType","clue","agencyId","referralAgencyId","confidence","needsReview","evidence"}`.
 * A line that is not valid JSON or not a valid ticket prints `{"id":...,"error":...}` (id null when unknown) and the
 * run goes on. Evidence names lexicon terms and features only, never the caller's words.
 */
import { createInterface } from 'node:readline';
import { Source } from '../functions/domain/taxonomy.js';
import { ticketSchemaFor, type SourcedTicket } from '../functions/domain/ticket/schemas.js';
import { sourceTicketId } from '../functions/domain/ticket/source.js';
import { classifyAndRoute } from '../functions/config/classify.js';

function idOf(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const t = (raw as { ticket?: unknown }).ticket;
  if (typeof t !== 'object' || t === null) return null;
  const { ticketId, caseNo } = t as { ticketId?: unknown; caseNo?: unknown };
  return typeof ticketId === 'string' ? ticketId : typeof caseNo === 'string' ? caseNo : null;
}

function handle(line: string): string {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return JSON.stringify({ id: null, error: 'not valid JSON' });
  }
  const source = Source.safeParse((raw as { source?: unknown } | null)?.source);
  if (!source.success) return JSON.stringify({ id: idOf(raw), error: 'source: expected "12345" or "12309"' });
  const parsed = ticketSchemaFor[source.data].safeParse((raw as { ticket?: unknown }).ticket);
  if (!parsed.success) {
    const error = parsed.error.issues.map((i) => `ticket.${i.path.join('.')}: ${i.message}`).join('; ');
    return JSON.stringify({ id: idOf(raw), error });
  }
  const t = { source: source.data, ticket: parsed.data } as SourcedTicket;
  const d = classifyAndRoute(t);
  return JSON.stringify({
    id: sourceTicketId(t),
    domain: d.domain,
    ticketType: d.ticketType,
    clue: d.clue,
    agencyId: d.agencyId,
    referralAgencyId: d.referralAgencyId,
    confidence: d.confidence,
    needsReview: d.needsReview,
    evidence: d.evidence,
  });
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (!line.trim()) continue;
  process.stdout.write(`${handle(line)}\n`);
}
