import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SqsWorkQueue } from '../../functions/adapters/aws/sqs-work-queue.js';
import { EnqueueError } from '../../functions/ports/errors.js';

const sqs = mockClient(SQSClient);
const noSleep = { maxAttempts: 3, baseDelayMs: 1, sleep: async () => undefined };
const msgs = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `c${i}`, body: JSON.stringify({ caseId: `c${i}` }) }));

describe('SqsWorkQueue', () => {
  beforeEach(() => sqs.reset());

  it('sends batches of at most 10', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    await new SqsWorkQueue(new SQSClient({}), 'https://sqs/q', noSleep).send(msgs(25));
    expect(sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries!.length)).toEqual([10, 10, 5]);
  });

  it('resends only failed entries', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Successful: [], Failed: [{ Id: '2', Code: 'InternalError', SenderFault: false }] })
      .resolves({ Successful: [], Failed: [] });
    await new SqsWorkQueue(new SQSClient({}), 'https://sqs/q', noSleep).send(msgs(4));
    const second = sqs.commandCalls(SendMessageBatchCommand)[1]!.args[0].input.Entries!;
    expect(second.map((e) => JSON.parse(e.MessageBody!).caseId)).toEqual(['c2']);
  });

  it('throws EnqueueError with the ids that could not be sent', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', Code: 'KMS.ThrottlingException', SenderFault: false }] });
    const err = await new SqsWorkQueue(new SQSClient({}), 'https://sqs/q', noSleep).send(msgs(2)).catch((e) => e);
    expect(err).toBeInstanceOf(EnqueueError);
    expect((err as EnqueueError).failedIds).toEqual(['c0']);
  });
});
