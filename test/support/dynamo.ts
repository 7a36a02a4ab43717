import { inject } from 'vitest';
import { localDynamoClient } from '../../local/dynamodb-local.js';
import { createTables } from '../../local/tables.js';
import { uniqueId } from './fixtures.js';

/** Fresh tables in the shared DynamoDB Local for one test file. */
export async function freshTables() {
  const endpoint = inject('dynamoEndpoint');
  const client = localDynamoClient(endpoint);
  const prefix = uniqueId('t').toLowerCase();
  const tables = { caseTable: `${prefix}-cases`, timerTable: `${prefix}-timers` };
  await createTables(client, tables);
  return { endpoint, client, tables, prefix };
}
