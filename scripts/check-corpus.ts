/**
 * Checks labelled ticket files (the training corpus, the blind slice, the shared development set) line by line:
 *
 *   npm run check:corpus -- data/corpus/*.jsonl [--stats]
 *
 * Each line must be `{"source","ticket","label":{domain,type,clue,agency,referral},"note"?}` with a ticket that the
 * ingest schema accepts and a label consistent with taxonomy.md §6 as the routing table (`config/routing.json`) encodes it: the agency
 * is the domain's agency or one of its overrides (12345, or a 12309 transfer), the judicial sub-route for
 * `judicial_affairs`, the clue's department on 12309 when there is a clue; the referral is the clue's department on
 * 12345 and null on 12309. Ticket ids must be unique across all files given. `--stats` prints counts per domain,
 * clue kind, source and agency. Exit code 1 and one message per problem (file:line) when anything is wrong.
 */
import { readFileSync } from 'node:fs';
import { routing } from '../functions/config/routing.js';
import { agencyKindsOf } from '../functions/domain/route/routing-table.js';
import { ticketSchemaFor } from '../functions/domain/ticket/schemas.js';
import { CLUE_KINDS, DOMAINS, MATTER_TYPES_12309, TICKET_TYPES_12345, type ClueKind, type Domain } from '../functions/domain/taxonomy.js';
import { sourceTicketId } from '../functions/domain/ticket/source.js';

const args = process.argv.slice(2);
const stats = args.includes('--stats');
const files = args.filter((a) => !a.startsWith('--'));
if (files.length === 0) {
  process.stderr.write('usage: npm run check:corpus -- <labelled.jsonl>... [--stats]\n');
  process.exit(2);
}

const problems: string[] = [];
const seen = new Map<string, string>();
const count = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
const byDomain = new Map<string, number>();
const byClue = new Map<string, number>();
const bySource = new Map<string, number>();
const byAgency = new Map<string, number>();
let total = 0;

for (const file of files) {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i): void => {
    if (!line.trim()) return;
    const where = `${file}:${i + 1}`;
    const bad = (msg: string) => problems.push(`${where}: ${msg}`);
    let row: { source?: unknown; ticket?: unknown; label?: Record<string, unknown> };
    try {
      row = JSON.parse(line);
    } catch (e) {
      bad(`not JSON (${(e as Error).message})`);
      return;
    }
    const source = row.source;
    if (source !== '12345' && source !== '12309') {
      bad(`source must be "12345" or "12309", got ${JSON.stringify(source)}`);
      return;
    }
    const parsed = ticketSchemaFor[source].safeParse(row.ticket);
    if (!parsed.success) {
      bad(`ticket rejected by the ${source} schema: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
      return;
    }
    const id = sourceTicketId({ source, ticket: parsed.data } as never);
    const key = `${source}:${id}`;
    if (seen.has(key)) bad(`ticket id ${id} already used at ${seen.get(key)}`);
    seen.set(key, where);
    const l = row.label ?? {};
    const domain = l.domain as Domain;
    const clue = l.clue as ClueKind;
    if (!DOMAINS.includes(domain)) {
      bad(`label.domain ${JSON.stringify(l.domain)} is not a taxonomy domain`);
      return;
    }
    if (!CLUE_KINDS.includes(clue)) {
      bad(`label.clue ${JSON.stringify(l.clue)} is not a clue kind`);
      return;
    }
    const types: readonly string[] = source === '12345' ? TICKET_TYPES_12345 : MATTER_TYPES_12309;
    if (!types.includes(l.type as string)) bad(`label.type ${JSON.stringify(l.type)} is not a ${source} type`);
    const agency = l.agency as string;
    const referral = l.referral as string | null;
    let expected: Set<string>;
    if (source === '12345') {
      expected = agencyKindsOf(routing, domain);
      const wantReferral = clue === 'none' ? null : routing.clueDepartment(clue, domain);
      if (referral !== wantReferral) bad(`label.referral must be ${JSON.stringify(wantReferral)} for a 12345 ticket with clue ${clue}`);
    } else {
      if (referral !== null) bad('label.referral must be null for a 12309 ticket');
      if (clue !== 'none') expected = new Set([routing.clueDepartment(clue, domain)]);
      else if (domain === 'minors_protection') expected = new Set(['procuratorate.minors']);
      else if (domain === 'other') expected = new Set(['procuratorate.petition']);
      else expected = agencyKindsOf(routing, domain);
    }
    if (!expected.has(agency))
      bad(`label.agency ${JSON.stringify(agency)} does not fit ${source}/${domain}/${clue}: expected one of ${[...expected].join(', ')}`);
    total++;
    count(byDomain, domain);
    count(byClue, clue);
    count(bySource, source);
    count(byAgency, agency);
  });
}

if (stats) {
  const show = (title: string, m: Map<string, number>) =>
    console.log(
      `${title}: ${[...m]
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  console.log(`tickets: ${total}`);
  show('source', bySource);
  show('domain', byDomain);
  show('clue', byClue);
  show('agency', byAgency);
  const missing = DOMAINS.filter((d) => !byDomain.has(d));
  if (missing.length) console.log(`domains with no ticket: ${missing.join(', ')}`);
}
if (problems.length) {
  for (const p of problems) console.error(p);
  console.error(`${problems.length} problem(s) in ${total} valid line(s)`);
  process.exit(1);
}
console.log(`ok: ${total} labelled tickets in ${files.length} file(s)`);
