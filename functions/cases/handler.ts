/**
 * Lambda entry of the agency API. In AWS the HTTP API's JWT authorizer has verified the bearer token, so the
 * caller is read from the authorizer's claims (AuthorizerClaims); local mode wires DevJwtVerifier instead.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoCaseStore } from '../adapters/aws/dynamo-case-store.js';
import { AuthorizerClaims } from '../auth/authorizer-claims.js';
import { kmsContactCipher } from '../adapters/aws/kms-data-keys.js';
import { deployedRules } from '../config/deployed.js';
import { env } from '../shared/env.js';
import { observability } from '../shared/observability.js';
import { makeCasesHandler } from './cases.js';
import { SERVICE } from '../shared/metric-names.js';

const obs = observability(SERVICE.cases);

export const handler = makeCasesHandler({
  ...obs,
  store: new DynamoCaseStore(obs.traceClient(new DynamoDBClient({})), env('TABLE_NAME')),
  auth: new AuthorizerClaims(),
  contacts: kmsContactCipher(env('CONTACT_KEY_ARN'), obs.traceClient(new KMSClient({}))),
  rules: deployedRules,
  now: () => new Date(),
});
