/**
 * The local store-backed scheduler against DynamoDB Local: one item per case in the timer table, fired by a Query on
 * the `byDue` index. Time is a manual clock; `fireDue()` is one poll.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { StoredScheduler, type TimerTarget } from '../../functions/adapters/local/stored-scheduler.js';
import { caseTimer } from '../../functions/app/deadline-timers.js';
import type { TimerMoment } from '../../functions/domain/deadlines/schedule-plan.js';
import { ManualClock, testScheduler } from './support.js';

const T0 = Date.parse('2026-10-01T00:00:00+08:00');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function recorder() {
  const calls: TimerMoment[] = [];
  const target: TimerTarget = async (p) => {
    calls.push(p);
    return { ok: true };
  };
  return { calls, target };
}

describe('StoredScheduler (DynamoDB Local)', () => {
  it('fires what is due, earliest first, and only that; a fired timer is gone', async () => {
    const clock = new ManualClock(T0);
    const { calls, target } = recorder();
    const { scheduler } = await testScheduler(clock, target, { concurrency: 1 });
    await scheduler.set(caseTimer('c-late', at(30)));
    await scheduler.set(caseTimer('c-early', at(10)));
    await scheduler.set(caseTimer('c-future', at(120)));
    expect(await scheduler.fireDue()).toBe(0);
    await clock.advanceTo(T0 + 60 * 60_000);
    expect(await scheduler.fireDue()).toBe(2);
    expect(calls).toEqual([
      { caseId: 'c-early', at: at(10) },
      { caseId: 'c-late', at: at(30) },
    ]);
    expect((await scheduler.list()).map((t) => t.caseId)).toEqual(['c-future']);
    expect(scheduler.fired.toArray().map((f) => f.caseId)).toEqual(['c-early', 'c-late']);
  });

  it('setting a case’s timer again moves it (one item per case); clearing a missing one is fine', async () => {
    const clock = new ManualClock(T0);
    const { calls, target } = recorder();
    const { scheduler } = await testScheduler(clock, target);
    await scheduler.set(caseTimer('c1', at(10)));
    await scheduler.set(caseTimer('c1', at(90)));
    expect((await scheduler.list()).map((t) => [t.caseId, t.at])).toEqual([['c1', at(90)]]);
    await clock.advanceTo(T0 + 60 * 60_000);
    await scheduler.fireDue();
    expect(calls).toEqual([]);
    await scheduler.clear('c1');
    await scheduler.clear('c1');
    expect(await scheduler.list()).toEqual([]);
  });

  it('keeps the next moment the handler sets while firing (the delete is conditional on the timer it fired)', async () => {
    const clock = new ManualClock(T0);
    let scheduler!: StoredScheduler;
    ({ scheduler } = await testScheduler(clock, async (p) => scheduler.set(caseTimer(p.caseId, at(500)))));
    await scheduler.set(caseTimer('c1', at(10)));
    await clock.advanceTo(T0 + 10 * 60_000);
    await scheduler.fireDue();
    expect((await scheduler.list()).map((t) => [t.caseId, t.at])).toEqual([['c1', at(500)]]);
  });

  it('timers survive the scheduler: a new instance over the same table fires them', async () => {
    const clock = new ManualClock(T0);
    const first = await testScheduler(clock);
    await first.scheduler.set(caseTimer('c-persisted', at(10)));
    await first.scheduler.stop();
    const { calls, target } = recorder();
    const second = new StoredScheduler({ client: first.client, tableName: first.tableName, clock, target });
    await clock.advanceTo(T0 + 10 * 60_000);
    expect(await second.fireDue()).toBe(1);
    expect(calls).toEqual([{ caseId: 'c-persisted', at: at(10) }]);
  });

  it('has no cap and holds nothing in memory: 300 timers, all fired in one pass over 6 pages of the index', async () => {
    const clock = new ManualClock(T0);
    const { calls, target } = recorder();
    const { scheduler } = await testScheduler(clock, target, { pageSize: 50 });
    const ids = Array.from({ length: 300 }, (_, i) => `c-${String(i).padStart(4, '0')}`);
    for (let i = 0; i < ids.length; i += 50) await Promise.all(ids.slice(i, i + 50).map((id, j) => scheduler.set(caseTimer(id, at(1 + ((i + j) % 7))))));
    expect(await scheduler.list(2_000)).toHaveLength(300);
    await clock.advanceTo(T0 + 10 * 60_000);
    expect(await scheduler.fireDue()).toBe(300);
    expect(new Set(calls.map((c) => c.caseId)).size).toBe(300);
    expect(await scheduler.list()).toEqual([]);
  });

  it('a failing invocation stays due and is retried at the next polls (attempts kept on the item), then dead-lettered', async () => {
    const clock = new ManualClock(T0);
    let n = 0;
    const { scheduler, client, tableName } = await testScheduler(
      clock,
      async () => {
        n++;
        throw new Error('boom');
      },
      { maxAttempts: 3 },
    );
    await scheduler.set(caseTimer('c-bad', at(1)));
    await clock.advanceTo(T0 + 5 * 60_000);
    await scheduler.fireDue();
    const item = await client.send(new GetItemCommand({ TableName: tableName, Key: { caseId: { S: 'c-bad' } } }));
    expect(item.Item?.['attempts']?.N).toBe('1');
    await scheduler.fireDue();
    expect(scheduler.deadLetters.toArray()).toEqual([]);
    await scheduler.fireDue();
    expect(n).toBe(3);
    expect(scheduler.deadLetters.toArray()).toEqual([{ caseId: 'c-bad', payload: { caseId: 'c-bad', at: at(1) }, error: 'boom' }]);
    expect(await scheduler.list()).toEqual([]);
  });
});
