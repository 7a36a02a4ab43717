/** Local mode stays flat over a long run: the bus archive and agency queues keep only their latest N entries. */
import { describe, expect, it } from 'vitest';
import { InProcessBus } from '../../functions/adapters/local/in-process-bus.js';
import { InProcessQueue } from '../../functions/adapters/local/in-process-queue.js';
import { Ring } from '../../functions/adapters/local/ring.js';
import { SCHEMA_VERSION } from '../../events/envelope.js';
import type { DomainEvent } from '../../events/schemas.js';
import { eventIdFor } from '../../functions/domain/case/event-id.js';
import { localViewLimits } from '../../local/runtime.js';

const dueSoon = (i: number): DomainEvent<'Case.DueSoon'> => ({
  type: 'Case.DueSoon',
  detail: {
    eventId: eventIdFor(`12345-CASE${i}`, 'Case.DueSoon#acceptBy', 2),
    schemaVersion: SCHEMA_VERSION,
    occurredAt: '2026-10-07T06:47:59+08:00',
    caseId: `12345-CASE${i}`,
    correlationId: 'c',
    agencyId: '150302:ecology-environment',
    deadline: 'acceptBy',
    dueAt: '2026-10-08T23:59:59+08:00',
  },
});

describe('bounded local views', () => {
  it('a ring keeps the last N, oldest first', () => {
    const r = new Ring<number>(3);
    for (let i = 1; i <= 5; i++) r.push(i);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect(r.size).toBe(3);
    expect(new Ring<number>(0).push(1)).toBe(1);
    expect(() => new Ring(-1)).toThrow(RangeError);
  });

  it('the bus archive keeps the last archiveSize events; rules still get every one', async () => {
    const bus = new InProcessBus({ archiveSize: 2 });
    const seen: string[] = [];
    bus.subscribe((e) => seen.push(e.detail['caseId'] as string));
    await bus.publish([dueSoon(1), dueSoon(2), dueSoon(3)]);
    expect(bus.archive.map((e) => e.detail['caseId'])).toEqual(['12345-CASE2', '12345-CASE3']);
    expect(seen).toHaveLength(3);
  });

  it('a queue with maxMessages keeps the latest messages and counts what it dropped', async () => {
    const q = new InProcessQueue('agency', { maxMessages: 2 });
    await q.send([
      { id: '1', body: 'a' },
      { id: '2', body: 'b' },
    ]);
    await q.send([{ id: '3', body: 'c' }]);
    expect(q.peek().map((m) => m.body)).toEqual(['b', 'c']);
    expect(q.dropped).toBe(1);
  });

  it('a consumed queue keeps nothing of a message once it is deleted', async () => {
    const q = new InProcessQueue('process');
    q.consume(async () => undefined, { batchSize: 10, concurrency: 1, visibilityTimeoutMs: 1_000, maxReceiveCount: 2 });
    await q.send(Array.from({ length: 25 }, (_, i) => ({ id: String(i), body: `m${i}` })));
    await q.drained();
    expect(q.depth).toBe(0);
    expect(q.peek()).toEqual([]);
    q.stop();
  });

  it('limits come from LOCAL_BUS_ARCHIVE_SIZE and LOCAL_AGENCY_QUEUE_SIZE, with defaults', () => {
    expect(localViewLimits({})).toEqual({ archiveSize: 10_000, agencyQueueSize: 100 });
    expect(localViewLimits({ LOCAL_BUS_ARCHIVE_SIZE: '50', LOCAL_AGENCY_QUEUE_SIZE: '0' })).toEqual({ archiveSize: 50, agencyQueueSize: 0 });
    expect(() => localViewLimits({ LOCAL_AGENCY_QUEUE_SIZE: 'lots' })).toThrow(/LOCAL_AGENCY_QUEUE_SIZE/);
  });
});
