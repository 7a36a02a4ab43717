/** Lambda entry of the deadlines function (target of the EventBridge Scheduler deadline schedules, one per case). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoCaseStore } from '../adapters/aws/dynamo-case-store.js';
import { EventBridgeBus } from '../adapters/aws/eventbridge-bus.js';
import { deadlineSchedulerFromEnv } from '../adapters/aws/eventbridge-scheduler.js';
import { deployedRules } from '../config/deployed.js';
import { env } from '../shared/env.js';
import { observability } from '../shared/observability.js';
import { makeDeadlinesHandler } from './deadlines.js';
import { SERVICE } from '../shared/metric-names.js';

const obs = observability(SERVICE.deadlines);

export const handler = makeDeadlinesHandler({
  ...obs,
  store: new DynamoCaseStore(obs.traceClient(new DynamoDBClient({})), env('TABLE_NAME')),
  bus: new EventBridgeBus(obs.traceClient(new EventBridgeClient({})), env('EVENT_BUS_NAME')),
  rules: deployedRules,
  // After a firing the case's schedule moves to its next moment, or is deleted.
  scheduler: deadlineSchedulerFromEnv((c) => obs.traceClient(c)),
});
