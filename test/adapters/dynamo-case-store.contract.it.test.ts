import { DynamoCaseStore } from '../../functions/adapters/aws/dynamo-case-store.js';
import { freshTables } from '../support/dynamo.js';
import { caseStoreContract } from './case-store.contract.js';

caseStoreContract('DynamoCaseStore (DynamoDB Local)', async () => {
  const { client, tables } = await freshTables();
  return new DynamoCaseStore(client, tables.caseTable);
});
