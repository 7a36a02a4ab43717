/**
 * Classifier throughput: classify and route the project's own fixture tickets in a loop, in process.
 *
 *   npm run bench:classify
 *
 * Measures module init (lexicon + routing validation and automaton build), warms up, then times at least 2 s.
 * The last line is one JSON object: {"tickets","ticketsPerSecond","p99Us"} plus `initMs` (the esbuild bundle imported
 * by a fresh Node process, as a Lambda cold start loads it), `tsxInitMs` (the same import under tsx) and `heapMb`.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { ticketSchemaFor, type SourcedTicket } from '../functions/domain/ticket/schemas.js';
import { functionAssets } from '../lib/function-entries.js';
import { routerModelFile } from '../functions/config/router-model.js';

const fixture = fileURLToPath(new URL('../test/fixtures/tickets.jsonl', import.meta.url));
const tickets: SourcedTicket[] = readFileSync(fixture, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => {
    const raw = JSON.parse(l) as { source: '12345' | '12309'; ticket: unknown };
    return { source: raw.source, ticket: ticketSchemaFor[raw.source].parse(raw.ticket) } as SourcedTicket;
  });

const t0 = performance.now();
const { classifyAndRoute } = await import('../functions/config/classify.js');
const initMs = performance.now() - t0;

let sink = 0;
for (let i = 0; i < 20_000; i++) sink += classifyAndRoute(tickets[i % tickets.length]!).confidence;

const samples: number[] = [];
let n = 0;
const start = performance.now();
let now = start;
while (now - start < 2_000 || n < 50_000) {
  const a = performance.now();
  sink += classifyAndRoute(tickets[n % tickets.length]!).confidence;
  now = performance.now();
  samples.push((now - a) * 1000);
  n++;
}
const elapsed = (now - start) / 1000;
samples.sort((x, y) => x - y);
const p99Us = samples[Math.floor(samples.length * 0.99)]!;
const heapMb = process.memoryUsage().heapUsed / 2 ** 20;

/**
 * Init as Lambda sees it: the classifier bundled by esbuild (config JSON inlined, zod included) and imported by a
 * fresh Node process — no tsx transpiling. The median of 5 cold starts.
 */
async function bundledInitMs(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-classify-'));
  try {
    const bundle = join(dir, 'classify.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('../functions/config/classify.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: bundle,
      logLevel: 'warning',
    });
    // The learned router is read from beside the bundle, as in the process function's asset.
    for (const a of functionAssets('process', routerModelFile)) {
      mkdirSync(dirname(join(dir, a)), { recursive: true });
      copyFileSync(a, join(dir, a));
    }
    const probe = join(dir, 'probe.mjs');
    writeFileSync(probe, `const t0 = performance.now(); await import(${JSON.stringify(bundle)}); console.log(performance.now() - t0);`);
    const runs = Array.from({ length: 5 }, () => Number(execFileSync(process.execPath, [probe], { encoding: 'utf8' }).trim())).sort((a, b) => a - b);
    return runs[2]!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const bundledInit = await bundledInitMs();

console.log(
  `fixture tickets: ${tickets.length}, classified: ${n} in ${elapsed.toFixed(2)} s, module init ${initMs.toFixed(0)} ms under tsx (zod already loaded), ` +
    `${bundledInit.toFixed(0)} ms bundled in a fresh process (zod included, median of 5), heap ${heapMb.toFixed(0)} MB${sink < 0 ? '' : ''}`,
);
console.log(
  JSON.stringify({
    tickets: n,
    ticketsPerSecond: Math.round(n / elapsed),
    p99Us: Math.round(p99Us * 10) / 10,
    initMs: Math.round(bundledInit),
    tsxInitMs: Math.round(initMs),
    heapMb: Math.round(heapMb),
  }),
);
