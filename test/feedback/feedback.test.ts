import { relayOn } from '../support/memory-relay.js';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { EnvSecrets } from '../../functions/adapters/local/env-secrets.js';
import { InProcessBus } from '../../functions/adapters/local/in-process-bus.js';
import type { StoredScheduler } from '../../functions/adapters/local/stored-scheduler.js';
import { performAction } from '../../functions/app/case-actions.js';
import type { Principal } from '../../functions/auth/principal.js';
import type { FeedbackCase } from '../../functions/app/feedback.js';
import { processCase } from '../../functions/app/process-case.js';
import { deadlinesFor } from '../../functions/config/decide.js';
import { sign } from '../../functions/domain/ingest/signature.js';
import { makeFeedbackHandler } from '../../functions/feedback/feedback.js';
import { MAX_BODY_BYTES } from '../../functions/ingest/parse-request.js';
import { observability } from '../../functions/shared/observability.js';
import { call } from '../support/api.js';
import { decision } from '../support/fixtures.js';
import { ManualClock, MemoryCaseStore, received12345, testScheduler } from '../deadlines/support.js';
import { deployedRules } from '../../functions/config/deployed.js';
import { clusterRules } from '../../functions/config/cluster-rules.js';
import { groupKeysOf } from '../../functions/config/group-keys.js';
import { planTimers } from '../../functions/domain/deadlines/schedule-plan.js';

const SECRET = 'feedback-test-secret-12345-abcdefghijklmn';
const OWNER = '150302:ecology-environment' as const;
const agent: Principal = { role: 'agent', agencyId: OWNER };

let store: MemoryCaseStore;
let bus: InProcessBus;
let clock: ManualClock;
let scheduler: StoredScheduler;
let handler: ReturnType<typeof makeFeedbackHandler>;

function feedbackEvent(source: string, body: unknown, opts: { secret?: string; contentType?: string; t?: number } = {}): APIGatewayProxyEventV2 {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const t = opts.t ?? Math.floor(clock.now() / 1000);
  return {
    version: '2.0',
    routeKey: 'POST /v1/hotlines/{source}/feedback',
    rawPath: `/v1/hotlines/${source}/feedback`,
    rawQueryString: '',
    headers: { 'content-type': opts.contentType ?? 'application/json; charset=utf-8', 'x-hotline-signature': sign(opts.secret ?? SECRET, raw, t) },
    requestContext: { requestId: `req-${Math.random()}` } as APIGatewayProxyEventV2['requestContext'],
    body: raw,
    isBase64Encoded: false,
  };
}
const send = (body: unknown, source = '12345', opts = {}) => call(handler, feedbackEvent(source, body, opts));

/** A 12345 case brought to `replied` through the real use cases; returns its hotline ticket id. */
async function repliedCase(): Promise<{ ticketId: string; caseId: string }> {
  const c = received12345();
  await store.createAll([c]);
  await processCase({ store, classify: () => decision(), deadlines: deadlinesFor, rules: deployedRules, clusterRules, groupKeysOf, now: clock.date }, c.caseId);
  await performAction({ rules: deployedRules, store, now: clock.date }, agent, c.caseId, 'accept', {});
  await performAction({ rules: deployedRules, store, now: clock.date }, agent, c.caseId, 'reply', { result: '已责令整改' });
  return { ticketId: c.sourceTicketId, caseId: c.caseId };
}

beforeEach(async () => {
  store = new MemoryCaseStore();
  bus = new InProcessBus();
  clock = new ManualClock(Date.parse('2026-10-09T10:00:00+08:00'));
  ({ scheduler } = await testScheduler(clock, async () => undefined));
  // The outbox relay publishes each saved change's events and moves its timer.
  relayOn(store, { bus, scheduler, rules: deployedRules, now: clock.date });
  handler = makeFeedbackHandler({
    rules: deployedRules,
    ...observability('test-feedback'),
    store,
    secrets: new EnvSecrets({ HOTLINE_SECRET_12345: SECRET }),
    now: clock.date,
  });
});

