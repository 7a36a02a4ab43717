/**
 * The process handler against DynamoDB Local with the in-process queue and bus, and the outbox relay on the table's
 * stream: dispatch, events, a bus failing after the write, a death after the write, duplicate deliveries, poison
 * messages, and no personal data in events.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { LocalChangeFeed } from '../../functions/adapters/local/dynamodb-local-stream.js';
import { makeRelayHandler } from '../../functions/relay/relay.js';
import { DynamoCaseStore } from '../../functions/adapters/aws/dynamo-case-store.js';
import { InProcessBus } from '../../functions/adapters/local/in-process-bus.js';
import { InProcessQueue } from '../../functions/adapters/local/in-process-queue.js';
import { acceptTickets } from '../../functions/app/accept-tickets.js';
import { calendar } from '../../functions/config/calendar.js';
import { deadlinePolicy } from '../../functions/config/deadline-policy.js';
import { clusterRules } from '../../functions/config/cluster-rules.js';
import { groupKeysOf } from '../../functions/config/group-keys.js';
import { deployedRules } from '../../functions/config/deployed.js';
import { dispatchEvents } from '../../functions/domain/case/dispatch-events.js';
import { computeDeadlines } from '../../functions/domain/deadlines/index.js';
import type { Decision } from '../../functions/domain/classify/decision.js';
import { caseDispatchedPattern } from '../../functions/domain/directory/agency-queues.js';
import type { SourcedTicket } from '../../functions/domain/ticket/schemas.js';
import { makeProcessHandler } from '../../functions/process/process.js';
import type { EventBus } from '../../functions/ports/event-bus.js';
import { ContentionError, PublishError } from '../../functions/ports/errors.js';
import { observability } from '../../functions/shared/observability.js';
import { freshTables } from '../support/dynamo.js';
import { decision, sourced12309, sourced12345, testContacts } from '../support/fixtures.js';

/**
 * A pipeline on a table of its own: ingest's store → the table's stream → the outbox relay (enqueues new tickets,
 * publishes events) → process queue (fast redelivery) → handler → the stream again → relay → bus, with a rule to one
 * agency queue. `drained()` waits until the relay and the queue are both idle.
 */
async function pipeline(opts: { bus?: (b: InProcessBus) => EventBus; classify?: (t: SourcedTicket) => Decision; functionTimeoutMs?: number } = {}) {
  const { client, tables } = await freshTables();
  const store = new DynamoCaseStore(client, tables.caseTable);
  const bus = new InProcessBus();
  const agencyQueue = new InProcessQueue('agency');
  bus.addRule({ name: 'eco', pattern: caseDispatchedPattern({ id: '150302:ecology-environment' }), target: agencyQueue });
  const queue = new InProcessQueue('process');
  const dlq = new InProcessQueue('process-dlq');
  const handler = makeProcessHandler({
    ...observability('test-process'),
    store,
    classify: opts.classify ?? (() => decision()),
    deadlines: (i) => computeDeadlines(i, deadlinePolicy, calendar),
    rules: deployedRules,
    clusterRules,
    groupKeysOf,
    now: () => new Date('2026-09-30T02:00:00Z'),
  });
  // As in AWS, a message stays invisible longer than the function may run: a redelivery means a failure or a death.
  const functionTimeoutMs = opts.functionTimeoutMs ?? 3_000;
  queue.consume(handler, { batchSize: 10, concurrency: 2, visibilityTimeoutMs: functionTimeoutMs + 150, maxReceiveCount: 3, functionTimeoutMs }, dlq);
  const relay = new LocalChangeFeed({
    client,
    tableName: tables.caseTable,
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    handler: makeRelayHandler({
      ...observability('test-relay'),
      store,
      bus: opts.bus ? opts.bus(bus) : bus,
      queue,
      rules: deployedRules,
      now: () => new Date('2026-09-30T02:00:00Z'),
    }),
  });
  relay.start();
  feeds.push(relay);
  // Ingested just before processing, as in life: the fixtures' receivedAt stays inside the receipt window of the ingest time.
  const accept = (tickets: SourcedTicket[]) =>
    acceptTickets({ store, queue, contacts: testContacts, now: () => new Date('2026-09-30T01:59:00Z') }, tickets, 'corr-test');
  const drained = async () => {
    for (let settled = false; !settled; ) {
      await relay.caughtUp();
      const before = relay.delivered;
      await queue.drained();
      await relay.caughtUp();
      settled = relay.delivered === before && queue.depth === 0;
    }
  };
  return { store, bus, queue, dlq, agencyQueue, accept, drained };
}

const feeds: LocalChangeFeed[] = [];
afterAll(async () => {
  for (const f of feeds) await f.stop();
});

