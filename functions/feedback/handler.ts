/** Lambda entry of the feedback function (POST /v1/hotlines/{source}/feedback): AWS adapters from the environment. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoCaseStore } from '../adapters/aws/dynamo-case-store.js';
import { EventBridgeBus } from '../adapters/aws/eventbridge-bus.js';
import { deadlineSchedulerFromEnv } from '../adapters/aws/eventbridge-scheduler.js';
import { SecretsManagerSecrets } from '../adapters/aws/secrets-manager-secrets.js';
import { deployedRules } from '../config/deployed.js';
import { env } from '../shared/env.js';
import { observability } from '../shared/observability.js';
import { makeFeedbackHandler } from './feedback.js';

const obs = observability('hotline-feedback');

export const handler = makeFeedbackHandler({
  ...obs,
  store: new DynamoCaseStore(obs.traceClient(new DynamoDBClient({})), env('TABLE_NAME')),
  bus: new EventBridgeBus(obs.traceClient(new EventBridgeClient({})), env('EVENT_BUS_NAME')),
  secrets: new SecretsManagerSecrets({ '12345': env('HOTLINE_SECRET_ARN_12345'), '12309': env('HOTLINE_SECRET_ARN_12309') }),
  scheduler: deadlineSchedulerFromEnv((c) => obs.traceClient(c)),
  rules: deployedRules,
  now: () => new Date(),
});
