/**
 * Cold start of every Lambda function the CDK app defines: the minified bundle size (and, apart, the files it reads
 * from beside the bundle: the learned router), and module init over a bare
 * `node`.
 *
 *   npm run bench:cold                 # the default build (tracing off)
 *   npm run bench:cold -- --tracing    # the `-c tracing=true` build (Powertools Tracer, X-Ray SDK)
 *   npm run bench:cold -- --runs 5
 *
 * Each entry is bundled with esbuild using exactly the settings the CDK's NodejsFunction gets (lib/bundling.ts).
 * Module init = median time to `import()` the bundle in a fresh `node` process − median time to `import()` an empty
 * module in a fresh `node` process (10 runs each by default, interleaved so a busy machine slows both alike). The
 * processes get the environment variables the handlers read (dummy values), so all module-level code runs; none
 * of it makes a network call. A reference row, `(floor)`, is the same measure for the SDK's DynamoDB client,
 * Powertools and middy alone (bench/cold-floor.ts): the share of every figure that no code of ours adds. The last line
 * is one JSON object with every figure, the floor and the budget check.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { esbuildOptions } from '../lib/bundling.js';
import { ALL_FUNCTION_ENTRIES, functionAssets } from '../lib/function-entries.js';
import { routerModelFile } from '../functions/config/router-model.js';

const BUDGET = { bundleKb: 500, initMs: 80 } as const;

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, tracing: { type: 'boolean', default: false } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
const variant = { tracing: values.tracing ?? false };

/** What the CDK stacks set (names from lib/*-stack.ts and lib/*-construct.ts), with dummy values. */
const LAMBDA_ENV: Record<string, string> = {
  AWS_REGION: 'cn-north-1',
  AWS_DEFAULT_REGION: 'cn-north-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCHCOLDSTART00',
  AWS_SECRET_ACCESS_KEY: 'bench-cold-start-not-a-secret',
  AWS_LAMBDA_FUNCTION_NAME: 'hotline-bench-fn',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  TABLE_NAME: 'hotline-bench-cases',
  EVENT_BUS_NAME: 'hotline-bench',
  PROCESS_QUEUE_URL: 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/hotline-bench-process',
  HOTLINE_SECRET_ARN_12345: 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:hotline/bench/12345',
  HOTLINE_SECRET_ARN_12309: 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:hotline/bench/12309',
  CALLER_KEY_SECRET_ARN: 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:hotline/bench/caller-key',
  CONTACT_KEY_ARN: 'arn:aws-cn:kms:cn-north-1:123456789012:key/00000000-0000-0000-0000-000000000000',
  DEADLINE_SCHEDULE_GROUP: 'hotline-bench',
  DEADLINES_FUNCTION_ARN: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:hotline-bench-deadlines',
  DEADLINE_SCHEDULER_ROLE_ARN: 'arn:aws-cn:iam::123456789012:role/hotline-bench-scheduler',
  DEADLINE_SCHEDULER_DLQ_ARN: 'arn:aws-cn:sqs:cn-north-1:123456789012:hotline-bench-scheduler-dlq',
  HOTLINE_CALLBACK_URL_12345: 'https://12345.example.org/status',
  POWERTOOLS_METRICS_NAMESPACE: 'HotlineIntegration',
  POWERTOOLS_SERVICE_NAME: 'hotline-bench',
  LOG_LEVEL: 'INFO',
};

