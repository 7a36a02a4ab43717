/** Creates the case and idempotency tables in DynamoDB Local with the same keys and index as the CDK stack. */
import { CreateTableCommand, ResourceInUseException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CASE_TABLE, IDEMPOTENCY_TABLE } from '../functions/adapters/aws/case-table.js';

export async function createTables(client: DynamoDBClient, names: { caseTable: string; idempotencyTable: string }): Promise<void> {
  const { partitionKey: pk, sortKey: sk, agencyIndex: gsi } = CASE_TABLE;
  const create = async (cmd: CreateTableCommand) => {
    try {
      await client.send(cmd);
    } catch (e) {
      if (!(e instanceof ResourceInUseException)) throw e;
    }
  };
  await create(
    new CreateTableCommand({
      TableName: names.caseTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [pk, sk, gsi.partitionKey, gsi.sortKey].map((n) => ({ AttributeName: n, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: pk, KeyType: 'HASH' },
        { AttributeName: sk, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: gsi.name,
          KeySchema: [
            { AttributeName: gsi.partitionKey, KeyType: 'HASH' },
            { AttributeName: gsi.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  await create(
    new CreateTableCommand({
      TableName: names.idempotencyTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_TABLE.partitionKey, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: IDEMPOTENCY_TABLE.partitionKey, KeyType: 'HASH' }],
    }),
  );
}
