/** Faults DynamoDB Local cannot produce: transaction conflicts and throttling, via aws-sdk-client-mock. */
import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient, ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoCaseStore } from '../../functions/adapters/aws/dynamo-case-store.js';
import { receiveTicket } from '../../functions/domain/case/case.js';
import { ContentionError, ServiceUnavailableError } from '../../functions/ports/errors.js';
import { sourced12345 } from '../support/fixtures.js';

const ddb = mockClient(DynamoDBDocumentClient);
const cases = () => [sourced12345({ caller: undefined }), sourced12345({ caller: undefined })].map((t) => receiveTicket(t, new Date().toISOString(), 'c'));
const canceled = (codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

describe('DynamoCaseStore faults', () => {
  beforeEach(() => ddb.reset());

  it('retries a transaction conflict and then stores the batch', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(canceled(['None', 'TransactionConflict']))
      .resolves({});
    const out = await new DynamoCaseStore(new DynamoDBClient({}), 't').createAll(cases());
    expect(out.every((o) => o.created)).toBe(true);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('gives up with ContentionError, a ServiceUnavailableError, when conflicts persist', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled(['TransactionConflict', 'None']));
    const store = new DynamoCaseStore(new DynamoDBClient({}), 't');
    await expect(store.createAll(cases())).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(store.createAll(cases())).rejects.toBeInstanceOf(ContentionError);
    // the batch transaction of the process function: the same error, which its contention loop decides again on
    const [a, b] = cases();
    await expect(store.commit({ creates: [a!, b!] })).rejects.toBeInstanceOf(ContentionError);
  });

  it('lets throttling propagate (the handler answers 503, nothing is half-stored)', async () => {
    ddb.on(TransactWriteCommand).rejects(new ProvisionedThroughputExceededException({ message: 'throttled', $metadata: {} }));
    await expect(new DynamoCaseStore(new DynamoDBClient({}), 't').createAll(cases())).rejects.toBeInstanceOf(ProvisionedThroughputExceededException);
  });
});
