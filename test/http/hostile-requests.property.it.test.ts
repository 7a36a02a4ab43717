/**
 * Property test of the HTTP edge (issue 10, item 3): thousands of requests generated FROM the request schemas (their
 * JSON Schema, test/support/schema-arbitrary.ts) and mutated the way a hostile client would, sent through the real
 * handlers (route table, signature or token, body rules, zod, use case) against DynamoDB Local. For every request:
 *   - the answer is never a 5xx;
 *   - a rejected request (4xx) writes nothing: no DynamoDB write call (metered on the client, bench/dynamo-meter.ts),
 *     nothing enqueued, nothing published.
 * Covered: ticket batches of both hotlines, feedback, the agency API's action bodies and path parameters, the
 * recommendation body, and the queue, case, cluster and report reads with hostile path parameters and queries.
 * The number of requests and the time taken are printed (`hostile requests: …`).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meterDynamo, type DynamoMeter } from '../../bench/dynamo-meter.js';
import { DynamoCaseStore } from '../../functions/adapters/aws/dynamo-case-store.js';
import { EnvSecrets } from '../../functions/adapters/local/env-secrets.js';
import { InProcessQueue, localContext } from '../../functions/adapters/local/in-process-queue.js';
import { DevJwtVerifier } from '../../functions/auth/dev-jwt.js';
import { makeCasesHandler } from '../../functions/cases/cases.js';
import { bodySchemas, ClustersQuery, KpiQuery, ListQuery, RecommendationBody, ReportQuery } from '../../functions/cases/request.js';
import { deadlinePolicy } from '../../functions/config/deadline-policy.js';
import { deployedRules } from '../../functions/config/deployed.js';
import { ALL_ACTIONS, ROLES, type Action } from '../../functions/domain/lifecycle/transitions.js';
import { Ticket12309, Ticket12345 } from '../../functions/domain/ticket/schemas.js';
import { FeedbackBody, makeFeedbackHandler } from '../../functions/feedback/feedback.js';
import { makeIngestHandler } from '../../functions/ingest/ingest.js';
import { observability } from '../../functions/shared/observability.js';
import { apiEvent, CENTER, caseIn, OTHER, OWNER, seed, TEST_SECRET, token } from '../cases/support.js';
import { hotlineEvent } from '../support/api.js';
import { freshTables } from '../support/dynamo.js';
import { recentReceivedAt, testContacts } from '../support/fixtures.js';
import { arbitraryOf, edgeDates, hostile, hostileValue, jsonSchemaOf } from '../support/schema-arbitrary.js';

/** Runs per property; the total is printed. Tuned to keep this file well under a minute on a busy 2-core machine. */
const RUNS = { tickets: 800, feedback: 400, actions: 800, recommendations: 300, reads: 700 };
const SEED = Number(process.env['PROPERTY_SEED'] ?? Date.now() % 2 ** 31);

const SECRETS = { HOTLINE_SECRET_12345: 'property-secret-12345', HOTLINE_SECRET_12309: 'property-secret-12309' };
const WRITES = ['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem'];
const PROCURATORATE = '150300:procuratorate.pil';

