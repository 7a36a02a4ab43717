/**
 * Creates the case table in DynamoDB Local with the same keys and indexes as the CDK stack, and the local-only timer
 * table of the store-backed deadline scheduler (one item per case with a pending timer; functions/adapters/local/).
 */
import { CreateTableCommand, ResourceInUseException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CASE_TABLE, QUEUE_ATTRIBUTES } from '../functions/adapters/aws/case-table.js';
import { TIMER_TABLE } from '../functions/adapters/local/stored-scheduler.js';

export async function createTables(client: DynamoDBClient, names: { caseTable: string; timerTable?: string }): Promise<void> {
  const { partitionKey: pk, sortKey: sk, workIndex: wi, clusterIndex: ci, retentionIndex: ri } = CASE_TABLE;
  const keys = (i: { partitionKey: string; sortKey: string }) => [
    { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
  ];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: names.caseTable,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [pk, sk, wi.partitionKey, wi.sortKey, ci.partitionKey, ci.sortKey, ri.partitionKey, ri.sortKey].map((n) => ({
          AttributeName: n,
          AttributeType: 'S',
        })),
        KeySchema: keys({ partitionKey: pk, sortKey: sk }),
        // The outbox: the relay reads every case version from the table's stream, as in AWS (lib/stateful-stack.ts).
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        GlobalSecondaryIndexes: [
          { IndexName: wi.name, KeySchema: keys(wi), Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...QUEUE_ATTRIBUTES] } },
          { IndexName: ci.name, KeySchema: keys(ci), Projection: { ProjectionType: 'ALL' } },
          { IndexName: ri.name, KeySchema: keys(ri), Projection: { ProjectionType: 'KEYS_ONLY' } },
        ],
      }),
    );
  } catch (e) {
    if (!(e instanceof ResourceInUseException)) throw e;
  }
  if (names.timerTable) {
    const { partitionKey, dueIndex } = TIMER_TABLE;
    try {
      await client.send(
        new CreateTableCommand({
          TableName: names.timerTable,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: partitionKey, AttributeType: 'S' },
            { AttributeName: dueIndex.partitionKey, AttributeType: 'S' },
            { AttributeName: dueIndex.sortKey, AttributeType: 'N' },
          ],
          KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
          GlobalSecondaryIndexes: [
            {
              IndexName: dueIndex.name,
              KeySchema: [
                { AttributeName: dueIndex.partitionKey, KeyType: 'HASH' },
                { AttributeName: dueIndex.sortKey, KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
        }),
      );
    } catch (e) {
      if (!(e instanceof ResourceInUseException)) throw e;
    }
  }
}
