/**
 * The process handler against DynamoDB Local with the in-process queue and bus: dispatch, events, the crash
 * between write and publish, duplicate deliveries, poison messages, and no personal data in events.
 */
import { beforeAll, describe, expect, it } from 'vitest';
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
import { observability } from '../../functions/shared/observability.js';
import { freshTables } from '../support/dynamo.js';
import { decision, sourced12309, sourced12345, testContacts } from '../support/fixtures.js';

let store: DynamoCaseStore;

beforeAll(async () => {
  const { client, tables } = await freshTables();
  store = new DynamoCaseStore(client, tables.caseTable);
});

/** A pipeline: process queue (fast redelivery) → handler → bus with a rule to one agency queue. */
function pipeline(opts: { bus?: (b: InProcessBus) => EventBus; classify?: (t: SourcedTicket) => Decision; functionTimeoutMs?: number } = {}) {
  const bus = new InProcessBus();
  const agencyQueue = new InProcessQueue('agency');
  bus.addRule({ name: 'eco', pattern: caseDispatchedPattern({ id: '150302:ecology-environment' }), target: agencyQueue });
  const queue = new InProcessQueue('process');
  const dlq = new InProcessQueue('process-dlq');
  const handler = makeProcessHandler({
    ...observability('test-process'),
    store,
    bus: opts.bus ? opts.bus(bus) : bus,
    classify: opts.classify ?? (() => decision()),
    deadlines: (i) => computeDeadlines(i, deadlinePolicy, calendar),
    rules: deployedRules,
    clusterRules,
    groupKeysOf,
    now: () => new Date('2026-09-30T02:00:00Z'),
  });
  // As in AWS, a message stays invisible longer than the function may run: a redelivery means a failure or a death,
  // never a slow success (a slow success would be redelivered and republish, which consumers deduplicate).
  const functionTimeoutMs = opts.functionTimeoutMs ?? 3_000;
  queue.consume(handler, { batchSize: 10, concurrency: 2, visibilityTimeoutMs: functionTimeoutMs + 150, maxReceiveCount: 3, functionTimeoutMs }, dlq);
  // Ingested just before processing, as in life: the fixtures' receivedAt stays inside the receipt window of the ingest time.
  const accept = (tickets: SourcedTicket[]) =>
    acceptTickets({ store, queue, contacts: testContacts, now: () => new Date('2026-09-30T01:59:00Z') }, tickets, 'corr-test');
  return { bus, queue, dlq, agencyQueue, accept };
}

