/**
 * Sets aside the blind slice of the training corpus, once:
 *
 *   npm run split:blind -- --share 0.15 --out data/blind/<name>.jsonl data/corpus/<files>.jsonl
 *
 * Moves every line whose ticket falls in the slice (a hash of "blind:" + source + ticket id below `share`, so the
 * choice depends on nothing but the ticket) out of its corpus file into the `--out` file under data/blind/ (one per group of corpus files split, each once). Nothing that
 * trains or tunes may open data/blind/ (`npm run train` refuses it); it is scored once, at the end, with
 * `npm run eval -- data/blind/*.jsonl`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { share: { type: 'string', default: '0.15' }, out: { type: 'string', default: 'data/blind/blind.jsonl' } },
});
const share = Number(values.share);
const out = values.out!;
if (!out.startsWith('data/blind/')) throw new Error('--out must be under data/blind/');
if (existsSync(out)) throw new Error(`${out} exists: each part of the blind slice is set aside once`);
const blind: string[] = [];
for (const file of positionals) {
  const keep: string[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { source: string; ticket: { ticketId?: string; caseNo?: string } };
    const key = `blind:${row.source}:${row.ticket.ticketId ?? row.ticket.caseNo}`;
    if (createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32 < share) blind.push(line);
    else keep.push(line);
  }
  writeFileSync(file, keep.length ? `${keep.join('\n')}\n` : '');
}
mkdirSync('data/blind', { recursive: true });
writeFileSync(out, `${blind.join('\n')}\n`);
console.log(`${blind.length} tickets set aside in ${out}`);
