/**
 * Status callbacks against real HTTP receivers on 127.0.0.1: the local wiring (in-process bus rule → in-process
 * queue with retry and DLQ → callbacks handler → signed fetch), fed by the real use cases.
 */
import { relayOn } from '../support/memory-relay.js';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EnvSecrets } from '../../functions/adapters/local/env-secrets.js';
import { InProcessBus } from '../../functions/adapters/local/in-process-bus.js';
import { performAction } from '../../functions/app/case-actions.js';
import { deliverStatusCallback, deliverStatusCallbacks, statusCallbackPattern, statusOfEvent, STATUS_EVENT_TYPES } from '../../functions/app/callbacks.js';
import { processCase } from '../../functions/app/process-case.js';
import { startLocalCallbacks, type LocalCallbacks } from '../../functions/callbacks/local.js';
import { deadlinesFor } from '../../functions/config/decide.js';
import { clusterRules } from '../../functions/config/cluster-rules.js';
import { groupKeysOf } from '../../functions/config/group-keys.js';
import { deployedRules } from '../../functions/config/deployed.js';
import { verifySignature } from '../../functions/domain/ingest/signature.js';
import { TRANSITIONS } from '../../functions/domain/lifecycle/index.js';
import { decision } from '../support/fixtures.js';
import { MemoryCaseStore, received12309, received12345 } from '../deadlines/support.js';

const SECRET = 'callback-test-secret-12345-abcdefghijklmnop';
const OWNER = '150302:ecology-environment' as const;

type Mode = 'ok' | 'fail-first' | 'always-fail';
interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  signatureOk: boolean;
  answered: number;
}

let server: Server;
let url: string;
let mode: Mode;
let received: Received[];
let callbacks: LocalCallbacks;
let store: MemoryCaseStore;
let bus: InProcessBus;