describe('process handler', () => {
  it('classifies, routes, stores the dispatch with deadlines, and publishes three events in order', async () => {
    const p = pipeline();
    const [r] = await p.accept([sourced12345()]);
    await p.queue.drained();
    const c = await store.get(r!.caseId);
    expect(c).toMatchObject({ status: 'dispatched', version: 2, agencyId: '150302:ecology-environment', kind: 'ticket' });
    // Dispatched 2026-09-30 (Shanghai): sign-for by the end of 10-08, reply by the end of 10-23 (product.md §7).
    expect(c?.deadlines).toMatchObject({ acceptBy: '2026-10-08T23:59:59+08:00', replyBy: '2026-10-23T23:59:59+08:00' });
    expect(c?.dueAt).toBe('2026-10-08T23:59:59+08:00');
    expect(p.bus.archive.map((e) => e['detail-type'])).toEqual(['Ticket.Received', 'Ticket.Classified', 'Case.Dispatched']);
    expect(p.bus.archive.every((e) => e.detail.caseId === r!.caseId && e.detail.correlationId === 'corr-test')).toBe(true);
    expect(p.agencyQueue.depth).toBe(1);
    expect(JSON.parse(p.agencyQueue.peek()[0]!.body).detail).toMatchObject({ agencyId: '150302:ecology-environment', status: 'dispatched' });
  });

  it('still publishes the events when the function dies between the write and the publish', async () => {
    let failures = 1;
    const p = pipeline({
      bus: (b) => ({
        publish: async (evs) => {
          if (failures-- > 0) throw new Error('simulated crash after the case write');
          return b.publish(evs);
        },
      }),
    });
    const [r] = await p.accept([sourced12345()]);
    await p.queue.drained();
    const c = (await store.get(r!.caseId))!;
    expect(c.version).toBe(2); // written once, not twice
    expect(c.history.map((h) => h.to)).toEqual(['received', 'dispatched']);
    expect(p.bus.archive.map((e) => e.detail.eventId)).toEqual(dispatchEvents(c).map((e) => e.detail.eventId));
    expect(p.dlq.depth).toBe(0);
  });

  it('recovers when the function is killed mid-publish (a hang past its timeout): the redelivery republishes', async () => {
    let calls = 0;
    const p = pipeline({
      functionTimeoutMs: 250,
      bus: (b) => ({
        publish: async (evs) => {
          if (calls++ === 0) return new Promise<void>(() => undefined); // never returns: the invocation is killed
          return b.publish(evs);
        },
      }),
    });
    const [r] = await p.accept([sourced12345()]);
    await p.queue.drained();
    const c = (await store.get(r!.caseId))!;
    expect(calls).toBe(2);
    expect(c.version).toBe(2);
    expect(p.bus.archive.map((e) => e.detail.eventId)).toEqual(dispatchEvents(c).map((e) => e.detail.eventId));
  });

  it('republishes the same event ids when a publish fails half way', async () => {
    let calls = 0;
    const p = pipeline({
      bus: (b) => ({
        publish: async (evs) => {
          calls += 1;
          if (calls === 1) {
            await b.publish(evs.slice(0, 1));
            throw new Error('PutEvents failed after the first entry');
          }
          return b.publish(evs);
        },
      }),
    });
    await p.accept([sourced12345()]);
    await p.queue.drained();
    const ids = p.bus.archive.map((e) => `${e['detail-type']}:${e.detail.eventId}`);
    expect(ids).toHaveLength(4);
    expect(ids[0]).toBe(ids[1]); // Ticket.Received twice, same id: consumers deduplicate
    expect(new Set(ids).size).toBe(3);
  });

  it('answers a second delivery of a processed case by writing nothing and republishing only the same event ids', async () => {
    const p = pipeline();
    const [r] = await p.accept([sourced12345()]);
    await p.queue.drained();
    const before = (await store.get(r!.caseId))!;
    const first = p.bus.archive.map((e) => e.detail.eventId);
    await p.queue.send([{ id: 'again', body: JSON.stringify({ caseId: r!.caseId, correlationId: 'corr-test' }) }]);
    await p.queue.drained();
    expect(await store.get(r!.caseId)).toEqual(before); // no second write: the versioned write decided once
    const again = p.bus.archive.slice(first.length).map((e) => e.detail.eventId);
    expect(again).toEqual(first); // consumers deduplicate on eventId
    expect(p.dlq.depth).toBe(0);
  });

  it('dispatches a whole batch in one transaction, two cases of one similar-case group counted together', async () => {
    const p = pipeline({ classify: () => decision({ domain: 'labor_wages', agencyId: '150302:hr-social-security', clue: 'none' }) });
    const tickets = Array.from({ length: 8 }, (_, i) =>
      sourced12345({ content: `鑫达建筑公司拖欠我们农民工工资三个月了，第${i}次反映`, regionCode: '150302' }),
    );
    const results = await p.accept(tickets);
    await p.queue.drained();
    const cases = await store.getMany(results.map((r) => r.caseId));
    expect(cases.map((c) => c.status)).toEqual(Array(8).fill('dispatched'));
    expect(p.bus.archive.filter((e) => e['detail-type'] === 'Case.Dispatched' && results.some((r) => r.caseId === e.detail.caseId))).toHaveLength(8);
    // The group counted all eight (threshold 3): one cluster, detected by the third, joined by the rest.
    const detected = p.bus.archive.filter((e) => e['detail-type'] === 'Cluster.Detected');
    expect(detected).toHaveLength(1);
    expect(detected[0]!.detail.caseIds).toHaveLength(3);
    const cluster = (await store.getCluster(detected[0]!.detail.clusterId as string))!;
    expect(new Set(cluster.caseIds)).toEqual(new Set(results.map((r) => r.caseId)));
    expect(p.dlq.depth).toBe(0);
  });

  it('dead-letters a poison message after its retries while the rest of the batch succeeds', async () => {
    const p = pipeline();
    await p.queue.send([{ id: 'bad', body: '{"caseId": 42}' }]);
    await p.queue.send([{ id: 'missing', body: JSON.stringify({ caseId: '12345-NOSUCHCASE', correlationId: 'x' }) }]);
    const [r] = await p.accept([sourced12345()]);
    await p.queue.drained();
    expect(p.dlq.peek().map((m) => m.body)).toEqual(['{"caseId": 42}', JSON.stringify({ caseId: '12345-NOSUCHCASE', correlationId: 'x' })]);
    expect(p.dlq.peek().every((m) => m.receiveCount === 0)).toBe(true);
    expect((await store.get(r!.caseId))?.status).toBe('dispatched');
  });

  it('sends a needs-review case to the dispatch-center with status needs_review', async () => {
    const p = pipeline({ classify: () => decision({ needsReview: true, agencyId: '150300:dispatch-center', confidence: 0.3 }) });
    const [r] = await p.accept([sourced12345()]);
    await p.queue.drained();
    expect(await store.get(r!.caseId)).toMatchObject({ status: 'needs_review', agencyId: '150300:dispatch-center' });
    expect(p.bus.archive.find((e) => e['detail-type'] === 'Case.Dispatched')?.detail.status).toBe('needs_review');
  });

  it('marks a 12309 ticket for the government as a transfer and keeps the 12309 reply deadlines', async () => {
    const p = pipeline({
      classify: () => decision({ domain: 'housing_property', agencyId: '150302:housing-construction', transfer: true, ticketType: 'report' }),
    });
    const [r] = await p.accept([sourced12309({ matterType: 'report', regionCode: '150302' })]);
    await p.queue.drained();
    const c = await store.get(r!.caseId);
    expect(c?.kind).toBe('transfer');
    expect(c?.deadlines).toMatchObject({ proceduralReplyBy: '2026-10-07T23:59:59+08:00', resultReplyBy: '2026-12-30T23:59:59+08:00' });
    expect(c?.deadlines?.acceptBy).toBeDefined();
    expect(p.bus.archive.map((e) => e['detail-type'])).toContain('Case.Transferred');
  });

  it('puts no raw personal data into any event', async () => {
    const p = pipeline();
    await p.accept([
      sourced12345({
        content: '我叫王小明，电话13912345678，身份证150302199001011234，化工厂偷排',
        caller: { name: '王小明', phone: '13912345678', idNumber: '150302199001011234' },
      }),
      sourced12309({ petitioner: { name: '赵六', phone: '13700001111' } }),
    ]);
    await p.queue.drained();
    const all = JSON.stringify(p.bus.archive);
    for (const pii of ['王小明', '13912345678', '150302199001011234', '赵六', '13700001111']) expect(all).not.toContain(pii);
  });
});
