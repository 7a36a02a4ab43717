/** Ticket builders for classifier and router tests: valid tickets as the zod schemas parse them. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ticket12309, Ticket12345, type SourcedTicket } from '../../../functions/domain/ticket/schemas.js';

let n = 0;

export function t12345(content: string, extra: Partial<Record<string, unknown>> = {}): SourcedTicket {
  n++;
  return {
    source: '12345',
    ticket: Ticket12345.parse({ ticketId: `T-${n}`, receivedAt: '2026-05-06T09:30:00+08:00', channel: 'phone', content, regionCode: '150302', ...extra }),
  };
}

export function t12309(content: string, matterType: string, extra: Partial<Record<string, unknown>> = {}): SourcedTicket {
  n++;
  return {
    source: '12309',
    ticket: Ticket12309.parse({
      caseNo: `C-${n}`,
      receivedAt: '2026-05-06T09:30:00+08:00',
      channel: 'visit',
      matterType,
      content,
      procuratorateCode: '150300',
      ...extra,
    }),
  };
}

export interface Labelled {
  t: SourcedTicket;
  label: { domain: string; type: string; clue: string; agency: string; referral: string | null };
}

/** The project's own labelled fixture tickets (invented; no personal data of real people). */
export function fixtureTickets(): Labelled[] {
  const file = fileURLToPath(new URL('../../fixtures/tickets.jsonl', import.meta.url));
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const raw = JSON.parse(l) as { source: '12345' | '12309'; ticket: unknown; label: Labelled['label'] };
      const t = (
        raw.source === '12345' ? { source: '12345', ticket: Ticket12345.parse(raw.ticket) } : { source: '12309', ticket: Ticket12309.parse(raw.ticket) }
      ) as SourcedTicket;
      return { t, label: raw.label };
    });
}

export const kindOf = (id: string | null): string | null => (id === null ? null : id.slice(id.indexOf(':') + 1));
