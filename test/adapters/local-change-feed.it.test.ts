/**
 * The local change feed over DynamoDB Local's own stream, with the event source mapping's rules: records in order,
 * a partial batch response resumes at the failed record, a thrown batch is split in halves, and a record that keeps
 * failing goes to the on-failure destination while the records after it are still handed over.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalChangeFeed } from '../../functions/adapters/local/dynamodb-local-stream.js';
import { InProcessQueue } from '../../functions/adapters/local/in-process-queue.js';
import { freshTables } from '../support/dynamo.js';

let feed: LocalChangeFeed | undefined;
afterEach(async () => {
  await feed?.stop();
});

const keyOf = (r: DynamoDBStreamEvent['Records'][number]) => r.dynamodb!.Keys!['pk']!.S!;

async function tableWith(n: number) {
  const { client, tables } = await freshTables();
  for (let i = 0; i < n; i++) await client.send(new PutItemCommand({ TableName: tables.caseTable, Item: { pk: { S: `K${i}` }, sk: { S: 'X' } } }));
  return { client, tableName: tables.caseTable };
}

describe('LocalChangeFeed', () => {
  it('hands every record over in order; a partial failure resumes at the failed record', async () => {
    const t = await tableWith(6);
    const seen: string[] = [];
    let failK2 = 2;
    feed = new LocalChangeFeed({
      ...t,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      handler: async (event): Promise<DynamoDBBatchResponse> => {
        for (const r of event.Records) {
          if (keyOf(r) === 'K2' && failK2-- > 0) return { batchItemFailures: [{ itemIdentifier: r.dynamodb!.SequenceNumber! }] };
          seen.push(keyOf(r));
        }
        return { batchItemFailures: [] };
      },
    });
    feed.start();
    await feed.caughtUp();
    // K0 and K1 were answered done before K2 failed: handed over once; K2 onwards again until done.
    expect(seen).toEqual(['K0', 'K1', 'K2', 'K3', 'K4', 'K5']);
  });

  it('dead-letters a record that keeps failing (its range, as Lambda does) and goes on with the rest', async () => {
    const t = await tableWith(4);
    const dlq = new InProcessQueue('relay-dlq');
    const seen: string[] = [];
    let thrown = 0;
    feed = new LocalChangeFeed({
      ...t,
      deadLetter: dlq,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      settings: { retryAttempts: 3 },
      handler: async (event) => {
        // A batch holding the poison record throws: the feed splits it until the record is alone.
        if (event.Records.some((r) => keyOf(r) === 'K1')) {
          thrown += 1;
          throw new Error('poison');
        }
        seen.push(...event.Records.map(keyOf));
        return { batchItemFailures: [] };
      },
    });
    feed.start();
    await feed.caughtUp();
    expect(seen).toEqual(['K0', 'K2', 'K3']);
    expect(thrown).toBeGreaterThan(3);
    const [letter] = dlq.peek().map((m) => JSON.parse(m.body) as { requestContext: { condition: string }; DDBStreamBatchInfo: { batchSize: number } });
    expect(letter).toMatchObject({ requestContext: { condition: 'RetryAttemptsExhausted' }, DDBStreamBatchInfo: { batchSize: 1 } });
    expect(dlq.depth).toBe(1);
  });
});
