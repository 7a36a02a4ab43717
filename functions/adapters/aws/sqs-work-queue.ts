import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueMessage, WorkQueue } from '../../ports/work-queue.js';
import { EnqueueError } from '../../ports/errors.js';
import { backoff, chunk, DEFAULT_RETRY, type RetryPolicy } from './retry.js';

const MAX_ENTRIES = 10; // SendMessageBatch limit per call

/** SQS adapter: SendMessageBatch in batches of ≤ 10, failed entries retried with backoff. */
export class SqsWorkQueue implements WorkQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  async send(messages: QueueMessage[]): Promise<void> {
    for (const batch of chunk(messages, MAX_ENTRIES)) await this.sendBatch(batch);
  }

  private async sendBatch(batch: QueueMessage[]): Promise<void> {
    let pending = batch;
    let code = 'Unknown';
    for (let attempt = 0; attempt < this.retry.maxAttempts; attempt++) {
      if (attempt > 0) await backoff(this.retry, attempt);
      try {
        const r = await this.client.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending.map((m, i) => ({ Id: String(i), MessageBody: m.body })) }),
        );
        const failedIdx = new Set((r.Failed ?? []).map((f) => Number(f.Id)));
        code = r.Failed?.[0]?.Code ?? code;
        pending = pending.filter((_, i) => failedIdx.has(i));
      } catch (err) {
        code = (err as Error).name ?? 'Error';
      }
      if (pending.length === 0) return;
    }
    throw new EnqueueError(pending.map((m) => m.id), code);
  }
}
