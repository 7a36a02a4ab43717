/**
 * Evaluate classification and routing against labelled tickets.
 *
 *   npm run eval -- <labelled.jsonl> [--cv K] [--part i/K] [--errors] [--json]
 *
 * A line is `{"source","ticket","label":{domain,type,clue,agency,referral}}`; label agency/referral are agency kinds.
 * Prints per-domain precision/recall, top confusions, agency accuracy (a ticket flagged for review counts as flagged,
 * not misrouted), misrouted and review rates, referral accuracy, clue F1 and clue-kind accuracy, type accuracy and a
 * confidence reliability table; the last line is one JSON object with the headline metrics.
 *
 * `--cv K`: nothing in the classifier is trained from data (the lexicon and rules are written by hand), so there is
 * nothing to refit per fold: K-fold figures are the dev figures split K ways, shown per fold to expose their spread.
 * `--part i/K` evaluates only the i-th of K deterministic parts (by a hash of the ticket id), for held-out checks.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Domain, ClueKind, parseAgencyId } from '../functions/domain/taxonomy.js';
import { ticketSchemaFor, type SourcedTicket } from '../functions/domain/ticket/schemas.js';
import { sourceTicketId } from '../functions/domain/ticket/source.js';
import type { Decision } from '../functions/domain/classify/index.js';
import { classifyAndRoute } from '../functions/config/classify.js';
import { routerModel, routerModelFile } from '../functions/config/router-model.js';
import { reliability } from '../functions/domain/classify/model/train.js';
import { bestGuessOf } from '../functions/domain/route/router.js';

const Label = z.object({
  domain: Domain,
  type: z.string(),
  clue: ClueKind,
  agency: z.string(),
  referral: z.string().nullable(),
});

interface Row {
  id: string;
  label: z.infer<typeof Label>;
  d: Decision;
}

function usage(msg: string): never {
  process.stderr.write(`${msg}\nusage: npm run eval -- <labelled.jsonl> [--cv K] [--part i/K] [--errors] [--json]\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const file = args.find((a, i) => !a.startsWith('--') && !['--cv', '--part'].includes(args[i - 1] ?? ''));
if (!file) usage('missing labelled file');
const cvArg = args.indexOf('--cv');
const cv = cvArg >= 0 ? Number(args[cvArg + 1]) : 0;
if (cvArg >= 0 && !(Number.isInteger(cv) && cv >= 2)) usage('--cv needs an integer K ≥ 2');
const partArg = args.indexOf('--part');
let part: [number, number] | undefined;
if (partArg >= 0) {
  const m = /^(\d+)\/(\d+)$/.exec(args[partArg + 1] ?? '');
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) usage('--part needs i/K, e.g. 1/2');
  part = [Number(m[1]), Number(m[2])];
}
const showErrors = args.includes('--errors');

const foldOf = (id: string, k: number): number => createHash('sha1').update(id).digest().readUInt32BE(0) % k;

const rows: Row[] = [];
let invalid = 0;
for (const [n, line] of readFileSync(file, 'utf8').split('\n').entries()) {
  if (!line.trim()) continue;
  try {
    const raw = JSON.parse(line) as { source: '12345' | '12309'; ticket: unknown; label: unknown };
    const ticket = ticketSchemaFor[raw.source].parse(raw.ticket);
    const t = { source: raw.source, ticket } as SourcedTicket;
    const id = sourceTicketId(t);
    if (part && foldOf(id, part[1]) !== part[0] - 1) continue;
    rows.push({ id, label: Label.parse(raw.label), d: classifyAndRoute(t) });
  } catch (e) {
    invalid++;
    process.stderr.write(`line ${n + 1}: ${(e as Error).message.split('\n')[0]}\n`);
  }
}
if (rows.length === 0) usage('no valid labelled tickets');

const kindOf = (id: string | null): string | null => (id === null ? null : (parseAgencyId(id)?.kind ?? id));
const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1).padStart(5)}%` : '    - ');
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

function metrics(rs: Row[]) {
  const n = rs.length;
  let domainOk = 0,
    typeOk = 0,
    agencyOk = 0,
    guessOk = 0,
    flagged = 0,
    misrouted = 0,
    referralOk = 0,
    tp = 0,
    fp = 0,
    fn = 0,
    kindOk = 0,
    trueClues = 0;
  for (const { label: l, d } of rs) {
    if (d.domain === l.domain) domainOk++;
    if (d.ticketType === l.type) typeOk++;
    const kind = kindOf(d.agencyId);
    const guess = kindOf(bestGuessOf(d));
    if (guess === l.agency) guessOk++;
    if (d.needsReview) {
      flagged++;
      if (kind === l.agency) agencyOk++;
    } else if (kind === l.agency) agencyOk++;
    else misrouted++;
    if (kindOf(d.referralAgencyId) === l.referral) referralOk++;
    const pc = d.clue !== 'none';
    const lc = l.clue !== 'none';
    if (pc && lc) tp++;
    else if (pc) fp++;
    else if (lc) fn++;
    if (lc) {
      trueClues++;
      if (d.clue === l.clue) kindOk++;
    }
  }
  const prec = tp / (tp + fp);
  const rec = tp / (tp + fn);
  return {
    tickets: n,
    domainAcc: r3(domainOk / n),
    typeAcc: r3(typeOk / n),
    agencyAcc: r3(agencyOk / n),
    agencyAccBestGuess: r3(guessOk / n),
    agencyAccAutoRouted: r3((agencyOk - rs.filter((r) => r.d.needsReview && kindOf(r.d.agencyId) === r.label.agency).length) / Math.max(1, n - flagged)),
    misroutedRate: r3(misrouted / n),
    reviewRate: r3(flagged / n),
    referralAcc: r3(referralOk / n),
    clueF1: r3((2 * prec * rec) / (prec + rec) || 0),
    cluePrecision: r3(prec || 0),
    clueRecall: r3(rec || 0),
    clueKindAcc: r3(kindOk / Math.max(1, trueClues)),
  };
}

const m = metrics(rows);
const out: string[] = [];
out.push(
  `router: lexicon + ${routerModelFile ? `learned model ${routerModelFile} (data ${routerModel!.dataHash.slice(0, 12)}; do not score the data it was trained on)` : 'no learned model'}`,
);
out.push(`${file}: ${rows.length} tickets${part ? ` (part ${part[0]}/${part[1]})` : ''}${invalid ? `, ${invalid} invalid lines skipped` : ''}`);
out.push('');
out.push('domain                  support  precision  recall');
for (const dom of Domain.options) {
  const support = rows.filter((r) => r.label.domain === dom).length;
  const predicted = rows.filter((r) => r.d.domain === dom).length;
  if (!support && !predicted) continue;
  const hit = rows.filter((r) => r.label.domain === dom && r.d.domain === dom).length;
  out.push(`${dom.padEnd(24)}${String(support).padStart(7)}  ${pct(hit / predicted).padStart(9)}  ${pct(hit / support).padStart(6)}`);
}
const confusions = new Map<string, number>();
for (const r of rows)
  if (r.d.domain !== r.label.domain) confusions.set(`${r.label.domain} → ${r.d.domain}`, (confusions.get(`${r.label.domain} → ${r.d.domain}`) ?? 0) + 1);
out.push('');
out.push('top confusions (label → predicted)');
for (const [k, v] of [...confusions].sort((a, b) => b[1] - a[1]).slice(0, 10)) out.push(`  ${String(v).padStart(3)}  ${k}`);
out.push('');
const bestGuessKind = (d: Row['d']): string | null => kindOf(bestGuessOf(d));
const rel = reliability(
  rows.map((r) => r.d.confidence),
  rows.map((r) => bestGuessKind(r.d) === r.label.agency),
);
out.push(`confidence reliability (route confidence vs best-guess agency kind = label); ECE ${rel.ece.toFixed(3)}`);
for (const b of rel.table) {
  if (b.n === 0) continue;
  out.push(`  [${b.from.toFixed(1)}, ${b.to.toFixed(1)})  n=${String(b.n).padStart(4)}  mean confidence ${pct(b.meanConfidence)}  right ${pct(b.accuracy)}`);
}
out.push('');
out.push('review rate against misroute rate by threshold (flags that do not depend on it kept: no domain, lexicon-model disagreement)');
const alwaysFlagged = (d: Row['d']) =>
  d.needsReview && (bestGuessKind(d) === 'dispatch-center' || d.evidence.some((e) => e.startsWith('review:lexicon-model-disagree')));
for (let step = 0; step <= 19; step++) {
  const t = step / 20;
  let reviewed = 0;
  let misrouted = 0;
  for (const r of rows) {
    if (alwaysFlagged(r.d) || r.d.confidence < t) reviewed++;
    else if (bestGuessKind(r.d) !== r.label.agency) misrouted++;
  }
  out.push(`  threshold ${t.toFixed(2)}  review ${pct(reviewed / rows.length)}  misrouted ${pct(misrouted / rows.length)}`);
}
out.push('');
const table: [string, number, string][] = [
  ['domain accuracy', m.domainAcc, ''],
  ['agency accuracy (flagged counts as not right unless label is dispatch-center)', m.agencyAcc, ''],
  ['agency accuracy, best guess incl. flagged', m.agencyAccBestGuess, ''],
  ['agency accuracy on auto-routed tickets', m.agencyAccAutoRouted, ''],
  ['misrouted (wrong agency, not flagged)', m.misroutedRate, ''],
  ['review rate (flagged)', m.reviewRate, ''],
  ['referral accuracy', m.referralAcc, ''],
  ['clue F1 (any clue vs none)', m.clueF1, `P ${m.cluePrecision} R ${m.clueRecall}`],
  ['clue-kind accuracy on true clues', m.clueKindAcc, ''],
  ['type accuracy', m.typeAcc, ''],
];
for (const [k, v, note] of table) out.push(`${k.padEnd(80)} ${pct(v)} ${note}`);

if (cv) {
  out.push('');
  out.push(`--cv ${cv}: folds of this file, scored with the configured lexicon and model as they are (nothing is refitted`);
  out.push('per fold: to cross-validate the model itself, `npm run train -- <files> --cv K`). Per-fold figures show the spread:');
  for (let k = 0; k < cv; k++) {
    const f = metrics(rows.filter((r) => foldOf(r.id, cv) === k));
    out.push(
      `  fold ${k + 1}: n=${f.tickets} domain ${pct(f.domainAcc)} agency ${pct(f.agencyAcc)} misrouted ${pct(f.misroutedRate)} review ${pct(f.reviewRate)} clueF1 ${pct(f.clueF1)} clueKind ${pct(f.clueKindAcc)}`,
    );
  }
}
if (showErrors) {
  out.push('');
  out.push('errors (id: label → predicted)');
  for (const { id, label: l, d } of rows) {
    const wrong = [
      d.domain !== l.domain ? `domain ${l.domain}→${d.domain}` : '',
      kindOf(d.agencyId) !== l.agency ? `agency ${l.agency}→${kindOf(d.agencyId)}${d.needsReview ? '(flagged)' : ''}` : '',
      d.clue !== l.clue ? `clue ${l.clue}→${d.clue}` : '',
      kindOf(d.referralAgencyId) !== l.referral ? `referral ${l.referral}→${kindOf(d.referralAgencyId)}` : '',
      d.ticketType !== l.type ? `type ${l.type}→${d.ticketType}` : '',
    ].filter(Boolean);
    if (wrong.length) out.push(`  ${id}: ${wrong.join(', ')}  [${d.confidence}] ${d.evidence.join(' ')}`);
  }
}
out.push(JSON.stringify(m));
process.stdout.write(`${out.join('\n')}\n`);