const dir = mkdtempSync(join(tmpdir(), 'bench-cold-'));
try {
  const probe = join(dir, 'probe.mjs');
  // Prints the import time in ms; fails if a handler bundle does not export `handler`.
  writeFileSync(
    probe,
    `const t0 = performance.now(); const m = await import(process.argv[2]); const ms = performance.now() - t0;
if (process.argv[3] === 'handler' && typeof m.handler !== 'function') throw new Error('no handler export');
process.stdout.write(String(ms));`,
  );
  const empty = join(dir, 'empty.mjs');
  writeFileSync(empty, '');

  const names = Object.keys(ALL_FUNCTION_ENTRIES) as (keyof typeof ALL_FUNCTION_ENTRIES)[];
  const bundles = new Map<string, { file: string; bytes: number; assetBytes: number }>();
  for (const name of names) {
    const file = join(dir, name, 'index.mjs');
    await build(esbuildOptions(ALL_FUNCTION_ENTRIES[name], file, variant));
    // Files the function reads from beside its bundle, copied as the CDK copies them; reported apart from the bundle.
    let assetBytes = 0;
    for (const a of functionAssets(name, routerModelFile)) {
      mkdirSync(dirname(join(dir, name, a)), { recursive: true });
      copyFileSync(a, join(dir, name, a));
      assetBytes += statSync(a).size;
    }
    bundles.set(name, { file, bytes: statSync(file).size, assetBytes });
  }
  // The reference row: the SDK's DynamoDB client, Powertools and middy alone (bench/cold-floor.ts), not a function.
  const floorFile = join(dir, 'floor', 'index.mjs');
  await build(esbuildOptions(fileURLToPath(new URL('./cold-floor.ts', import.meta.url)), floorFile, variant));

  const importMs = (file: string, kind: 'handler' | 'empty'): number =>
    Number(
      execFileSync(process.execPath, [probe, pathToFileURL(file).href, kind], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV },
        // stderr (the SDK's Node-version notice) is kept out of the report; a failing import still throws with it.
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
  const samples = new Map<string, number[]>([['(empty)', []], ['(floor)', []], ...names.map((n) => [n, []] as [string, number[]])]);
  for (let i = 0; i < runs; i++) {
    samples.get('(empty)')!.push(importMs(empty, 'empty'));
    samples.get('(floor)')!.push(importMs(floorFile, 'handler'));
    for (const name of names) samples.get(name)!.push(importMs(bundles.get(name)!.file, 'handler'));
  }
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const bare = median(samples.get('(empty)')!);

  const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
  const rows = names.map((name) => {
    const bundleKb = round(bundles.get(name)!.bytes / 1024);
    const assetsKb = round(bundles.get(name)!.assetBytes / 1024);
    const initMs = round(median(samples.get(name)!) - bare);
    return { name, bundleKb, assetsKb, initMs, ok: bundleKb <= BUDGET.bundleKb && initMs <= BUDGET.initMs };
  });

  console.log(
    `cold start per function (tracing ${variant.tracing ? 'on' : 'off'}; median of ${runs} fresh processes; bare import ${round(bare, 2)} ms subtracted)`,
  );
  console.log(
    `${'function'.padEnd(10)} ${'bundle KB'.padStart(10)} ${'files KB'.padStart(9)} ${'init ms'.padStart(8)}  budget ≤ ${BUDGET.bundleKb} KB, ≤ ${BUDGET.initMs} ms`,
  );
  for (const r of rows)
    console.log(
      `${r.name.padEnd(10)} ${r.bundleKb.toFixed(1).padStart(10)} ${r.assetsKb.toFixed(1).padStart(9)} ${r.initMs.toFixed(1).padStart(8)}  ${r.ok ? 'ok' : 'OVER'}`,
    );
  const floor = { bundleKb: round(statSync(floorFile).size / 1024), initMs: round(median(samples.get('(floor)')!) - bare) };
  console.log(
    `${'(floor)'.padEnd(10)} ${floor.bundleKb.toFixed(1).padStart(10)} ${'–'.padStart(9)} ${floor.initMs.toFixed(1).padStart(8)}  reference, not a function: the DynamoDB client, Powertools and middy alone (bench/cold-floor.ts)`,
  );
  console.log(
    JSON.stringify({
      tracing: variant.tracing,
      runs,
      bareImportMs: round(bare, 2),
      budget: BUDGET,
      functions: Object.fromEntries(rows.map((r) => [r.name, { bundleKb: r.bundleKb, filesBesideKb: r.assetsKb, initMs: r.initMs }])),
      sdkFloor: floor,
      withinBudget: rows.every((r) => r.ok),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
