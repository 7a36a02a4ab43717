/**
 * Refactor guard: every decision (and the similar-case grouping keys) for the committed fixture tickets, plus the same
 * words sent in other shapes (no title, category or type; as a 12309 ticket against an agency or a court; a 12309
 * ticket as a 12345 one), must stay byte-identical to the committed snapshot. A change to the lexicon, the routing
 * table or the classifier that moves any of them shows up here as a readable JSONL diff; when the change is meant,
 * update the snapshot (`npx vitest run test/domain/classify/decisions.snapshot.test.ts -u`) and say why in the commit.
 */
import { describe, expect, it } from 'vitest';
import { classifyAndRoute } from '../../../functions/config/decide.js';
import { groupKeysOf } from '../../../functions/config/group-keys.js';
import { Ticket12309, Ticket12345, type SourcedTicket } from '../../../functions/domain/ticket/schemas.js';
import { fixtureTickets } from './support.js';

function variants(t: SourcedTicket): SourcedTicket[] {
  const out: SourcedTicket[] = [t];
  if (t.source === '12345') {
    const { title, hotlineCategory, type, ...bare } = t.ticket;
    out.push({ source: '12345', ticket: Ticket12345.parse(bare) });
    for (const [matterType, kind] of [
      ['pil_clue', 'agency'],
      ['accusation', 'court'],
    ] as const) {
      const ticket = {
        caseNo: `V-${t.ticket.ticketId}`,
        receivedAt: t.ticket.receivedAt,
        channel: 'phone',
        matterType,
        content: t.ticket.content,
        procuratorateCode: t.ticket.regionCode,
        respondent: { kind },
      };
      out.push({ source: '12309', ticket: Ticket12309.parse(title ? { ...ticket, demand: title } : ticket) });
    }
  } else {
    const ticket = {
      ticketId: `V-${t.ticket.caseNo}`,
      receivedAt: t.ticket.receivedAt,
      channel: 'phone',
      content: t.ticket.content,
      regionCode: t.ticket.regionCode ?? t.ticket.procuratorateCode,
    };
    out.push({
      source: '12345',
      ticket: Ticket12345.parse(t.ticket.demand ? { ...ticket, title: t.ticket.demand.slice(0, 200), hotlineCategory: t.ticket.demand.slice(0, 20) } : ticket),
    });
  }
  return out;
}

describe('decisions on the fixture tickets', () => {
  it('are unchanged (classification, routing, grouping keys)', async () => {
    const lines: string[] = [];
    for (const { t } of fixtureTickets()) {
      for (const v of variants(t)) {
        const address = v.source === '12345' ? v.ticket.address : undefined;
        lines.push(JSON.stringify({ d: classifyAndRoute(v), g: groupKeysOf({ content: v.ticket.content, address }, ['enterprise', 'place', 'address']) }));
      }
    }
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('__snapshots__/decisions.jsonl');
  });
});
