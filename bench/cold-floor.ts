/**
 * The reference row of `npm run bench:cold`: what every function that touches the case table loads before any code
 * of ours, i.e. the AWS SDK's DynamoDB client (document client on top), Powertools' Logger and Metrics and middy, built
 * as the handlers build them. Its init is the floor the functions' own figures stand on: only a lighter SDK, not
 * changes here, would lower it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
const logger = new Logger({ serviceName: 'floor' });
const metrics = new Metrics({ serviceName: 'floor', namespace: 'HotlineIntegration' });

export const handler = middy(async () => ({ doc: typeof doc.send, logger: typeof logger.info, metrics: typeof metrics.addMetric }));
