/** Lambda entry of the ingest function: AWS adapters wired from the environment the CDK stack sets. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoCaseStore } from '../adapters/aws/dynamo-case-store.js';
import { SecretsManagerSecrets } from '../adapters/aws/secrets-manager-secrets.js';
import { SqsWorkQueue } from '../adapters/aws/sqs-work-queue.js';
import { SecretsManagerCallerKeySecret } from '../adapters/aws/secrets-manager-caller-key.js';
import { kmsContactCipher } from '../adapters/aws/kms-data-keys.js';
import { deadlinePolicy } from '../config/deadline-policy.js';
import { env } from '../shared/env.js';
import { observability } from '../shared/observability.js';
import { makeIngestHandler } from './ingest.js';
import { SERVICE } from '../shared/metric-names.js';

const obs = observability(SERVICE.ingest);

export const handler = makeIngestHandler({
  ...obs,
  store: new DynamoCaseStore(obs.traceClient(new DynamoDBClient({})), env('TABLE_NAME')),
  queue: new SqsWorkQueue(obs.traceClient(new SQSClient({})), env('PROCESS_QUEUE_URL')),
  secrets: new SecretsManagerSecrets({ '12345': env('HOTLINE_SECRET_ARN_12345'), '12309': env('HOTLINE_SECRET_ARN_12309') }),
  contacts: kmsContactCipher(env('CONTACT_KEY_ARN'), obs.traceClient(new KMSClient({}))),
  callerKeys: new SecretsManagerCallerKeySecret(env('CALLER_KEY_SECRET_ARN')),
  now: () => new Date(),
  receipt: deadlinePolicy.receipt,
});
