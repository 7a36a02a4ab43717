/** Lambda entry of the feedback function (POST /v1/hotlines/{source}/feedback): AWS adapters from the environment. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoCaseStore } from '../adapters/aws/dynamo-case-store.js';
import { SecretsManagerSecrets } from '../adapters/aws/secrets-manager-secrets.js';
import { deployedRules } from '../config/deployed.js';
import { env } from '../shared/env.js';
import { observability } from '../shared/observability.js';
import { makeFeedbackHandler } from './feedback.js';
import { SERVICE } from '../shared/metric-names.js';

const obs = observability(SERVICE.feedback);

export const handler = makeFeedbackHandler({
  ...obs,
  store: new DynamoCaseStore(obs.traceClient(new DynamoDBClient({})), env('TABLE_NAME')),
  secrets: new SecretsManagerSecrets({ '12345': env('HOTLINE_SECRET_ARN_12345'), '12309': env('HOTLINE_SECRET_ARN_12309') }),
  rules: deployedRules,
  now: () => new Date(),
});
