/**
 * `npm run soak -- --tickets 10000`: local mode in process under at-least-once clients and injected faults, then an
 * audit (bench/soak-run.ts says what runs and what is counted). Progress goes to stderr; the last line on stdout is
 * one JSON object: {"accepted","stored","duplicates","lost","stuck","eventsMissing","eventsDuplicated","http5xx", ...}.
 * Exits 1 when lost, duplicates, stuck, eventsMissing or http5xx is not 0.
 *
 * Options: --tickets (default 10000), --concurrency (16), --max-batch (20), --store-faults, --bus-faults,
 * --scheduler-faults (shares of calls), --kills (share of process invocations) (defaults: DEFAULT_FAULT_RATES),
 * --pauses (DynamoDB Local pauses, default one per 2 500 tickets), --pause-ms (min-max, default 2000-6000),
 * --actions (0.2), --seed.
 */
import './quiet-env.js'; // first: injected faults make every handler log warnings
import { parseArgs } from 'node:util';
import { DEFAULT_FAULT_RATES, runSoak } from './soak-run.js';

const { values } = parseArgs({
  options: {
    tickets: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '16' },
    'max-batch': { type: 'string', default: '20' },
    'store-faults': { type: 'string' },
    'bus-faults': { type: 'string' },
    'scheduler-faults': { type: 'string' },
    kills: { type: 'string' },
    pauses: { type: 'string' },
    'pause-ms': { type: 'string', default: '2000-6000' },
    actions: { type: 'string', default: '0.2' },
    seed: { type: 'string', default: '12345' },
  },
});

const int = (name: string, v: string | undefined, min = 1): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} takes a whole number ≥ ${min}, got ${JSON.stringify(v)}`);
  return n;
};
const share = (name: string, v: string | undefined, fallback?: number): number => {
  if (v === undefined && fallback !== undefined) return fallback;
  const n = Number(v);
  if (!(n >= 0 && n <= 1)) throw new Error(`--${name} takes a share between 0 and 1, got ${JSON.stringify(v)}`);
  return n;
};
const tickets = int('tickets', values.tickets);
const [minMs, maxMs] = (values['pause-ms'] ?? '').split('-').map((x) => int('pause-ms', x, 0));
if (minMs === undefined || maxMs === undefined || maxMs < minMs) throw new Error('--pause-ms takes <min>-<max> in milliseconds');

const result = await runSoak({
  tickets,
  concurrency: int('concurrency', values.concurrency),
  maxBatch: Math.min(100, int('max-batch', values['max-batch'])),
  faults: {
    store: share('store-faults', values['store-faults'], DEFAULT_FAULT_RATES.store),
    bus: share('bus-faults', values['bus-faults'], DEFAULT_FAULT_RATES.bus),
    scheduler: share('scheduler-faults', values['scheduler-faults'], DEFAULT_FAULT_RATES.scheduler),
    kill: share('kills', values.kills, DEFAULT_FAULT_RATES.kill),
  },
  pauses: { count: values.pauses === undefined ? Math.max(1, Math.ceil(tickets / 2_500)) : int('pauses', values.pauses, 0), minMs, maxMs },
  actions: share('actions', values.actions),
  seed: int('seed', values.seed, 0),
  log: (line) => console.error(line),
});
console.log(JSON.stringify(result));
const ok = result.lost === 0 && result.duplicates === 0 && result.stuck === 0 && result.eventsMissing === 0 && result.http5xx === 0;
process.exit(ok ? 0 : 1);