describe('POST /v1/hotlines/{source}/feedback', () => {
  it('satisfied closes a replied case: history names the hotline, the result is recorded, Case.Closed is published', async () => {
    const { ticketId, caseId } = await repliedCase();
    const r = await send({ ticketId, result: 'satisfied', comment: '处理及时，电话13800001111' });
    expect(r).toEqual({ status: 200, body: { caseId, status: 'closed', result: 'satisfied', duplicate: false } });
    const c = (await store.get(caseId)) as FeedbackCase;
    expect(c.history.at(-1)).toMatchObject({ from: 'replied', to: 'closed', by: 'hotline:12345' });
    expect(c.history.at(-1)!.note).toMatch(/^回访满意: 处理及时/);
    expect(c.feedback).toEqual([{ result: 'satisfied', at: clock.date().toISOString(), version: c.version, comment: '处理及时，电话138****1111' }]);
    const closed = bus.archive.at(-1)!;
    expect(closed).toMatchObject({ 'detail-type': 'Case.Closed', detail: { caseId, from: 'replied', to: 'closed', actor: 'hotline:12345' } });
    expect(JSON.stringify(closed.detail)).not.toContain('13800001111');
  });

  it('basically_satisfied closes it too', async () => {
    const { ticketId } = await repliedCase();
    expect((await send({ ticketId, result: 'basically_satisfied' })).body.status).toBe('closed');
  });

  it('dissatisfied reopens once (fresh deadlines and timers); a second dissatisfied is 409; then satisfied closes', async () => {
    const { ticketId, caseId } = await repliedCase();
    expect(await scheduler.list()).toEqual([]);
    const r = await send({ ticketId, result: 'dissatisfied', comment: '问题没有解决' });
    expect(r).toEqual({ status: 200, body: { caseId, status: 'reopened', result: 'dissatisfied', duplicate: false } });
    expect(bus.archive.at(-1)).toMatchObject({ 'detail-type': 'Case.Reopened', detail: { actor: 'hotline:12345', note: '回访不满意: 问题没有解决' } });
    const plan = planTimers((await store.get(caseId))!, deployedRules);
    expect(plan.map((t) => `${t.payload.deadline}.${t.payload.timer}`)).toEqual([
      'acceptBy.dueSoon',
      'acceptBy.overdue',
      'replyBy.dueSoon',
      'replyBy.overdue',
      'replyBy.escalation',
    ]);
    // The case's one schedule is back, at the first of those moments.
    const first = plan.map((t) => t.at).sort((a, b) => Date.parse(a) - Date.parse(b))[0];
    expect((await scheduler.list()).map((t) => [t.caseId, t.at])).toEqual([[caseId, first]]);

    await performAction({ rules: deployedRules, store, now: clock.date }, agent, caseId, 'accept', {});
    await performAction({ rules: deployedRules, store, now: clock.date }, agent, caseId, 'reply', { result: '已再次处理' });
    const again = await send({ ticketId, result: 'dissatisfied' });
    expect(again).toEqual({ status: 409, body: { error: 'not_applicable', status: 'replied', reason: 'a case is reopened at most once' } });
    expect((await send({ ticketId, result: 'satisfied' })).body.status).toBe('closed');
    expect(((await store.get(caseId)) as FeedbackCase).feedback?.map((f) => f.result)).toEqual(['dissatisfied', 'satisfied']);
  });

  it('the same feedback sent again is answered as a duplicate, with no second transition', async () => {
    const { ticketId } = await repliedCase();
    await send({ ticketId, result: 'satisfied' });
    const events = bus.archive.length;
    expect((await send({ ticketId, result: 'satisfied' })).body).toMatchObject({ status: 'closed', duplicate: true });
    expect(bus.archive).toHaveLength(events);
    expect(await send({ ticketId, result: 'dissatisfied' })).toMatchObject({ status: 409, body: { error: 'not_applicable', status: 'closed' } });
  });

  it('404 for a ticket the hotline never sent, 409 for a case not replied yet', async () => {
    expect(await send({ ticketId: 'WH-never', result: 'satisfied' })).toEqual({ status: 404, body: { error: 'not_found' } });
    const c = received12345();
    await store.createAll([c]);
    await processCase(
      { store, classify: () => decision(), deadlines: deadlinesFor, rules: deployedRules, clusterRules, groupKeysOf, now: clock.date },
      c.caseId,
    );
    expect(await send({ ticketId: c.sourceTicketId, result: 'satisfied' })).toMatchObject({
      status: 409,
      body: { error: 'not_applicable', status: 'dispatched' },
    });
    // The same ticket id under the other hotline is another ticket.
    const other = makeFeedbackHandler({
      rules: deployedRules,
      ...observability('t'),
      store,
      secrets: new EnvSecrets({ HOTLINE_SECRET_12309: SECRET }),
      now: clock.date,
    });
    expect((await call(other, feedbackEvent('12309', { caseNo: c.sourceTicketId, result: 'satisfied' }))).status).toBe(404);
  });

  it('applies the ingest edge checks: signature, media type, size, body, route', async () => {
    const { ticketId } = await repliedCase();
    expect(await send({ ticketId, result: 'satisfied' }, '12345', { secret: 'wrong-secret' })).toEqual({
      status: 401,
      body: { error: 'unauthorized', reason: 'invalid_signature' },
    });
    expect((await send({ ticketId, result: 'satisfied' }, '12345', { t: Math.floor(clock.now() / 1000) - 301 })).body.reason).toBe('stale_signature');
    expect((await send({ ticketId, result: 'satisfied' }, '12345', { contentType: 'text/plain' })).status).toBe(415);
    expect((await send('x'.repeat(MAX_BODY_BYTES + 1))).status).toBe(413);
    expect((await send({ ticketId, result: 'happy' })).body).toMatchObject({ error: 'validation_failed', details: [{ path: 'result' }] });
    expect((await send({ ticketId, caseNo: 'x', result: 'satisfied' })).body.details).toEqual([
      { index: null, path: 'ticketId', message: 'give exactly one of ticketId, caseNo' },
    ]);
    expect((await send({ ticketId, result: 'satisfied', extra: 1 })).status).toBe(400);
    expect((await send({ ticketId, result: 'satisfied' }, '99999')).status).toBe(404);
    expect(((await store.get((await repliedCase()).caseId)) as FeedbackCase).feedback).toBeUndefined();
  });
});
