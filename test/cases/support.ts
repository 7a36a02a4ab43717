/**
 * Test support for the lifecycle and the agency API: cases brought to any status through the real domain
 * (`receiveTicket` + `dispatch` + the lifecycle's own `applyAction`), API events, development tokens.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { InProcessBus } from '../../functions/adapters/local/in-process-bus.js';
import type { DynamoCaseStore } from '../../functions/adapters/aws/dynamo-case-store.js';
import { deployedRules } from '../../functions/config/deployed.js';
import { DevJwtVerifier, signDevToken } from '../../functions/auth/dev-jwt.js';
import { makeCasesHandler } from '../../functions/cases/cases.js';
import type { CaseRecord, CaseStatus } from '../../functions/domain/case/case.js';
import type { Decision } from '../../functions/domain/classify/decision.js';
import { applyAction, type Action, type ActionInput, type LifecycleCase, type Role } from '../../functions/domain/lifecycle/index.js';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LocalChangeFeed } from '../../functions/adapters/local/dynamodb-local-stream.js';
import { makeRelayHandler } from '../../functions/relay/relay.js';
import { observability } from '../../functions/shared/observability.js';
import { call } from '../support/api.js';
import { mergeInto } from '../../functions/domain/merge/merge.js';
import type { AgencyId } from '../../functions/domain/taxonomy.js';
import { dispatchedCase, sealed, sourced12345, testContacts } from '../support/fixtures.js';

export const OWNER = '150302:ecology-environment';
export const OTHER = '150302:market-regulation';
export const CENTER = '150300:dispatch-center';
/** The agency an operator token names unless told: the city's 12345 centre, whose jurisdiction is the whole city. */
export const CITY_OPERATOR_AGENCY = CENTER;
/** Transitions in tests happen on this (fixed) day; tokens use the real clock. */
export const NOW = new Date('2026-10-08T02:00:00.000Z');
export const TEST_SECRET = 'test-secret-for-the-agency-api-tests-0123456789';

/** A valid body for each action (route goes to a real handling agency). */
export const BODIES: Record<Action, ActionInput> = {
  accept: {},
  return: { reason: '不属于本单位职责，应由市场监管部门处理' },
  extend: { reason: '需要现场复核', workingDays: 5 },
  'grant-extension': {},
  reply: { result: '已责令餐馆安装油烟净化设施，已回复来电人' },
  close: {},
  reopen: { reason: '回访不满意' },
  route: { agencyId: '150302:market-regulation', note: '人工分拨' },
  uphold: { agencyId: '150302:market-regulation' },
  reject: { reason: '属于本单位职责，应继续办理' },
  split: {},
  decline: { reason: '经初步调查，不属于公益诉讼范围' },
};

/** How to bring a dispatched case to each status, as (action, role) steps. `needs_review` comes from dispatch. */
export const PATHS: Record<Exclude<CaseStatus, 'received' | 'needs_review' | 'merged'>, [Action, Role][]> = {
  dispatched: [],
  accepted: [['accept', 'agent']],
  returned: [['return', 'agent']],
  extension_requested: [
    ['accept', 'agent'],
    ['extend', 'agent'],
  ],
  replied: [
    ['accept', 'agent'],
    ['reply', 'agent'],
  ],
  reopened: [
    ['accept', 'agent'],
    ['reply', 'agent'],
    ['reopen', 'supervisor'],
  ],
  closed: [
    ['accept', 'agent'],
    ['reply', 'agent'],
    ['close', 'supervisor'],
  ],
};

const STEP_TIME = Date.parse('2026-10-01T02:00:00.000Z');

