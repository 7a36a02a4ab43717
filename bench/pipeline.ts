/**
 * `npm run bench:pipeline -- --tickets N [--concurrency C]`: N signed tickets from HTTP ingest to a stored,
 * dispatched case with its events published, in local mode (DynamoDB Local + in-process queue and bus), beside
 * the raw DynamoDB Local PutItem rate at the same concurrency, measured in the same run on the same instance.
 * Latency per ticket: from the start of its HTTP request to its `Case.Dispatched` event on the bus.
 * Last line: {"tickets","ticketsPerSecond","p50Ms","p99Ms","rawPutItemPerSecond"}.
 */
import { parseArgs } from 'node:util';
import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startLocal } from '../local/runtime.js';
import { postTickets } from '../local/hotline-client.js';
import { DEV_SECRETS } from '../functions/adapters/local/env-secrets.js';
import { caseIdFor } from '../functions/domain/case/case-id.js';

// Dependencies are pinned; Lambda runs Node 24. The SDK's notice about future releases needing Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';

const { values } = parseArgs({ options: { tickets: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '16' } } });
const N = Number(values.tickets);
const C = Number(values.concurrency);
if (!Number.isInteger(N) || N < 1 || !Number.isInteger(C) || C < 1) throw new Error('--tickets and --concurrency take positive integers');

const CONTENTS = [
  '小区门口的烧烤摊每天半夜还在营业，油烟和噪音扰民，要求城管处理。',
  '公司拖欠我们二十多个农民工三个月工资，老板电话不接，请劳动监察帮忙讨薪。',
  '化工厂晚上偷偷往河里排污水，河水发黑发臭，反映过好几次没人管。',
  '6路公交车早上不按站停车，司机态度恶劣，请交通部门管一管。',
  '超市卖过期的牛奶，买回家才发现已经过期一周了，要求退款并查处。',
  '咨询一下外地户口在本地交社保满两年能不能申请公租房。',
  '我们楼的电梯坏了一个多月，物业一直不修，老人上下楼很困难。',
  '网吧让未成年人进去上网，晚上十一点多还有初中生在里面。',
];
const regions = ['150302', '150303', '150304', '411221', '620300', '371425'];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

const rt = await startLocal({ tablePrefix: 'bench', env: {} });
try {
  // Raw DynamoDB Local PutItem rate, same instance, same concurrency, items of a similar size.
  const rawTable = 'bench-raw';
  await rt.dynamo.send(new CreateTableCommand({ TableName: rawTable, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
  const put = (i: number) =>
    rt.dynamo.send(new PutItemCommand({ TableName: rawTable, Item: { pk: { S: `raw-${i}` }, content: { S: CONTENTS[Math.abs(i) % CONTENTS.length]!.repeat(3) }, n: { N: String(i) } } }));
  await pool(Array.from({ length: 500 }, (_, i) => -1 - i), C, async (i) => void (await put(i))); // JIT warm-up
  const rawItems = Array.from({ length: N }, (_, i) => i);
  const rawStart = performance.now();
  await pool(rawItems, C, async (i) => void (await put(i)));
  const rawPutItemPerSecond = N / ((performance.now() - rawStart) / 1000);

  // The pipeline.
  const runId = Date.now().toString(36);
  const started = new Map<string, number>();
  const latencies: number[] = [];
  let allDone!: () => void;
  const done = new Promise<void>((r) => (allDone = r));
  rt.bus.subscribe((e) => {
    if (e['detail-type'] !== 'Case.Dispatched') return;
    const t0 = started.get(e.detail.caseId as string);
    if (t0 === undefined) return;
    latencies.push(performance.now() - t0);
    if (latencies.length === N) allDone();
  });
  const tickets = Array.from({ length: N }, (_, i) => ({
    ticketId: `BENCH-${runId}-${i}`,
    receivedAt: new Date().toISOString().replace('Z', '+00:00'),
    channel: 'phone',
    content: CONTENTS[i % CONTENTS.length]!,
    regionCode: regions[i % regions.length]!,
    caller: { name: '测试', phone: '13800000000' },
  }));
  const t0 = performance.now();
  let rejected = 0;
  await pool(tickets, C, async (t) => {
    // The case id is known before the answer (it derives from the ticket id): the event may beat the response.
    started.set(caseIdFor('12345', t.ticketId), performance.now());
    const r = await postTickets(rt.url, '12345', DEV_SECRETS['12345'], t);
    if (r.status !== 202 || (r.body as { results: { status: string }[] }).results[0]!.status !== 'accepted') rejected++;
  });
  if (rejected) throw new Error(`${rejected} tickets were not accepted`);
  await Promise.race([done, rt.drained().then(() => new Promise((r) => setTimeout(r, 200)))]);
  const elapsed = (performance.now() - t0) / 1000;
  if (latencies.length < N) throw new Error(`only ${latencies.length} of ${N} tickets reached Case.Dispatched (DLQ depth ${rt.processDlq.depth})`);
  latencies.sort((a, b) => a - b);
  const result = {
    tickets: N,
    ticketsPerSecond: Math.round(N / elapsed),
    p50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
    p99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
    rawPutItemPerSecond: Math.round(rawPutItemPerSecond),
  };
  console.log(`pipeline: ${N} tickets, concurrency ${C}, ${elapsed.toFixed(2)} s; raw DynamoDB Local PutItem: ${result.rawPutItemPerSecond}/s`);
  console.log(JSON.stringify(result));
} finally {
  await rt.stop();
}
