/**
 * Every decision (and grouping keys) for labelled tickets, one JSON line each, to diff before and after a change that
 * must not move any output (a refactor) or to see exactly what a lexicon edit moves:
 *
 *   npx tsx scripts/decisions.ts ../shared/data/dev-tickets.jsonl test/fixtures/tickets.jsonl > /tmp/after.jsonl
 *
 * With `--variants`, each ticket is also sent without title, category and type, and its words through the other
 * hotline's shape (12345 as 12309 against an agency, a court and an enterprise, three matter types; 12309 as 12345
 * with four types), which exercises more of the classifier than the labelled lines alone.
 */
import { readFileSync } from 'node:fs';
import { classifyAndRoute } from '../functions/config/classify.js';
import { groupKeysOf } from '../functions/config/group-keys.js';
import { ticketSchemaFor, type SourcedTicket } from '../functions/domain/ticket/schemas.js';

const args = process.argv.slice(2);
const variants = args.includes('--variants');
const files = args.filter((a) => !a.startsWith('--'));
if (files.length === 0) {
  process.stderr.write('usage: npx tsx scripts/decisions.ts [--variants] <labelled.jsonl>...\n');
  process.exit(2);
}

const out: string[] = [];
const emit = (t: SourcedTicket): void => {
  const address = t.source === '12345' ? t.ticket.address : undefined;
  out.push(JSON.stringify({ d: classifyAndRoute(t), g: groupKeysOf({ content: t.ticket.content, address }, ['enterprise', 'place', 'address']) }));
};

for (const file of files) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const raw = JSON.parse(line) as { source: '12345' | '12309'; ticket: Record<string, unknown> };
    emit({ source: raw.source, ticket: ticketSchemaFor[raw.source].parse(raw.ticket) } as SourcedTicket);
    if (!variants) continue;
    const r = raw.ticket as Record<string, string | undefined>;
    if (raw.source === '12345') {
      emit({ source: '12345', ticket: ticketSchemaFor['12345'].parse({ ...raw.ticket, title: undefined, hotlineCategory: undefined, type: undefined }) });
      for (const matterType of ['report', 'pil_clue', 'accusation'] as const) {
        for (const kind of ['agency', 'court', 'enterprise'] as const) {
          const ticket = {
            caseNo: `X-${r.ticketId}`,
            receivedAt: r.receivedAt,
            channel: 'phone',
            content: r.content,
            demand: r.title,
            matterType,
            procuratorateCode: r.regionCode,
            regionCode: r.regionCode,
            respondent: { kind },
          };
          emit({ source: '12309', ticket: ticketSchemaFor['12309'].parse(ticket) });
        }
      }
    } else {
      for (const type of [undefined, 'consultation', 'report', 'complaint']) {
        const ticket = {
          ticketId: `X${out.length}`,
          receivedAt: r.receivedAt,
          channel: 'phone',
          content: `${r.content}${r.demand ?? ''}`,
          regionCode: r.regionCode ?? r.procuratorateCode,
          urgency: 'normal',
          ...(type ? { type } : {}),
          hotlineCategory: r.demand?.slice(0, 20),
        };
        emit({ source: '12345', ticket: ticketSchemaFor['12345'].parse(ticket) });
      }
    }
  }
}
process.stdout.write(`${out.join('\n')}\n`);
