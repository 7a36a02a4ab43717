/** Lambda entry of the retention function (a daily EventBridge Scheduler schedule; docs/privacy.md). */
import { SERVICE } from '../shared/metric-names.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoCaseStore } from '../adapters/aws/dynamo-case-store.js';
import { retentionPolicy } from '../config/retention-policy.js';
import { env } from '../shared/env.js';
import { observability } from '../shared/observability.js';
import { makeRetentionHandler } from './retention.js';

const obs = observability(SERVICE.retention);

export const handler = makeRetentionHandler({
  ...obs,
  store: new DynamoCaseStore(obs.traceClient(new DynamoDBClient({})), env('TABLE_NAME')),
  policy: retentionPolicy,
  now: () => new Date(),
});
