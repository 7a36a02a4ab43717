/**
 * `npm run bench:pipeline -- --tickets N [--concurrency C] [--batch B]`: N signed tickets, B per request, from HTTP
 * ingest to a stored, dispatched case with its events published, in local mode (DynamoDB Local + in-process queue
 * and bus), beside the raw DynamoDB Local PutItem rate at the same concurrency, measured in the same run on the same
 * instance. Latency per ticket: from the start of its HTTP request to its `Case.Dispatched` event on the bus.
 *
 * Also counted: DynamoDB calls on the case table per ticket (by operation) and an estimate of the write and read
 * units they cost in AWS (bench/dynamo-meter.ts says how), the calls on local mode's timer table apart (in AWS
 * those are EventBridge Scheduler calls, not DynamoDB), and the heap after the first 10,000 tickets and at the
 * end (after a forced GC when node runs with --expose-gc, which the npm script sets).
 * The raw rate is measured before the run (after a short warm-up) and again after it, on a JVM the run has warmed
 * further (usually faster): `ratioToRawPutItemAfter` is the ratio against that second rate.
 * Last line: {"tickets","batch","ticketsPerSecond","ratioToRawPutItem","p50Ms","p99Ms","rawPutItemPerSecond",
 * "rawPutItemPerSecondAfter","ratioToRawPutItemAfter",
 * "dynamoCallsPerTicket","dynamoCalls","writeUnitsPerTicket","readUnitsPerTicket","heapAfter10kMb","heapEndMb"}.
 */
import { parseArgs } from 'node:util';
import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startLocal } from '../local/runtime.js';
import { postTickets } from '../local/hotline-client.js';
import { DEV_SECRETS } from '../functions/adapters/local/env-secrets.js';
import { caseIdFor } from '../functions/domain/case/case-id.js';
import { meterDynamo } from './dynamo-meter.js';
import { pool } from './pool.js';
import { SAMPLE_CONTENTS_12345 as CONTENTS } from './sample-tickets.js';

// Dependencies are pinned; Lambda runs Node 24. The SDK's notice about future releases needing Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';

const { values } = parseArgs({
  options: { tickets: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '16' }, batch: { type: 'string', default: '1' } },
});
const N = Number(values.tickets);
const C = Number(values.concurrency);
const B = Number(values.batch);
if (![N, C, B].every((v) => Number.isInteger(v) && v >= 1) || B > 100) throw new Error('--tickets, --concurrency and --batch (≤ 100) take positive integers');

const regions = ['150302', '150303', '150304', '411221', '620300', '371425'];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => {
  gc?.();
  return Math.round((process.memoryUsage().heapUsed / 1048576) * 10) / 10;
};