type Fn = (e: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
let handlers: { ingest: Fn; feedback: Fn; cases: Fn };
let meter: DynamoMeter;
let queue: InProcessQueue;
const caseIds: string[] = [];
const ticketIds: string[] = [];
const stats = { requests: 0, byStatus: new Map<number, number>(), started: 0 };

beforeAll(async () => {
  const { client, tables } = await freshTables();
  meter = meterDynamo(client, tables.caseTable);
  const store = new DynamoCaseStore(client, tables.caseTable);
  queue = new InProcessQueue('property-process');
  const now = () => new Date();
  const obs = observability('property');
  const secrets = new EnvSecrets(SECRETS);
  const wrap =
    (h: (e: APIGatewayProxyEventV2, c: ReturnType<typeof localContext>) => Promise<unknown>): Fn =>
    async (e) =>
      (await h(e, localContext('property'))) as APIGatewayProxyStructuredResultV2;
  handlers = {
    ingest: wrap(
      makeIngestHandler({
        ...obs,
        store,
        queue,
        contacts: testContacts,
        secrets,
        now,
        receipt: deadlinePolicy.receipt,
      }),
    ),
    feedback: wrap(makeFeedbackHandler({ ...obs, store, secrets, rules: deployedRules, now })),
    cases: wrap(
      makeCasesHandler({
        ...obs,
        store,
        contacts: testContacts,
        auth: new DevJwtVerifier({ secret: TEST_SECRET }),
        rules: deployedRules,
        now,
      }),
    ),
  };
  // Cases to act on: a few in each status the actions start from, owned by OWNER (and a review case at the center).
  const seeded = [
    ...['dispatched', 'accepted', 'extension_requested', 'replied', 'dispatched', 'accepted'].map((s) => caseIn(s as 'dispatched')),
    caseIn('needs_review'),
  ];
  await seed(store, ...seeded);
  caseIds.push(...seeded.map((c) => c.caseId));
  stats.started = performance.now();
});

afterAll(() => {
  const seconds = (performance.now() - stats.started) / 1000;
  const statuses = [...stats.byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`);
  console.log(`hostile requests: ${stats.requests} generated requests in ${seconds.toFixed(1)} s (seed ${SEED}); answers ${statuses.join(' ')}`);
});

/** Sends one request and checks the two properties; returns the status. */
async function send(fn: keyof typeof handlers, event: APIGatewayProxyEventV2): Promise<number> {
  meter.reset();
  const depth = queue.depth;
  const r = await handlers[fn](event);
  const status = r.statusCode ?? 200;
  stats.requests++;
  stats.byStatus.set(status, (stats.byStatus.get(status) ?? 0) + 1);
  const writes = WRITES.reduce((n, op) => n + (meter.calls[op] ?? 0), 0);
  const what = `${event.requestContext?.http?.method ?? 'POST'} ${event.rawPath} → ${status} ${r.body?.slice(0, 300)}`;
  expect(status, what).toBeLessThan(500);
  if (status >= 400) {
    expect(writes, `writes for ${what}`).toBe(0);
    expect(queue.depth, `enqueued for ${what}`).toBe(depth);
    // Events are published only by the outbox relay, from saved changes: no write, nothing to publish.
  }
  return status;
}

const run = <T>(arb: fc.Arbitrary<T>, numRuns: number, check: (v: T) => Promise<unknown>) =>
  fc.assert(
    fc.asyncProperty(arb, async (v) => {
      await check(v);
    }),
    { numRuns, seed: SEED, endOnFailure: true },
  );

/** Path parameter values: real ones, and what a hostile client puts in a path (raw, still to be percent-decoded). */
const pathValue = (real: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 3, arbitrary: real.map(encodeURIComponent) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.constantFrom(100, 128, 129, 700, 2049, 5000).map((n) => 'A'.repeat(n)),
        fc.constantFrom(300, 700, 3000).map((n) => encodeURIComponent('河'.repeat(n))),
        fc.constantFrom('%E0%A4%A', '%', '%00', '%ED%A0%80', '%F0%9F%98%80'.repeat(200), '..', '%2F%2F', 'CASE%23x', '%23'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }).map(encodeURIComponent),
      ),
    },
  );

const dateTime = () => fc.oneof({ weight: 4, arbitrary: fc.constant(null).map(recentReceivedAt) }, { weight: 1, arbitrary: edgeDates() });
const formats = () => ({ 'date-time': dateTime(), uri: fc.oneof(fc.webUrl(), fc.string({ maxLength: 40 })) });

// Each property runs hundreds of requests against DynamoDB Local: more than the default 30 s on a loaded machine.
describe('hostile requests through the HTTP edge: no 5xx, no write for a rejected request', { timeout: 120_000 }, () => {
  it('ticket batches of both hotlines', async () => {
    const tickets = {
      '12345': arbitraryOf(jsonSchemaOf(Ticket12345), { formats: formats() }),
      '12309': arbitraryOf(jsonSchemaOf(Ticket12309), { formats: formats() }),
    };
    const request = fc.constantFrom('12345', '12309').chain((source) =>
      fc.record({
        source: fc.constant(source as '12345' | '12309'),
        body: fc.oneof(
          hostile(tickets[source as '12345'], 0.5),
          hostile(
            fc.array(tickets[source as '12345'], { minLength: 1, maxLength: 4 }).map((ts) => ({ tickets: ts })),
            0.5,
          ),
        ),
      }),
    );
    await run(request, RUNS.tickets, async ({ source, body }) => {
      const status = await send('ingest', {
        ...hotlineEvent(source, body, { secret: SECRETS[`HOTLINE_SECRET_${source}`] }),
        rawPath: `/v1/hotlines/${source}/tickets`,
      });
      if (status === 202 && body && typeof body === 'object' && 'ticketId' in body && typeof body.ticketId === 'string') ticketIds.push(body.ticketId);
    });
  });

  it('feedback', async () => {
    const valid = arbitraryOf(jsonSchemaOf(FeedbackBody), {
      properties: { ticketId: fc.oneof(fc.constantFrom(...(ticketIds.length ? ticketIds : ['WH-1'])), fc.string({ minLength: 1, maxLength: 64 })) },
    });
    await run(fc.tuple(fc.constantFrom('12345', '12309'), hostile(valid)), RUNS.feedback, ([source, body]) =>
      send('feedback', { ...hotlineEvent(source, body, { secret: SECRETS[`HOTLINE_SECRET_${source}`] }), rawPath: `/v1/hotlines/${source}/feedback` }),
    );
  });

  it('agency API actions: bodies from each action schema, hostile path parameters', async () => {
    const schemas = bodySchemas(deployedRules.policy);
    const bodies = Object.fromEntries(
      ALL_ACTIONS.map((a) => [
        a,
        arbitraryOf(jsonSchemaOf(schemas[a]), {
          properties: { agencyId: fc.constantFrom(OTHER, OWNER, CENTER, '150302:market-regulation', '999999:nowhere') },
        }),
      ]),
    ) as Record<Action, fc.Arbitrary<unknown>>;
    const request = fc.record({
      caseId: pathValue(fc.constantFrom(...caseIds)),
      action: fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...ALL_ACTIONS) },
        { weight: 1, arbitrary: fc.constantFrom('explode', 'A'.repeat(40), '%E0%A4%A') },
      ),
      role: fc.constantFrom(...ROLES),
      agency: fc.constantFrom(OWNER, CENTER, OTHER),
      withBody: fc.boolean(),
    });
    await run(
      request.chain((r) => (bodies[r.action as Action] ? hostile(bodies[r.action as Action]) : hostileValue()).map((body) => ({ ...r, body }))),
      RUNS.actions,
      async ({ caseId, action, role, agency, body, withBody }) => {
        const tok = await token(role, role === 'operator' ? undefined : agency);
        return send('cases', apiEvent('POST', `/v1/cases/${caseId}/${action}`, { token: tok, ...(withBody ? { body } : {}) }));
      },
    );
  });

  it('recommendations', async () => {
    const valid = arbitraryOf(jsonSchemaOf(RecommendationBody), {
      properties: {
        agencyId: fc.constantFrom(OWNER, OTHER, '150302:market-regulation', '999999:nowhere'),
        subjectCaseId: fc.oneof(fc.constantFrom(...caseIds), fc.string({ minLength: 1, maxLength: 100 })),
        clusterId: fc.string({ minLength: 1, maxLength: 100 }),
      },
    });
    await run(fc.tuple(hostile(valid), fc.constantFrom(PROCURATORATE, OWNER)), RUNS.recommendations, async ([body, agency]) =>
      send('cases', apiEvent('POST', '/v1/recommendations', { token: await token('supervisor', agency), body })),
    );
  });

  it('reads: queue, case, clusters and report with hostile path parameters and queries', async () => {
    const str = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
    const query = (schema: Parameters<typeof jsonSchemaOf>[0], extra: Record<string, fc.Arbitrary<unknown>> = {}) =>
      hostile(arbitraryOf(jsonSchemaOf(schema), { properties: extra })).map((q) =>
        q && typeof q === 'object' && !Array.isArray(q) ? Object.fromEntries(Object.entries(q).map(([k, v]) => [k, str(v)])) : { q: str(q) },
      );
    // Cursors that decode to the index's own key names, with values the store cannot take.
    const cursor = fc
      .record({ pk: hostileValue(), sk: hostileValue(), queuePk: fc.constantFrom(`${OWNER}#dispatched`), queueSk: hostileValue() })
      .map((k) => Buffer.from(JSON.stringify(k)).toString('base64url'));
    const request = fc.oneof(
      fc.record({
        path: pathValue(fc.constantFrom(OWNER, OTHER, CENTER)).map((a) => `/v1/agencies/${a}/cases`),
        query: query(ListQuery, { cursor: fc.oneof(cursor, fc.string({ maxLength: 3000 })) }),
      }),
      fc.record({ path: pathValue(fc.constantFrom(...caseIds)).map((c) => `/v1/cases/${c}`), query: fc.constant({}) }),
      fc.record({ path: fc.constant('/v1/clusters'), query: query(ClustersQuery, { cursor: fc.string({ maxLength: 3000 }) }) }),
      fc.record({ path: fc.constant('/v1/reports/monthly'), query: query(ReportQuery) }),
      fc.record({ path: fc.constant('/v1/reports/kpis'), query: query(KpiQuery) }),
    );
    await run(fc.tuple(request, fc.constantFrom(...ROLES)), RUNS.reads, async ([{ path, query: q }, role]) =>
      send('cases', apiEvent('GET', path, { token: await token(role, role === 'operator' ? undefined : OWNER), query: q as Record<string, string> })),
    );
  });
});
