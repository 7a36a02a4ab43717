/**
 * Every route of the route table answers a failing backing service with the one 503 body
 * `{"error":"service_unavailable","retryable":true}`, whatever the failure: the store's DynamoDB client is a real
 * SDK client whose transport refuses the connection, times out, or answers a service error (a missing table,
 * throttling, a 500, access denied). Bad input on the same broken store is still a 4xx: it never reaches the store.
 */
import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '../../functions/adapters/aws/dynamo-case-store.js';
import { EnvSecrets } from '../../functions/adapters/local/env-secrets.js';
import { InProcessQueue, localContext } from '../../functions/adapters/local/in-process-queue.js';
import { DevJwtVerifier } from '../../functions/auth/dev-jwt.js';
import { makeCasesHandler } from '../../functions/cases/cases.js';
import { deadlinePolicy } from '../../functions/config/deadline-policy.js';
import { deployedRules } from '../../functions/config/deployed.js';
import { makeFeedbackHandler } from '../../functions/feedback/feedback.js';
import { SERVICE_UNAVAILABLE } from '../../functions/http/errors-to-http.js';
import { ROUTES, type HttpFunctionName, type Route } from '../../functions/http/routes.js';
import { makeIngestHandler } from '../../functions/ingest/ingest.js';
import { observability } from '../../functions/shared/observability.js';
import { apiEvent, OWNER, TEST_SECRET, token } from '../cases/support.js';
import { hotlineEvent } from '../support/api.js';
import { testContacts, ticket12345 } from '../support/fixtures.js';

const SECRET = 'dependency-failure-test-secret-12345';
const CASE_ID = '12345-ABCDEFGHJKMNPQRSTVWX';

type Transport = () => Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Readable } }>;

/** A DynamoDB service error as the service sends it (the SDK deserializes it into its exception class). */
const serviceError =
  (statusCode: number, type: string): Transport =>
  async () => ({
    response: {
      statusCode,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'test' },
      body: Readable.from([Buffer.from(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: type }))]),
    },
  });
const networkError =
  (props: Record<string, string>): Transport =>
  async () => {
    throw Object.assign(new Error(props['message'] ?? 'network'), props);
  };

const FAILURES: [string, Transport][] = [
  ['connection refused', networkError({ message: 'connect ECONNREFUSED 127.0.0.1:8000', code: 'ECONNREFUSED' })],
  ['socket timeout', networkError({ message: 'socket hang up', name: 'TimeoutError' })],
  ['connection reset', networkError({ message: 'read ECONNRESET', code: 'ECONNRESET' })],
  ['missing table', serviceError(400, 'ResourceNotFoundException')],
  ['throttling', serviceError(400, 'ProvisionedThroughputExceededException')],
  ['service error', serviceError(500, 'InternalServerError')],
  ['access denied', serviceError(400, 'AccessDeniedException')],
];