async function startReceiver(): Promise<void> {
  const seen = new Set<string>();
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const check = verifySignature(req.headers['x-hotline-signature'] as string | undefined, body, SECRET, Math.floor(Date.now() / 1000));
      const id = String(req.headers['x-hotline-event-id']);
      let status = check.ok ? 204 : 401;
      if (check.ok && mode === 'always-fail') status = 503;
      if (check.ok && mode === 'fail-first' && !seen.has(id)) status = 500;
      seen.add(id);
      received.push({ headers: req.headers, body, signatureOk: check.ok, answered: status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hotline/status`;
}

/** `visibilityTimeoutMs` is the wait before a failed message is received again; well above a delivery's duration. */
function wire(retryAttempts = 1, visibilityTimeoutMs = 2_000): void {
  callbacks = startLocalCallbacks({
    bus,
    store,
    secrets: new EnvSecrets({ HOTLINE_SECRET_12345: SECRET }),
    env: { HOTLINE_CALLBACK_URL_12345: url },
    consumer: { visibilityTimeoutMs, maxReceiveCount: 3 },
    delivery: { retry: { maxAttempts: retryAttempts, baseDelayMs: 5 }, timeoutMs: 2_000 },
  });
}

async function dispatchAndAccept(): Promise<string> {
  const c = received12345();
  await store.createAll([c]);
  const now = () => new Date();
  await processCase({ store, classify: () => decision(), deadlines: deadlinesFor, rules: deployedRules, clusterRules, groupKeysOf, now }, c.caseId);
  await performAction({ rules: deployedRules, store, now }, { role: 'agent', agencyId: OWNER }, c.caseId, 'accept', {});
  return c.caseId;
}

beforeEach(async () => {
  mode = 'ok';
  received = [];
  store = new MemoryCaseStore();
  bus = new InProcessBus();
  // The outbox relay publishes each saved change's events.
  relayOn(store, { bus, rules: deployedRules, now: () => new Date() });
  await startReceiver();
});

afterEach(async () => {
  callbacks?.stop();
  await new Promise<void>((r) => server.close(() => r()));
  server.closeAllConnections();
});

describe('status callbacks to a hotline', () => {
  it('POSTs each status change, signed like inbound requests, with exactly the six fields', async () => {
    wire();
    const caseId = await dispatchAndAccept();
    await callbacks.queue.drained();
    expect(received).toHaveLength(2);
    const bodies = received
      .map((r) => JSON.parse(r.body) as Record<string, unknown>)
      .sort((a, b) => String(a['occurredAt']).localeCompare(String(b['occurredAt'])));
    const c = (await store.get(caseId))!;
    expect(bodies.map((b) => b['status'])).toEqual(['dispatched', 'accepted']);
    for (const [i, r] of received.entries()) {
      expect(r.signatureOk).toBe(true);
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(r.headers['x-hotline-event-id']).toBe(JSON.parse(r.body).eventId);
      expect(Object.keys(JSON.parse(received[i]!.body)).sort()).toEqual(['caseId', 'eventId', 'occurredAt', 'source', 'sourceTicketId', 'status']);
    }
    expect(bodies[0]).toMatchObject({ caseId, source: '12345', sourceTicketId: c.sourceTicketId });
    const archived = bus.archive.find((e) => e['detail-type'] === 'Case.Accepted')!;
    expect(bodies[1]).toEqual({
      caseId,
      sourceTicketId: c.sourceTicketId,
      source: '12345',
      status: 'accepted',
      occurredAt: archived.detail['occurredAt'],
      eventId: archived.detail['eventId'],
    });
  });

  it('tells the hotline nothing of the clue referral a case raised (that is between the agencies and the procuratorate)', async () => {
    wire();
    const c = received12345();
    await store.createAll([c]);
    const clueDecision = decision({ clue: 'public_interest', referralAgencyId: '150300:procuratorate.pil' });
    await processCase(
      { store, classify: () => clueDecision, deadlines: deadlinesFor, rules: deployedRules, clusterRules, groupKeysOf, now: () => new Date() },
      c.caseId,
    );
    const clueId = (await store.get(c.caseId))!.referrals![0]!.caseId;
    await performAction({ rules: deployedRules, store, now: () => new Date() }, { role: 'agent', agencyId: '150300:procuratorate.pil' }, clueId, 'accept', {});
    await callbacks.queue.drained();
    expect(bus.archive.some((e) => e['detail-type'] === 'Clue.Accepted')).toBe(true);
    const bodies = received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(bodies.map((b) => [b['caseId'], b['status']])).toEqual([[c.caseId, 'dispatched']]);
  });

  it('carries no personal data: no caller name, phone or ticket text', async () => {
    wire();
    const caseId = await dispatchAndAccept();
    await callbacks.queue.drained();
    const c = (await store.get(caseId))!;
    const all = received.map((r) => r.body).join('\n');
    expect(c.contact?.phone).toBe('13800001111'); // the record has it ...
    for (const secret of ['13800001111', '张三', String(c.ticket.content).slice(0, 6), '1380']) expect(all).not.toContain(secret); // ... the callback has not
  });

  it('retries a receiver that fails first (within the delivery, with backoff)', async () => {
    mode = 'fail-first';
    wire(3);
    await dispatchAndAccept();
    await callbacks.queue.drained();
    expect(received.map((r) => r.answered).sort()).toEqual([204, 204, 500, 500]);
    expect(callbacks.dlq.depth).toBe(0);
  });

  it('redelivers through the queue when a delivery fails, then succeeds', async () => {
    mode = 'fail-first';
    wire(1, 200); // one POST per receive: the retry is the queue's redelivery after the visibility timeout
    await dispatchAndAccept();
    await callbacks.queue.drained();
    expect(received.filter((r) => r.answered === 204)).toHaveLength(2);
    expect(received.filter((r) => r.answered === 500)).toHaveLength(2);
    expect(callbacks.dlq.depth).toBe(0);
  });

  it('dead-letters after the last attempt when the receiver always fails', async () => {
    mode = 'always-fail';
    wire(2, 200);
    await dispatchAndAccept();
    await callbacks.queue.drained();
    expect(received).toHaveLength(2 * 2 * 3); // 2 events × 2 POSTs per receive × 3 receives
    expect(callbacks.dlq.depth).toBe(2);
    const types = callbacks.dlq
      .peek()
      .map((m) => (JSON.parse(m.body) as { 'detail-type': string })['detail-type'])
      .sort();
    expect(types).toEqual(['Case.Accepted', 'Case.Dispatched']);
  });

  it('skips a hotline without a callback URL', async () => {
    wire();
    const c = received12309();
    await store.createAll([c]);
    await processCase(
      {
        store,
        classify: () => decision({ domain: 'judicial_affairs', agencyId: '150300:procuratorate', ticketType: 'appeal' as never }),
        deadlines: deadlinesFor,
        rules: deployedRules,
        clusterRules,
        groupKeysOf,
        now: () => new Date(),
      },
      c.caseId,
    );
    await callbacks.queue.drained();
    expect(received).toEqual([]);
    expect(callbacks.dlq.depth).toBe(0);
  });
});

describe('status of an event', () => {
  it('covers every lifecycle transition event, dispatch and transfer', () => {
    for (const t of TRANSITIONS) expect(STATUS_EVENT_TYPES).toContain(t.event);
    expect(statusOfEvent('Case.Dispatched', { status: 'needs_review' })).toBe('needs_review');
    expect(statusOfEvent('Case.Transferred', {})).toBe('transferred');
    expect(statusOfEvent('Case.Reopened', { to: 'reopened' })).toBe('reopened');
    expect(statusOfEvent('Case.DueSoon', { to: 'x' })).toBeUndefined();
    expect(statusCallbackPattern()['detail-type']).not.toContain('Ticket.Received');
  });

  it('reports a missing case, a non-status event and a failing fetch', async () => {
    const deps = { store, secrets: new EnvSecrets({}), callbackUrlFor: () => url, now: () => new Date(), retry: { maxAttempts: 2, baseDelayMs: 1 } };
    const detail = { eventId: 'e1', caseId: 'nope', occurredAt: '2026-10-01T00:00:00Z', to: 'accepted' };
    expect(await deliverStatusCallback(deps, { 'detail-type': 'Case.Accepted', detail })).toEqual({
      delivered: false,
      reason: 'case_not_found',
      eventId: 'e1',
    });
    const unknown = { ...detail, caseId: '12345-NOSUCHCASE0000000000' };
    expect(await deliverStatusCallback(deps, { 'detail-type': 'Case.Accepted', detail: unknown })).toEqual({
      delivered: false,
      reason: 'case_not_found',
      eventId: 'e1',
    });
    expect(await deliverStatusCallback(deps, { 'detail-type': 'Case.Overdue', detail })).toEqual({
      delivered: false,
      reason: 'not_a_status_event',
      eventId: 'e1',
    });
    const c = received12345();
    await store.createAll([c]);
    const refused = { ...deps, fetch: (() => Promise.reject(new TypeError('fetch failed'))) as typeof fetch };
    await expect(deliverStatusCallback(refused, { 'detail-type': 'Case.Accepted', detail: { ...detail, caseId: c.caseId } })).rejects.toThrow(
      /TypeError: fetch failed/,
    );
  });

  it('reads no case when the hotline has no callback URL, and one batch read for a batch when it has one', async () => {
    const c = received12345();
    await store.createAll([c]);
    const reads: string[][] = [];
    const counting = {
      getMany: async (ids: string[]) => {
        reads.push(ids);
        return store.getMany(ids);
      },
    };
    const detail = (eventId: string) => ({ eventId, caseId: c.caseId, occurredAt: '2026-10-01T00:00:00Z', to: 'accepted' });
    const none = { store: counting, secrets: new EnvSecrets({}), callbackUrlFor: () => undefined, now: () => new Date() };
    expect(await deliverStatusCallback(none, { 'detail-type': 'Case.Accepted', detail: detail('e1') })).toEqual({
      delivered: false,
      reason: 'no_callback_url',
      eventId: 'e1',
    });
    expect(reads).toEqual([]);
    const posted: string[] = [];
    const some = {
      ...none,
      callbackUrlFor: () => url,
      fetch: (async (_u: string, init: RequestInit) => {
        posted.push(String(init.body));
        return new Response('ok');
      }) as unknown as typeof fetch,
    };
    const outcomes = await deliverStatusCallbacks(
      some,
      ['e2', 'e3', 'e4'].map((id) => ({ 'detail-type': 'Case.Accepted', detail: detail(id) })),
    );
    expect(outcomes.map((o) => !(o instanceof Error) && o.delivered)).toEqual([true, true, true]);
    expect(reads).toEqual([[c.caseId]]);
    expect(posted.map((b) => JSON.parse(b).sourceTicketId)).toEqual(Array(3).fill(c.sourceTicketId));
  });
});
