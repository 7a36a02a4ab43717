import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueMessage, WorkQueue } from '../../ports/work-queue.js';
import { EnqueueError } from '../../ports/errors.js';
import { DEFAULT_RETRY, sendInBatches, type RetryPolicy } from './retry.js';

const MAX_ENTRIES = 10; // SendMessageBatch limit per call

/** SQS adapter: SendMessageBatch in batches of ≤ 10, failed entries retried with backoff. */
export class SqsWorkQueue implements WorkQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  async send(messages: QueueMessage[]): Promise<void> {
    const failed = await sendInBatches(messages, MAX_ENTRIES, this.retry, async (batch) => {
      const r = await this.client.send(
        new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: batch.map((m, i) => ({ Id: String(i), MessageBody: m.body })) }),
      );
      return (r.Failed ?? []).map((f) => ({ index: Number(f.Id), code: f.Code ?? 'Unknown' }));
    });
    if (failed.length)
      throw new EnqueueError(
        failed.map((f) => f.item.id),
        failed[0]!.code,
      );
  }
}