/** The three HTTP functions over a store whose every call fails the way `transport` does. */
function functionsOver(transport: Transport): Record<HttpFunctionName, (e: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>> {
  const client = new DynamoDBClient({
    region: 'cn-north-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: { handle: transport } as never,
  });
  const store = new DynamoCaseStore(client, 'hotline-test-cases');
  const now = () => new Date();
  const secrets = new EnvSecrets({ HOTLINE_SECRET_12345: SECRET });
  const ingest = makeIngestHandler({
    ...observability('test-ingest'),
    store,
    queue: new InProcessQueue('q'),
    contacts: testContacts,
    secrets,
    now,
    receipt: deadlinePolicy.receipt,
  });
  const feedback = makeFeedbackHandler({ ...observability('test-feedback'), store, secrets, rules: deployedRules, now });
  const cases = makeCasesHandler({
    ...observability('test-cases'),
    store,
    contacts: testContacts,
    auth: new DevJwtVerifier({ secret: TEST_SECRET }),
    rules: deployedRules,
    now,
  });
  const call = (h: (e: APIGatewayProxyEventV2, c: ReturnType<typeof localContext>) => Promise<unknown>) => async (e: APIGatewayProxyEventV2) =>
    (await h(e, localContext('test'))) as APIGatewayProxyStructuredResultV2;
  return { ingest: call(ingest), feedback: call(feedback), cases: call(cases) };
}

const feedbackEvent = (body: unknown) => ({
  ...hotlineEvent('12345', body, { secret: SECRET }),
  rawPath: '/v1/hotlines/12345/feedback',
  routeKey: 'POST /v1/hotlines/12345/feedback',
});
const PROCURATORATE = '150300:procuratorate.pil';

/** A valid request of every route (one that must reach the store), and an invalid one that must not. */
const REQUESTS: Record<Route['name'], { valid: () => Promise<APIGatewayProxyEventV2>; invalid: () => Promise<APIGatewayProxyEventV2> }> = {
  tickets: {
    valid: async () => hotlineEvent('12345', ticket12345(), { secret: SECRET }),
    invalid: async () => hotlineEvent('12345', ticket12345({ content: '' }), { secret: SECRET }),
  },
  feedback: {
    valid: async () => feedbackEvent({ ticketId: 'WH-1', result: 'satisfied' }),
    invalid: async () => feedbackEvent({ ticketId: 'WH-1', result: 'happy' }),
  },
  queue: {
    valid: async () => apiEvent('GET', `/v1/agencies/${OWNER}/cases`, { token: await token('agent', OWNER) }),
    invalid: async () => apiEvent('GET', `/v1/agencies/${OWNER}/cases`, { token: await token('agent', OWNER), query: { limit: '0' } }),
  },
  case: {
    valid: async () => apiEvent('GET', `/v1/cases/${CASE_ID}`, { token: await token('agent', OWNER) }),
    invalid: async () => apiEvent('GET', `/v1/cases/${'x'.repeat(5000)}`, { token: await token('agent', OWNER) }),
  },
  action: {
    valid: async () => apiEvent('POST', `/v1/cases/${CASE_ID}/accept`, { token: await token('agent', OWNER), body: {} }),
    invalid: async () => apiEvent('POST', `/v1/cases/${CASE_ID}/return`, { token: await token('agent', OWNER), body: {} }),
  },
  recommend: {
    valid: async () =>
      apiEvent('POST', '/v1/recommendations', {
        token: await token('supervisor', PROCURATORATE),
        body: { agencyId: '150302:market-regulation', subjectCaseId: CASE_ID, content: '建议' },
      }),
    invalid: async () =>
      apiEvent('POST', '/v1/recommendations', {
        token: await token('supervisor', PROCURATORATE),
        body: { agencyId: '150302:market-regulation', content: '建议' },
      }),
  },
  clusters: {
    valid: async () => apiEvent('GET', '/v1/clusters', { token: await token('operator'), query: { region: '150302' } }),
    invalid: async () => apiEvent('GET', '/v1/clusters', { token: await token('operator'), query: { region: 'nowhere' } }),
  },
  report: {
    valid: async () => apiEvent('GET', '/v1/reports/monthly', { token: await token('operator'), query: { month: '2026-11' } }),
    invalid: async () => apiEvent('GET', '/v1/reports/monthly', { token: await token('operator'), query: { month: 'November' } }),
  },
  audit: {
    valid: async () => apiEvent('GET', '/v1/audit', { token: await token('operator'), query: { from: '2026-11-01', to: '2026-11-02', region: '150302' } }),
    invalid: async () => apiEvent('GET', '/v1/audit', { token: await token('operator'), query: { from: '2026-11-02', to: '2026-11-01' } }),
  },
  kpis: {
    valid: async () => apiEvent('GET', '/v1/reports/kpis', { token: await token('operator'), query: { from: '2026-10', to: '2026-11' } }),
    invalid: async () => apiEvent('GET', '/v1/reports/kpis', { token: await token('operator'), query: { from: '2026-11', to: '2026-10' } }),
  },
};

describe.each(FAILURES)('a store whose DynamoDB fails with %s', (_, transport) => {
  const fns = functionsOver(transport);

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s answers 503 retryable', async (_key, route) => {
    const r = await fns[route.fn](await REQUESTS[route.name].valid());
    expect(r.statusCode).toBe(503);
    expect(JSON.parse(r.body ?? '')).toEqual(SERVICE_UNAVAILABLE);
    expect(r.headers?.['retry-after']).toBe('5');
  });

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s still answers bad input with a 4xx', async (_key, route) => {
    const r = await fns[route.fn](await REQUESTS[route.name].invalid());
    expect(r.statusCode).toBeGreaterThanOrEqual(400);
    expect(r.statusCode).toBeLessThan(500);
  });
});

it('the 503 body is exactly the contract’s', () => {
  expect(SERVICE_UNAVAILABLE).toEqual({ error: 'service_unavailable', retryable: true });
});
