/**
 * The transactional outbox in local mode, against DynamoDB Local and its own stream: whatever is saved is relayed —
 * its events published with their deterministic ids, a new ticket enqueued, the case's timer moved — even when the bus,
 * the queue or the scheduler fails at the moment of the save. And a burst of tickets about one place (every batch
 * writing the same similar-case group) loses none to version conflicts.
 */
import { PROCESS_QUEUE_VISIBILITY_TIMEOUT, PROCESS_TIMEOUT } from '../../lib/config.js';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { DEV_SECRETS } from '../../functions/adapters/local/env-secrets.js';
import { signDevToken } from '../../functions/auth/dev-jwt.js';
import { receiveTicket } from '../../functions/domain/case/case.js';
import { caseIdFor } from '../../functions/domain/case/case-id.js';
import { dispatchEvents } from '../../functions/domain/case/dispatch-events.js';
import { eventIdFor } from '../../functions/domain/case/event-id.js';
import { nextMoment, planTimers } from '../../functions/domain/deadlines/schedule-plan.js';
import { deployedRules } from '../../functions/config/deployed.js';
import type { EventBus } from '../../functions/ports/event-bus.js';
import { postTickets } from '../../local/hotline-client.js';
import { startLocal, type LocalRuntime } from '../../local/runtime.js';
import { PROCESS_MAX_CONCURRENCY } from '../../lib/stateless-stack.js';
import { sourced12345, testContacts, ticket12345, uniqueId } from '../support/fixtures.js';

/** What the faults below switch: each port as the relay (and local mode) sees it. */
const down = { bus: false, queue: false, scheduler: false };
const failed = { bus: 0, queue: 0, scheduler: 0 };
const env = {};
let rt: LocalRuntime;

beforeAll(async () => {
  rt = await startLocal({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tablePrefix: uniqueId('outbox').toLowerCase(),
    env,
    relayRetry: { baseDelayMs: 5, maxDelayMs: 100 },
    wrapBus: (bus): EventBus => ({
      publish: async (events) => {
        if (down.bus) {
          failed.bus += 1;
          throw new Error('EventBridge down');
        }
        return bus.publish(events);
      },
    }),
  });
});

afterAll(async () => {
  await rt?.stop();
});

/** The process queue and the timer store fail while their switch is down (patched on the instances local mode uses). */
beforeAll(() => {
  const send = rt.processQueue.send.bind(rt.processQueue);
  rt.processQueue.send = async (messages) => {
    if (down.queue) {
      failed.queue += 1;
      throw new Error('SQS down');
    }
    return send(messages);
  };
  const set = rt.scheduler.set.bind(rt.scheduler);
  const clear = rt.scheduler.clear.bind(rt.scheduler);
  rt.scheduler.set = async (timer) => {
    if (down.scheduler) {
      failed.scheduler += 1;
      throw new Error('Scheduler down');
    }
    return set(timer);
  };
  rt.scheduler.clear = async (caseId) => {
    if (down.scheduler) {
      failed.scheduler += 1;
      throw new Error('Scheduler down');
    }
    return clear(caseId);
  };
});

