/** The in-process SQS queue runs its consumer as Lambda does: one invocation at a time per handler instance. */
import { describe, expect, it } from 'vitest';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { InProcessQueue } from '../../functions/adapters/local/in-process-queue.js';

const options = { batchSize: 5, concurrency: 3, visibilityTimeoutMs: 200, maxReceiveCount: 3, functionTimeoutMs: 2_000 };

describe('InProcessQueue', () => {
  it('gives each concurrent invocation its own handler instance, never two at once to one instance', async () => {
    const q = new InProcessQueue('isolation');
    let made = 0;
    let overlapped = false;
    q.consumeEach(() => {
      made += 1;
      let busy = false; // state an instance keeps between calls, as a shared BatchProcessor did
      return async (e: SQSEvent): Promise<SQSBatchResponse> => {
        if (busy) overlapped = true;
        busy = true;
        await new Promise((r) => setTimeout(r, 5));
        busy = false;
        return { batchItemFailures: e.Records.filter((r) => r.body.endsWith('fail')).map((r) => ({ itemIdentifier: r.messageId })) };
      };
    }, options);
    await q.send(Array.from({ length: 60 }, (_, i) => ({ id: String(i), body: `m${i}` })));
    await q.drained();
    expect(made).toBe(3);
    expect(overlapped).toBe(false);
    expect(q.depth).toBe(0);
  });

  it('keeps a failed message until its receives run out, then moves it to the dead-letter queue; the rest go', async () => {
    const q = new InProcessQueue('redrive');
    const dlq = new InProcessQueue('redrive-dlq');
    const seen = new Map<string, number>();
    q.consume(
      async (e) => {
        for (const r of e.Records) seen.set(r.body, (seen.get(r.body) ?? 0) + 1);
        return { batchItemFailures: e.Records.filter((r) => r.body === 'poison').map((r) => ({ itemIdentifier: r.messageId })) };
      },
      options,
      dlq,
    );
    await q.send([
      { id: 'a', body: 'ok-1' },
      { id: 'b', body: 'poison' },
      { id: 'c', body: 'ok-2' },
    ]);
    await q.drained();
    expect(seen.get('poison')).toBe(3);
    expect(seen.get('ok-1')).toBe(1);
    expect(dlq.peek().map((m) => m.body)).toEqual(['poison']);
    expect(q.depth).toBe(0);
  });

  it('keeps only the latest messages of a queue nobody consumes', async () => {
    const q = new InProcessQueue('view', { maxMessages: 3 });
    await q.send(Array.from({ length: 10 }, (_, i) => ({ id: String(i), body: `m${i}` })));
    expect(q.peek().map((m) => m.body)).toEqual(['m7', 'm8', 'm9']);
    expect(q.dropped).toBe(7);
    expect(q.take(2).map((m) => m.body)).toEqual(['m7', 'm8']);
    expect(q.depth).toBe(1);
  });
});
