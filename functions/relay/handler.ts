/** Lambda entry of the relay function (the case table's stream → events, process queue, deadline timers). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoCaseStore } from '../adapters/aws/dynamo-case-store.js';
import { EventBridgeBus } from '../adapters/aws/eventbridge-bus.js';
import { deadlineSchedulerFromEnv } from '../adapters/aws/eventbridge-scheduler.js';
import { SqsWorkQueue } from '../adapters/aws/sqs-work-queue.js';
import { deployedRules } from '../config/deployed.js';
import { env } from '../shared/env.js';
import { observability } from '../shared/observability.js';
import { makeRelayHandler } from './relay.js';
import { SERVICE } from '../shared/metric-names.js';

const obs = observability(SERVICE.relay);

export const handler = makeRelayHandler({
  ...obs,
  store: new DynamoCaseStore(obs.traceClient(new DynamoDBClient({})), env('TABLE_NAME')),
  bus: new EventBridgeBus(obs.traceClient(new EventBridgeClient({})), env('EVENT_BUS_NAME')),
  queue: new SqsWorkQueue(obs.traceClient(new SQSClient({})), env('PROCESS_QUEUE_URL')),
  scheduler: deadlineSchedulerFromEnv((c) => obs.traceClient(c)),
  rules: deployedRules,
  now: () => new Date(),
});