describe('process handler', () => {
  it('classifies, routes, stores the dispatch with deadlines, and publishes three events in order', async () => {
    const p = await pipeline();
    const [r] = await p.accept([sourced12345()]);
    await p.drained();
    const c = await p.store.get(r!.caseId);
    expect(c).toMatchObject({ status: 'dispatched', version: 2, agencyId: '150302:ecology-environment', kind: 'ticket' });
    // Dispatched 2026-09-30 (Shanghai): sign-for by the end of 10-08, reply by the end of 10-23 (product.md §7).
    expect(c?.deadlines).toMatchObject({ acceptBy: '2026-10-08T23:59:59+08:00', replyBy: '2026-10-23T23:59:59+08:00' });
    expect(c?.dueAt).toBe('2026-10-08T23:59:59+08:00');
    expect(p.bus.archive.map((e) => e['detail-type'])).toEqual(['Ticket.Received', 'Ticket.Classified', 'Case.Dispatched']);
    expect(p.bus.archive.every((e) => e.detail.caseId === r!.caseId && e.detail.correlationId === 'corr-test')).toBe(true);
    expect(p.agencyQueue.depth).toBe(1);
    expect(JSON.parse(p.agencyQueue.peek()[0]!.body).detail).toMatchObject({ agencyId: '150302:ecology-environment', status: 'dispatched' });
  });

  it('still publishes the events when the bus fails after the write: the relay retries from the stream', async () => {
    let failures = 2;
    const p = await pipeline({
      bus: (b) => ({
        publish: async (evs) => {
          if (failures-- > 0) throw new Error('EventBridge down');
          return b.publish(evs);
        },
      }),
    });
    const [r] = await p.accept([sourced12345()]);
    await p.drained();
    const c = (await p.store.get(r!.caseId))!;
    expect(c.version).toBe(2); // written once, not twice
    expect(c.history.map((h) => h.to)).toEqual(['received', 'dispatched']);
    expect(p.bus.archive.map((e) => e.detail.eventId)).toEqual(dispatchEvents(c).map((e) => e.detail.eventId));
    expect(p.dlq.depth).toBe(0);
  });

  it('recovers when the function is killed after its write (a hang past its timeout): one write, the events out once', async () => {
    let calls = 0;
    const p = await pipeline({ functionTimeoutMs: 250 });
    const slowStore = p.store;
    const commit = slowStore.commit.bind(slowStore);
    slowStore.commit = async (change) => {
      await commit(change);
      if (calls++ === 0) return new Promise<void>(() => undefined); // stored, then never returns: the invocation is killed
    };
    const [r] = await p.accept([sourced12345()]);
    await p.drained();
    const c = (await p.store.get(r!.caseId))!;
    expect(calls).toBe(1); // the redelivery found the case dispatched: nothing written again
    expect(c.version).toBe(2);
    expect(p.bus.archive.map((e) => e.detail.eventId)).toEqual(dispatchEvents(c).map((e) => e.detail.eventId));
    expect(p.dlq.depth).toBe(0);
  });

  it('decides again in the same delivery when transactions on the same items kept colliding (ContentionError)', async () => {
    // A message invisible for a minute: had the batch failed, its redelivery would come after this test's timeout.
    const p = await pipeline({ functionTimeoutMs: 60_000 });
    const commit = p.store.commit.bind(p.store);
    let calls = 0;
    p.store.commit = async (change) => {
      if (calls++ === 0) throw new ContentionError('case store: transaction conflicts persisted');
      return commit(change);
    };
    const [r] = await p.accept([sourced12345()]);
    await p.drained();
    const c = (await p.store.get(r!.caseId))!;
    expect(calls).toBe(2);
    expect(c.status).toBe('dispatched');
    expect(c.version).toBe(2);
    expect(p.dlq.depth).toBe(0);
  }, 20_000);

  it('republishes the same event ids when a publish fails half way', async () => {
    let calls = 0;
    const p = await pipeline({
      bus: (b) => ({
        publish: async (evs) => {
          calls += 1;
          if (calls === 1) {
            await b.publish(evs.slice(0, 1));
            throw new PublishError(evs.slice(1).map((e) => ({ type: e.type, eventId: e.detail.eventId, code: 'InternalFailure' })));
          }
          return b.publish(evs);
        },
      }),
    });
    await p.accept([sourced12345()]);
    await p.drained();
    const ids = p.bus.archive.map((e) => `${e['detail-type']}:${e.detail.eventId}`);
    expect(ids).toHaveLength(4);
    expect(ids[0]).toBe(ids[1]); // Ticket.Received twice, same id: consumers deduplicate
    expect(new Set(ids).size).toBe(3);
  });

  it('answers a second delivery of a processed case by writing and publishing nothing', async () => {
    const p = await pipeline();
    const [r] = await p.accept([sourced12345()]);
    await p.drained();
    const before = (await p.store.get(r!.caseId))!;
    const first = p.bus.archive.map((e) => e.detail.eventId);
    await p.queue.send([{ id: 'again', body: JSON.stringify({ caseId: r!.caseId, correlationId: 'corr-test' }) }]);
    await p.drained();
    expect(await p.store.get(r!.caseId)).toEqual(before); // no second write: the versioned write decided once
    expect(p.bus.archive.map((e) => e.detail.eventId)).toEqual(first); // the events went out with the write, once
    expect(p.dlq.depth).toBe(0);
  });

  it('dispatches a whole batch in one transaction, two cases of one similar-case group counted together', async () => {
    const p = await pipeline({ classify: () => decision({ domain: 'labor_wages', agencyId: '150302:hr-social-security', clue: 'none' }) });
    const tickets = Array.from({ length: 8 }, (_, i) =>
      sourced12345({ content: `鑫达建筑公司拖欠我们农民工工资三个月了，第${i}次反映`, regionCode: '150302' }),
    );
    const results = await p.accept(tickets);
    await p.drained();
    const cases = await p.store.getMany(results.map((r) => r.caseId));
    expect(cases.map((c) => c.status)).toEqual(Array(8).fill('dispatched'));
    expect(p.bus.archive.filter((e) => e['detail-type'] === 'Case.Dispatched' && results.some((r) => r.caseId === e.detail.caseId))).toHaveLength(8);
    // The group counted all eight (threshold 3): one cluster, detected by the third, joined by the rest.
    const detected = p.bus.archive.filter((e) => e['detail-type'] === 'Cluster.Detected');
    expect(detected).toHaveLength(1);
    expect(detected[0]!.detail.caseIds).toHaveLength(3);
    const cluster = (await p.store.getCluster(detected[0]!.detail.clusterId as string))!;
    expect(new Set(cluster.caseIds)).toEqual(new Set(results.map((r) => r.caseId)));
    expect(p.dlq.depth).toBe(0);
  });

  it('dead-letters a poison message after its retries while the rest of the batch succeeds', async () => {
    const p = await pipeline();
    await p.queue.send([{ id: 'bad', body: '{"caseId": 42}' }]);
    await p.queue.send([{ id: 'missing', body: JSON.stringify({ caseId: '12345-NOSUCHCASE', correlationId: 'x' }) }]);
    const [r] = await p.accept([sourced12345()]);
    await p.drained();
    expect(p.dlq.peek().map((m) => m.body)).toEqual(['{"caseId": 42}', JSON.stringify({ caseId: '12345-NOSUCHCASE', correlationId: 'x' })]);
    expect(p.dlq.peek().every((m) => m.receiveCount === 0)).toBe(true);
    expect((await p.store.get(r!.caseId))?.status).toBe('dispatched');
  });

  it('sends a needs-review case to the dispatch-center with status needs_review', async () => {
    const p = await pipeline({ classify: () => decision({ needsReview: true, agencyId: '150300:dispatch-center', confidence: 0.3 }) });
    const [r] = await p.accept([sourced12345()]);
    await p.drained();
    expect(await p.store.get(r!.caseId)).toMatchObject({ status: 'needs_review', agencyId: '150300:dispatch-center' });
    expect(p.bus.archive.find((e) => e['detail-type'] === 'Case.Dispatched')?.detail.status).toBe('needs_review');
  });

  it('marks a 12309 ticket for the government as a transfer and keeps the 12309 reply deadlines', async () => {
    const p = await pipeline({
      classify: () => decision({ domain: 'housing_property', agencyId: '150302:housing-construction', transfer: true, ticketType: 'report' }),
    });
    const [r] = await p.accept([sourced12309({ matterType: 'report', regionCode: '150302' })]);
    await p.drained();
    const c = await p.store.get(r!.caseId);
    expect(c?.kind).toBe('transfer');
    expect(c?.deadlines).toMatchObject({ proceduralReplyBy: '2026-10-07T23:59:59+08:00', resultReplyBy: '2026-12-30T23:59:59+08:00' });
    expect(c?.deadlines?.acceptBy).toBeDefined();
    expect(p.bus.archive.map((e) => e['detail-type'])).toContain('Case.Transferred');
  });

  it('puts no raw personal data into any event', async () => {
    const p = await pipeline();
    await p.accept([
      sourced12345({
        content: '我叫王小明，电话13912345678，身份证150302199001011234，化工厂偷排',
        caller: { name: '王小明', phone: '13912345678', idNumber: '150302199001011234' },
      }),
      sourced12309({ petitioner: { name: '赵六', phone: '13700001111' } }),
    ]);
    await p.drained();
    const all = JSON.stringify(p.bus.archive);
    for (const pii of ['王小明', '13912345678', '150302199001011234', '赵六', '13700001111']) expect(all).not.toContain(pii);
  });
});