const rt = await startLocal({ tablePrefix: 'bench', env: {} });
try {
  // Raw DynamoDB Local PutItem rate, same instance, same concurrency, items of a similar size.
  const rawTable = 'bench-raw';
  await rt.dynamo.send(
    new CreateTableCommand({
      TableName: rawTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
  const put = (i: number) =>
    rt.dynamo.send(
      new PutItemCommand({
        TableName: rawTable,
        Item: { pk: { S: `raw-${i}` }, content: { S: CONTENTS[Math.abs(i) % CONTENTS.length]!.repeat(3) }, n: { N: String(i) } },
      }),
    );
  // The JVM's JIT warms up over thousands of requests (500 puts left the raw rate at less than half its warm value):
  // 10,000 puts first, so the baseline is not flattered by a cold JVM.
  await pool(
    Array.from({ length: 10_000 }, (_, i) => -1 - i),
    C,
    async (i) => void (await put(i)),
  );
  const rawN = Math.min(N, 5000);
  const rawRate = async (offset: number): Promise<number> => {
    const start = performance.now();
    await pool(
      Array.from({ length: rawN }, (_, i) => offset + i),
      C,
      async (i) => void (await put(i)),
    );
    return rawN / ((performance.now() - start) / 1000);
  };
  const rawPutItemPerSecond = await rawRate(0);

  // The pipeline.
  const meter = meterDynamo(rt.dynamo, rt.tables.caseTable);
  // Local mode keeps deadline timers in a table of its own, its stand-in for EventBridge Scheduler: counted apart.
  const timerMeter = meterDynamo(rt.dynamo, rt.tables.timerTable);
  const runId = Date.now().toString(36);
  const started = new Map<string, number>();
  const latencies: number[] = [];
  let heapAfter10k: number | undefined;
  let allDone!: () => void;
  const done = new Promise<void>((r) => (allDone = r));
  rt.bus.subscribe((e) => {
    if (e['detail-type'] !== 'Case.Dispatched') return;
    const t0 = started.get(e.detail.caseId as string);
    if (t0 === undefined) return;
    started.delete(e.detail.caseId as string);
    latencies.push(performance.now() - t0);
    if (latencies.length === N) allDone();
  });
  const ticket = (i: number) => ({
    ticketId: `BENCH-${runId}-${i}`,
    receivedAt: new Date().toISOString().replace('Z', '+00:00'),
    channel: 'phone',
    content: CONTENTS[i % CONTENTS.length]!,
    regionCode: regions[i % regions.length]!,
    // One caller per ticket: one phone for all would make every ticket a repeat request, merged and not dispatched.
    caller: { name: '测试', phone: `138${String(i).padStart(8, '0')}` },
  });
  const requests = Array.from({ length: Math.ceil(N / B) }, (_, r) => ({ from: r * B, to: Math.min(N, (r + 1) * B) }));
  const t0 = performance.now();
  let rejected = 0;
  await pool(requests, C, async ({ from, to }) => {
    const tickets = Array.from({ length: to - from }, (_, k) => ticket(from + k));
    // The case id is known before the answer (it derives from the ticket id): the event may beat the response.
    const now = performance.now();
    for (const t of tickets) started.set(caseIdFor('12345', t.ticketId), now);
    const res = await postTickets(rt.url, '12345', DEV_SECRETS['12345'], B === 1 ? tickets[0] : { tickets });
    const results = res.status === 202 ? (res.body as { results: { status: string }[] }).results : [];
    rejected += tickets.length - results.filter((x) => x.status === 'accepted').length;
    if (heapAfter10k === undefined && to >= 10_000 && N >= 20_000) heapAfter10k = heapMb();
  });
  if (rejected) throw new Error(`${rejected} tickets were not accepted`);
  await Promise.race([done, rt.drained().then(() => new Promise((r) => setTimeout(r, 500)))]);
  const elapsed = (performance.now() - t0) / 1000;
  if (latencies.length < N) throw new Error(`only ${latencies.length} of ${N} tickets reached Case.Dispatched (DLQ depth ${rt.processDlq.depth})`);
  latencies.sort((a, b) => a - b);
  const calls = meter.totalCalls();
  // The JVM keeps warming up during the run: the raw rate measured again afterwards is the stricter baseline.
  const rawPutItemPerSecondAfter = await rawRate(1_000_000);
  const ticketsPerSecond = N / elapsed;
  const result = {
    tickets: N,
    batch: B,
    concurrency: C,
    ticketsPerSecond: Math.round(ticketsPerSecond),
    ratioToRawPutItem: Math.round((ticketsPerSecond / rawPutItemPerSecond) * 100) / 100,
    p50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
    p99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
    rawPutItemPerSecond: Math.round(rawPutItemPerSecond),
    rawPutItemPerSecondAfter: Math.round(rawPutItemPerSecondAfter),
    ratioToRawPutItemAfter: Math.round((ticketsPerSecond / rawPutItemPerSecondAfter) * 100) / 100,
    dynamoCallsPerTicket: Math.round((calls / N) * 100) / 100,
    dynamoCalls: meter.calls,
    timerTableCallsPerTicket: Math.round((timerMeter.totalCalls() / N) * 100) / 100,
    transactItemsPerTicket: Math.round((meter.transactItems / N) * 100) / 100,
    writeUnitsPerTicketEstimate: Math.round((meter.writeUnits / N) * 10) / 10,
    readUnitsPerTicket: Math.round((meter.readUnits / N) * 10) / 10,
    heapAfter10kMb: heapAfter10k ?? null,
    heapEndMb: heapMb(),
  };
  console.log(
    `pipeline: ${N} tickets, ${B} per request, concurrency ${C}, ${elapsed.toFixed(2)} s; raw DynamoDB Local PutItem: ${result.rawPutItemPerSecond}/s before, ${result.rawPutItemPerSecondAfter}/s after`,
  );
  console.log(JSON.stringify(result));
} finally {
  await rt.stop();
}
