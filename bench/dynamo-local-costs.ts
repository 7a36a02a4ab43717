/**
 * What DynamoDB Local charges for the two kinds of write the pipeline makes, on a fresh instance, at the pipeline
 * benchmark's concurrency (16): single PutItem calls (ingest) against items inside 25-item TransactWriteItems calls
 * (a process batch), and PutItem on a table shaped like the case table (a stream with both images, three global
 * secondary indexes). Explains `bench:pipeline`'s ratio to raw PutItem, which is measured on a plain table.
 *
 *   npm run bench:dynamo-local
 *
 * Two rounds (the first warms the JVM); the last line is one JSON object with the second round's rates.
 */
import { CreateTableCommand, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoClient, startDynamoDbLocal } from '../local/dynamodb-local.js';
import { pool } from './pool.js';
import { SAMPLE_CONTENTS_12345 as CONTENTS } from './sample-tickets.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const CONCURRENCY = 16;
const TX_ITEMS = 25;

/** `n` calls of `f` (by index), `CONCURRENCY` in flight. */
const calls = (n: number, f: (i: number) => Promise<unknown>) =>
  pool(
    Array.from({ length: n }, (_, i) => i),
    CONCURRENCY,
    f,
  );

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
  // A table shaped like the case table: a stream with both images and three global secondary indexes, each item
  // carrying all three index keys (as a dispatched case does).
  const Indexed = 'bench-costs-indexed';
  const gsi = (n: number) => ({
    IndexName: `gsi${n}`,
    KeySchema: [
      { AttributeName: `g${n}pk`, KeyType: 'HASH' as const },
      { AttributeName: `g${n}sk`, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  await client.send(
    new CreateTableCommand({
      TableName: Indexed,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        ...[1, 2, 3].flatMap((n) => [
          { AttributeName: `g${n}pk`, AttributeType: 'S' as const },
          { AttributeName: `g${n}sk`, AttributeType: 'S' as const },
        ]),
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      GlobalSecondaryIndexes: [gsi(1), gsi(2), gsi(3)],
    }),
  );
  const item = (pk: string, i: number) => ({ pk: { S: pk }, content: { S: CONTENTS[i % CONTENTS.length]!.repeat(3) }, n: { N: String(i) } });
  const indexedItem = (pk: string, i: number) => ({
    ...item(pk, i),
    ...Object.fromEntries(
      [1, 2, 3].flatMap((n) => [
        [`g${n}pk`, { S: `p${i % 7}` }],
        [`g${n}sk`, { S: pk }],
      ]),
    ),
  });
  let last = { putItemPerSecond: 0, transactionItemsPerSecond: 0, indexedPutItemPerSecond: 0 };
  for (let round = 1; round <= 2; round++) {
    let t = performance.now();
    await calls(4000, (i) => client.send(new PutItemCommand({ TableName, Item: item(`put-${round}-${i}`, i) })));
    const putItemPerSecond = 4000 / ((performance.now() - t) / 1000);
    t = performance.now();
    await calls(160, (i) =>
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: Array.from({ length: TX_ITEMS }, (_, j) => ({
            Put: { TableName, Item: item(`tx-${round}-${i}-${j}`, j), ConditionExpression: 'attribute_not_exists(pk)' },
          })),
        }),
      ),
    );
    const transactionItemsPerSecond = (160 * TX_ITEMS) / ((performance.now() - t) / 1000);
    t = performance.now();
    await calls(4000, (i) => client.send(new PutItemCommand({ TableName: Indexed, Item: indexedItem(`put-${round}-${i}`, i) })));
    const indexedPutItemPerSecond = 4000 / ((performance.now() - t) / 1000);
    last = {
      putItemPerSecond: Math.round(putItemPerSecond),
      transactionItemsPerSecond: Math.round(transactionItemsPerSecond),
      indexedPutItemPerSecond: Math.round(indexedPutItemPerSecond),
    };
    console.log(
      `round ${round}: PutItem ${last.putItemPerSecond}/s; items in ${TX_ITEMS}-item transactions ${last.transactionItemsPerSecond}/s; PutItem on a table with a stream and 3 indexes ${last.indexedPutItemPerSecond}/s`,
    );
  }
  console.log(
    JSON.stringify({
      concurrency: CONCURRENCY,
      transactionSize: TX_ITEMS,
      ...last,
      transactionItemCostInPutItems: Math.round((last.putItemPerSecond / last.transactionItemsPerSecond) * 100) / 100,
      indexedPutItemCostInPutItems: Math.round((last.putItemPerSecond / last.indexedPutItemPerSecond) * 100) / 100,
    }),
  );
} finally {
  client.destroy();
  await ddb.stop();
}