const eventsOf = (caseId: string) => rt.bus.archive.filter((e) => e.detail['caseId'] === caseId);
const send = async (ticket: Record<string, unknown>) => {
  const r = await postTickets(rt.url, '12345', DEV_SECRETS['12345'], ticket);
  expect(r.status).toBe(202);
  return caseIdFor('12345', ticket['ticketId'] as string);
};
async function act(caseId: string, agencyId: string, action: string, body: unknown = {}) {
  const token = await signDevToken({ agencyId, role: 'agent' });
  const res = await fetch(`${rt.url}/v1/cases/${caseId}/${action}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
/** Waits until the fault has been hit (the relay is retrying), then lifts it. */
async function whileDown(port: keyof typeof down, during: () => Promise<void>): Promise<void> {
  const before = failed[port];
  down[port] = true;
  try {
    await during();
    await vi.waitFor(() => expect(failed[port]).toBeGreaterThanOrEqual(before + 2), { timeout: 15_000, interval: 20 });
  } finally {
    down[port] = false;
  }
}

describe('the outbox relay in local mode', () => {
  it('delivers a dispatch’s events, with their ids, although the bus failed when the dispatch was saved', async () => {
    let caseId = '';
    await whileDown('bus', async () => {
      caseId = await send(ticket12345({ content: '化工厂晚上偷偷往河里排污水，河水发黑发臭', regionCode: '150304' }));
      // Dispatched (saved) while the bus is down: nothing is out yet.
      await vi.waitFor(async () => expect((await rt.store.get(caseId))?.status).toBe('dispatched'), { timeout: 15_000, interval: 20 });
      expect(eventsOf(caseId)).toEqual([]);
    });
    await rt.drained();
    const c = (await rt.store.get(caseId))!;
    expect(eventsOf(caseId).map((e) => e.detail['eventId'])).toEqual(dispatchEvents(c).map((e) => e.detail.eventId));
    expect(rt.processDlq.depth + rt.relayDlq.depth).toBe(0);
  });

  it('answers an agency action 200 while the bus is down, and delivers its event later with the same id', async () => {
    const caseId = await send(ticket12345({ content: '化工厂晚上偷偷往河里排污水，河水发黑发臭', regionCode: '150304' }));
    await rt.drained();
    const c = (await rt.store.get(caseId))!;
    await whileDown('bus', async () => {
      const r = await act(caseId, c.agencyId!, 'accept');
      expect(r).toMatchObject({ status: 200, body: { status: 'accepted', version: c.version + 1 } });
    });
    await rt.drained();
    const accepted = eventsOf(caseId).filter((e) => e['detail-type'] === 'Case.Accepted');
    expect(accepted.map((e) => e.detail['eventId'])).toEqual([eventIdFor(caseId, 'Case.Accepted', c.version + 1)]);
  });

  it('processes a ticket stored while the queue was down (ingest answers 202; the relay enqueues it once the queue is back)', async () => {
    let caseId = '';
    await whileDown('queue', async () => {
      caseId = await send(ticket12345({ regionCode: '150304' }));
      expect((await rt.store.get(caseId))?.status).toBe('received');
    });
    await rt.drained();
    expect((await rt.store.get(caseId))?.status).toBe('dispatched');
    expect(eventsOf(caseId).map((e) => e['detail-type'])).toContain('Case.Dispatched');
  });

  it('processes a ticket whose store succeeded but whose function died before anything else (nothing but the write)', async () => {
    const t = sourced12345({ ticketId: uniqueId('LOST'), regionCode: '150304' });
    const c = receiveTicket(t, new Date().toISOString(), 'corr-lost');
    c.contactSealed = await testContacts.seal(c.contact!, c.caseId);
    delete c.contact;
    await rt.store.createAll([c]); // the write, and then nothing: no answer, no enqueue
    await rt.drained();
    expect((await rt.store.get(c.caseId))?.status).toBe('dispatched');
  });

  it('sets the timer a transition needs although the scheduler failed when it was saved', async () => {
    const caseId = await send(ticket12345({ content: '化工厂晚上偷偷往河里排污水，河水发黑发臭', regionCode: '150304' }));
    await rt.drained();
    const c = (await rt.store.get(caseId))!;
    const dispatchedTimer = (await rt.scheduler.list()).find((t) => t.caseId === caseId);
    expect(dispatchedTimer).toBeDefined();
    await whileDown('scheduler', async () => {
      expect((await act(caseId, c.agencyId!, 'accept')).status).toBe(200);
    });
    await rt.drained();
    const accepted = (await rt.store.get(caseId))!;
    const want = nextMoment(planTimers(accepted, deployedRules), Date.now());
    expect(want).toBeDefined();
    const timer = (await rt.scheduler.list()).find((t) => t.caseId === caseId);
    expect(timer?.at).toBe(want!.at); // moved to the accepted case's next moment (the reply deadline's)
    expect(timer?.at).not.toBe(dispatchedTimer!.at);
  });
});

describe('contention', () => {
  let burst: LocalRuntime;
  beforeAll(async () => {
    // As many concurrent process invocations as the CDK stack allows (PROCESS_MAX_CONCURRENCY), each with the stack's
    // function timeout (PROCESS_TIMEOUT) and the queue's visibility timeout: a batch that retries through contention
    // for many rounds is what this test is about, and local mode's default 5 s timeout would cut it off where
    // Lambda would not (on a loaded machine the retries of ten contending batches take longer than 5 s).
    burst = await startLocal({
      dynamoEndpoint: inject('dynamoEndpoint'),
      tablePrefix: uniqueId('burst').toLowerCase(),
      env,
      processConsumer: {
        concurrency: PROCESS_MAX_CONCURRENCY,
        functionTimeoutMs: PROCESS_TIMEOUT.toMilliseconds(),
        visibilityTimeoutMs: PROCESS_QUEUE_VISIBILITY_TIMEOUT.toMilliseconds(),
      },
    });
  });
  afterAll(async () => {
    await burst?.stop();
  });

  it('loses no ticket when about 100 tickets about one employer arrive at once (every batch writes the same group)', async () => {
    const run = uniqueId('burst');
    const tickets = Array.from({ length: 100 }, (_, i) =>
      ticket12345({
        ticketId: `${run}-${i}`,
        regionCode: '150303',
        content: `来电人称在恒昌建筑公司的工地干活，工资一直拖着不给，包工头说公司不结账，请求帮忙讨薪（第${i}位工友）。`,
      }),
    );
    const answers = await Promise.all(tickets.map((t) => postTickets(burst.url, '12345', DEV_SECRETS['12345'], t)));
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(202));
    await burst.drained();
    const ids = tickets.map((t) => caseIdFor('12345', t['ticketId'] as string));
    const cases = await burst.store.getMany(ids);
    expect(burst.processDlq.depth).toBe(0);
    expect(cases.filter((c) => c.status === 'received')).toEqual([]);
    expect(cases).toHaveLength(100);
    // All in one group: one cluster, and every ticket counted in it.
    const clusterIds = new Set(cases.flatMap((c) => c.clusterIds ?? []));
    expect(clusterIds.size).toBe(1);
    const cluster = (await burst.store.getCluster([...clusterIds][0]!))!;
    expect(cluster.memberCount ?? cluster.caseIds.length).toBe(100);
  }, 120_000);
});
