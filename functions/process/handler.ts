/** Lambda entry of the process function: AWS adapters wired from the environment the CDK stack sets. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoCaseStore } from '../adapters/aws/dynamo-case-store.js';
import { clusterRules } from '../config/cluster-rules.js';
import { groupKeysOf } from '../config/group-keys.js';
import { classifyAndRoute, deadlinesFor } from '../config/decide.js';
import { deployedRules } from '../config/deployed.js';
import { env } from '../shared/env.js';
import { observability } from '../shared/observability.js';
import { makeProcessHandler } from './process.js';
import { SERVICE } from '../shared/metric-names.js';

const obs = observability(SERVICE.process);

export const handler = makeProcessHandler({
  ...obs,
  store: new DynamoCaseStore(obs.traceClient(new DynamoDBClient({})), env('TABLE_NAME')),
  classify: classifyAndRoute,
  deadlines: deadlinesFor,
  rules: deployedRules,
  clusterRules,
  groupKeysOf,
  now: () => new Date(),
});