/** A case in `status`, built with the domain functions (not stored). */
export function caseIn(status: CaseStatus, over: { decision?: Partial<Decision>; ticket?: Record<string, unknown> } = {}): LifecycleCase {
  const t = sourced12345(over.ticket);
  if (status === 'received') return dispatchedCase(over.decision, t).received;
  if (status === 'needs_review') return dispatchedCase({ needsReview: true, agencyId: CENTER, confidence: 0.3, ...over.decision }, t).dispatched;
  if (status === 'merged') {
    // A repeat of another open case, merged by the domain's own merge (the process function's path).
    const primary = dispatchedCase(
      over.decision,
      sourced12345({ ...over.ticket, ticketId: `${String((t.ticket as { ticketId?: string }).ticketId)}-first` }),
    ).dispatched;
    return mergeInto(dispatchedCase(over.decision, t).dispatched, primary, 'caller', '2026-09-30T01:16:05.000Z', CENTER as AgencyId).merged;
  }
  let c: LifecycleCase = dispatchedCase(over.decision, t).dispatched;
  PATHS[status].forEach(([action, role], i) => {
    const r = applyAction(c, action, BODIES[action], { role, agencyId: c.agencyId ?? null }, new Date(STEP_TIME + i * 60_000).toISOString(), deployedRules);
    if (!r.ok) throw new Error(`cannot bring a case to ${status}: ${action} by ${role} → ${JSON.stringify(r)}`);
    c = r.next;
  });
  return c;
}

export async function token(
  role: Role,
  agencyId?: string,
  opts: { ttlSeconds?: number; now?: Date; secret?: string; issuer?: string; audience?: string } = {},
) {
  return signDevToken({ role, agencyId: agencyId ?? (role === 'operator' ? CITY_OPERATOR_AGENCY : undefined), secret: opts.secret ?? TEST_SECRET, ...opts });
}

export function apiEvent(
  method: 'GET' | 'POST',
  path: string,
  opts: { token?: string; body?: unknown; query?: Record<string, string>; headers?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  const routeKey = `${method} ${path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(opts.query ?? {}).toString(),
    headers,
    queryStringParameters: opts.query,
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: `req-${Math.random()}`,
      routeKey,
    } as APIGatewayProxyEventV2['requestContext'],
    body,
    isBase64Encoded: false,
  };
}

/**
 * The outbox relay over a test table: DynamoDB Local's stream of the table → the relay handler → an in-process bus,
 * as local mode runs it. `events(caseId)` waits until every change saved so far has been relayed. `busDown` makes
 * every publish fail (the feed retries until it is back up).
 */
export function startRelay(client: DynamoDBClient, tableName: string, store: DynamoCaseStore) {
  const bus = new InProcessBus();
  const state = { busDown: false, failedPublishes: 0 };
  const feed = new LocalChangeFeed({
    client,
    tableName,
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    handler: makeRelayHandler({
      ...observability('test-relay'),
      store,
      bus: {
        publish: async (events) => {
          if (state.busDown) {
            state.failedPublishes += 1;
            throw new Error('EventBridge down');
          }
          return bus.publish(events);
        },
      },
      queue: { send: async () => undefined },
      rules: deployedRules,
      now: () => NOW,
    }),
  });
  feed.start();
  return {
    bus,
    state,
    feed,
    /** The events published so far about one case, once every change saved before the call was relayed. */
    events: async (caseId: string) => {
      await feed.caughtUp();
      return bus.archive.filter((e) => e.detail['caseId'] === caseId);
    },
  };
}

/** The agency API over DynamoDB Local. It only saves: the relay (`startRelay`) publishes what a save causes. */
export function casesApi(store: DynamoCaseStore, opts: { now?: () => Date } = {}) {
  const handler = makeCasesHandler({
    ...observability('test-cases'),
    store,
    contacts: testContacts,
    auth: new DevJwtVerifier({ secret: TEST_SECRET }),
    rules: deployedRules,
    now: opts.now ?? (() => NOW),
  });
  const req = (e: APIGatewayProxyEventV2) => call(handler, e);
  return {
    handler,
    req,
    get: (caseId: string, tok?: string) => req(apiEvent('GET', `/v1/cases/${caseId}`, { token: tok })),
    act: (caseId: string, action: string, tok?: string, body?: unknown) => req(apiEvent('POST', `/v1/cases/${caseId}/${action}`, { token: tok, body })),
    list: (agencyId: string, tok?: string, query?: Record<string, string>) =>
      req(apiEvent('GET', `/v1/agencies/${encodeURIComponent(agencyId)}/cases`, { token: tok, query })),
  };
}

/** Stores the cases, sealing their contacts in place first (as acceptTickets does), so `c` equals what is stored. */
export async function seed(store: DynamoCaseStore, ...cases: CaseRecord[]): Promise<void> {
  for (const c of cases) {
    Object.assign(c, await sealed(c));
    delete c.contact;
  }
  const out = await store.createAll(cases);
  if (!out.every((o) => o.created)) throw new Error('seed: a case already existed');
}
