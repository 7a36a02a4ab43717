/** Lambda entry of the process function: AWS adapters wired from the environment the CDK stack sets. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoCaseStore } from '../adapters/aws/dynamo-case-store.js';
import { EventBridgeBus } from '../adapters/aws/eventbridge-bus.js';
import { deadlineSchedulerFromEnv } from '../adapters/aws/eventbridge-scheduler.js';
import { classifyAndRoute, deadlinesFor } from '../config/decide.js';
import { env } from '../shared/env.js';
import { observability } from '../shared/observability.js';
import { makeProcessHandler } from './process.js';

const obs = observability('hotline-process');
const dynamo = obs.traceClient(new DynamoDBClient({}));

export const handler = makeProcessHandler({
  ...obs,
  store: new DynamoCaseStore(dynamo, env('TABLE_NAME')),
  bus: new EventBridgeBus(obs.traceClient(new EventBridgeClient({})), env('EVENT_BUS_NAME')),
  idempotencyStore: new DynamoDBPersistenceLayer({ tableName: env('IDEMPOTENCY_TABLE_NAME'), awsSdkV3Client: dynamo }),
  scheduler: deadlineSchedulerFromEnv((c) => obs.traceClient(c)),
  classify: classifyAndRoute,
  deadlines: deadlinesFor,
  now: () => new Date(),
});
