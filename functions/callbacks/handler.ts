/** Lambda entry of the callbacks function: AWS adapters wired from the environment the CDK sets. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoCaseStore } from '../adapters/aws/dynamo-case-store.js';
import { SecretsManagerSecrets } from '../adapters/aws/secrets-manager-secrets.js';
import { callbackUrlsFromEnv } from '../app/callbacks.js';
import { env } from '../shared/env.js';
import { observability } from '../shared/observability.js';
import { makeCallbacksHandler } from './callbacks.js';
import { SERVICE } from '../shared/metric-names.js';

const obs = observability(SERVICE.callbacks);

export const handler = makeCallbacksHandler({
  ...obs,
  store: new DynamoCaseStore(obs.traceClient(new DynamoDBClient({})), env('TABLE_NAME')),
  secrets: new SecretsManagerSecrets({ '12345': env('HOTLINE_SECRET_ARN_12345'), '12309': env('HOTLINE_SECRET_ARN_12309') }),
  // HOTLINE_CALLBACK_URL_<source>, from the CDK context `hotlineCallbackUrls`; a hotline without one gets none.
  callbackUrlFor: callbackUrlsFromEnv(),
  now: () => new Date(),
});
