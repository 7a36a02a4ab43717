/**
 * What DynamoDB Local charges for the two kinds of write the pipeline makes, on a fresh instance, at the pipeline
 * benchmark's concurrency (16): single PutItem calls (ingest) against items inside 25-item TransactWriteItems calls
 * (a process batch). Explains `bench:pipeline`'s ratio to raw PutItem: an item in a transaction costs DynamoDB Local
 * about half a PutItem, and a ticket writes one PutItem and about three transaction items.
 *
 *   npm run bench:dynamo-local
 *
 * Two rounds (the first warms the JVM); the last line is one JSON object with the second round's rates.
 */
import { CreateTableCommand, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoClient, startDynamoDbLocal } from '../local/dynamodb-local.js';
import { SAMPLE_CONTENTS_12345 as CONTENTS } from './sample-tickets.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const CONCURRENCY = 16;
const TX_ITEMS = 25;

async function pool(n: number, f: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) await f(next++);
    }),
  );
}

const ddb = await startDynamoDbLocal();
const client = localDynamoClient(ddb.endpoint);
try {
  const TableName = 'bench-costs';
  await client.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
  const item = (pk: string, i: number) => ({ pk: { S: pk }, content: { S: CONTENTS[i % CONTENTS.length]!.repeat(3) }, n: { N: String(i) } });
  let last = { putItemPerSecond: 0, transactionItemsPerSecond: 0 };
  for (let round = 1; round <= 2; round++) {
    let t = performance.now();
    await pool(4000, (i) => client.send(new PutItemCommand({ TableName, Item: item(`put-${round}-${i}`, i) })));
    const putItemPerSecond = 4000 / ((performance.now() - t) / 1000);
    t = performance.now();
    await pool(160, (i) =>
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: Array.from({ length: TX_ITEMS }, (_, j) => ({
            Put: { TableName, Item: item(`tx-${round}-${i}-${j}`, j), ConditionExpression: 'attribute_not_exists(pk)' },
          })),
        }),
      ),
    );
    const transactionItemsPerSecond = (160 * TX_ITEMS) / ((performance.now() - t) / 1000);
    last = { putItemPerSecond: Math.round(putItemPerSecond), transactionItemsPerSecond: Math.round(transactionItemsPerSecond) };
    console.log(`round ${round}: PutItem ${last.putItemPerSecond}/s; items in ${TX_ITEMS}-item transactions ${last.transactionItemsPerSecond}/s`);
  }
  console.log(
    JSON.stringify({
      concurrency: CONCURRENCY,
      transactionSize: TX_ITEMS,
      ...last,
      transactionItemCostInPutItems: Math.round((last.putItemPerSecond / last.transactionItemsPerSecond) * 100) / 100,
    }),
  );
} finally {
  client.destroy();
  await ddb.stop();
}
