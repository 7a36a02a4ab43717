/** The soak's fault injection (local/faults.ts): what each injected fault does to the adapter behind it. */
import { describe, expect, it } from 'vitest';
import type { SQSEvent } from 'aws-lambda';
import { InProcessQueue } from '../../functions/adapters/local/in-process-queue.js';
import { PublishError, ServiceUnavailableError } from '../../functions/ports/errors.js';
import type { DomainEvent } from '../../events/schemas.js';
import { Faults } from '../../local/faults.js';
import { seededRandom } from '../../functions/domain/seeded-random.js';
import { MemoryCaseStore } from '../support/memory-case-store.js';
import { sealed, sourced12345 } from '../support/fixtures.js';
import { receiveTicket } from '../../functions/domain/case/case.js';

const none = { store: 0, bus: 0, scheduler: 0, kill: 0 };
const aCase = async () => sealed(receiveTicket(sourced12345(), '2026-09-30T09:15:00.000Z', 'corr-1'));

describe('Faults', () => {
  it('passes every call through while disabled, whatever the rates', async () => {
    const faults = new Faults({ store: 1, bus: 1, scheduler: 1, kill: 1 });
    const store = faults.wrapStore(new MemoryCaseStore());
    const c = await aCase();
    await expect(store.createAll([c])).resolves.toEqual([{ caseId: c.caseId, created: true, status: 'received' }]);
    expect(await store.get(c.caseId)).toMatchObject({ caseId: c.caseId });
  });

  it('fails store writes with a 503-class error, some after the write took effect (a lost reply), some before', async () => {
    const faults = new Faults({ ...none, store: 1 }, seededRandom(1));
    faults.enabled = true;
    const inner = new MemoryCaseStore();
    const store = faults.wrapStore(inner);
    for (let i = 0; i < 40; i++) await expect(store.createAll([await aCase()])).rejects.toBeInstanceOf(ServiceUnavailableError);
    const { storeFailedAfterWrite, storeFailedBefore } = faults.injected;
    expect(storeFailedAfterWrite + storeFailedBefore).toBe(40);
    expect(storeFailedAfterWrite).toBeGreaterThan(0);
    expect(storeFailedBefore).toBeGreaterThan(0);
    expect(inner.cases.size).toBe(storeFailedAfterWrite);
  });

  it('fails a publish with PublishError naming the events not published; a partial failure publishes the rest first', async () => {
    const faults = new Faults({ ...none, bus: 1 }, seededRandom(3));
    faults.enabled = true;
    const out: string[] = [];
    const bus = faults.wrapBus({ publish: async (events) => void out.push(...events.map((e) => e.detail.eventId)) });
    const events = Array.from({ length: 4 }, (_, i) => ({ type: 'Case.Accepted', detail: { eventId: `e${i}` } }) as unknown as DomainEvent);
    for (let i = 0; i < 20; i++) {
      const before = out.length;
      const err = await bus.publish(events).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PublishError);
      // What was published and what the error names are the events, each once.
      expect([...out.slice(before), ...(err as PublishError).failed.map((f) => f.eventId)]).toEqual(['e0', 'e1', 'e2', 'e3']);
    }
    expect(faults.injected.busFailedPartly).toBeGreaterThan(0);
    expect(faults.injected.busFailed).toBeGreaterThan(0);
  });

  it('kills a process invocation part way: it never answers, makes no call after its death, and the queue redelivers', async () => {
    const faults = new Faults({ ...none, kill: 1 }, seededRandom(5));
    faults.enabled = true;
    const inner = new MemoryCaseStore();
    const store = faults.wrapStore(inner);
    const c = await aCase();
    await inner.createAll([c]);
    let calls = 0;
    let answered = 0;
    let received = 0;
    const q = new InProcessQueue('kill');
    q.consume(
      faults.wrapProcess(async (_e: SQSEvent) => {
        received += 1;
        faults.enabled = false; // this invocation's death is decided already; the redelivery runs undisturbed
        for (let i = 0; i < 10; i++) {
          await store.get(c.caseId);
          calls += 1;
        }
        answered += 1;
        return { batchItemFailures: [] };
      }),
      { batchSize: 1, concurrency: 1, visibilityTimeoutMs: 150, maxReceiveCount: 5, functionTimeoutMs: 100 },
    );
    await q.send([{ id: '1', body: 'm' }]);
    await q.drained();
    expect(received).toBe(2);
    expect(answered).toBe(1);
    // The killed invocation died at its k-th call (k ≤ 6): fewer than 10 calls, then only the redelivery's 10.
    expect(calls).toBeGreaterThanOrEqual(10);
    expect(calls).toBeLessThan(20);
    expect(faults.injected.processKilledMidBatch).toBe(1);
  });
});
