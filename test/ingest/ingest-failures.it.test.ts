/**
 * Ingest and the process queue: a new ticket is answered `accepted` once stored, without touching the queue (the
 * outbox relay enqueues it from the table's stream, test/integration/outbox.it.test.ts). A re-sent ticket whose case
 * is still `received` is enqueued again (a redrive); when that enqueue fails, the hotline gets a 503 to retry.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoCaseStore } from '../../functions/adapters/aws/dynamo-case-store.js';
import { SqsWorkQueue } from '../../functions/adapters/aws/sqs-work-queue.js';
import { EnvSecrets } from '../../functions/adapters/local/env-secrets.js';
import { makeIngestHandler } from '../../functions/ingest/ingest.js';
import { deadlinePolicy } from '../../functions/config/deadline-policy.js';
import { observability } from '../../functions/shared/observability.js';
import { call, hotlineEvent, type Handler } from '../support/api.js';
import { freshTables } from '../support/dynamo.js';
import { testContacts, ticket12345 } from '../support/fixtures.js';

const sqs = mockClient(SQSClient);
const secret = 'secret-for-failure-tests';
let handler: Handler;
let store: DynamoCaseStore;

beforeAll(async () => {
  const { client, tables } = await freshTables();
  store = new DynamoCaseStore(client, tables.caseTable);
  const queue = new SqsWorkQueue(new SQSClient({ region: 'local' }), 'https://sqs.local/q', { maxAttempts: 2, baseDelayMs: 1, sleep: async () => undefined });
  handler = makeIngestHandler({
    ...observability('t'),
    store,
    queue,
    contacts: testContacts,
    secrets: new EnvSecrets({ HOTLINE_SECRET_12345: secret }),
    now: () => new Date(),
    receipt: deadlinePolicy.receipt,
  }) as Handler;
});
beforeEach(() => sqs.reset());

describe('ingest when the process queue fails', () => {
  it('accepts a new ticket with the queue down (the relay enqueues it); a re-send while it waits is enqueued again, 503 if that fails', async () => {
    const t = ticket12345();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });
    const first = await call(handler, hotlineEvent('12345', t, { secret }));
    expect(first).toMatchObject({ status: 202, body: { results: [{ status: 'accepted' }] } });
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    const resent = await call(handler, hotlineEvent('12345', t, { secret }));
    expect(resent).toMatchObject({ status: 503, body: { error: 'service_unavailable', retryable: true } });

    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'm', MD5OfMessageBody: '' }], Failed: [] });
    const retry = await call(handler, hotlineEvent('12345', t, { secret }));
    expect(retry.status).toBe(202);
    expect(retry.body.results[0].status).toBe('duplicate');
    const sent = sqs.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => JSON.parse(e.MessageBody!).caseId));
    expect(sent).toEqual([retry.body.results[0].caseId]);
  });

  it('does not enqueue a duplicate whose case has already been processed', async () => {
    const t = ticket12345();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const first = await call(handler, hotlineEvent('12345', t, { secret }));
    const c = (await store.get(first.body.results[0].caseId))!;
    await store.save({ ...c, status: 'dispatched', version: 2 }, 1);
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const again = await call(handler, hotlineEvent('12345', t, { secret }));
    expect(again.body.results[0].status).toBe('duplicate');
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('logs no ticket text or contact details while rejecting or accepting', async () => {
    const lines: string[] = [];
    const orig = process.stdout.write.bind(process.stdout);
    const origLog = console.log;
    process.stdout.write = ((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    console.log = (...a: unknown[]) => lines.push(a.map(String).join(' '));
    const prev = process.env.POWERTOOLS_LOG_LEVEL;
    try {
      process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
      sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
      const t = ticket12345({ content: '我的电话13912345678，身份证150302199001011234，住在幸福小区' });
      const h = makeIngestHandler({
        ...observability('pii-check'),
        store,
        contacts: testContacts,
        queue: new SqsWorkQueue(new SQSClient({ region: 'local' }), 'https://sqs.local/q'),
        secrets: new EnvSecrets({ HOTLINE_SECRET_12345: secret }),
        now: () => new Date(),
        receipt: deadlinePolicy.receipt,
      }) as Handler;
      await call(h, hotlineEvent('12345', t, { secret }));
      await call(h, hotlineEvent('12345', { ...t, channel: 'fax' }, { secret }));
    } finally {
      process.stdout.write = orig;
      console.log = origLog;
      process.env.POWERTOOLS_LOG_LEVEL = prev;
    }
    const out = lines.join('\n');
    expect(out).toContain('tickets ingested');
    for (const secretBit of ['13912345678', '150302199001011234', '幸福小区', '张三', '13800001111']) expect(out).not.toContain(secretBit);
  });
});
