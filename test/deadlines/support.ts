/**
 * Test support for deadline timers, callbacks and feedback: an in-memory case store, a manual clock, the local
 * store-backed scheduler over a fresh timer table in DynamoDB Local, case builders.
 */
import { StoredScheduler, type SchedulerClock, type TimerTarget } from '../../functions/adapters/local/stored-scheduler.js';
import { freshTables } from '../support/dynamo.js';
import { receiveTicket, type CaseRecord } from '../../functions/domain/case/case.js';
import { sourced12345, sourced12309 } from '../support/fixtures.js';

export { MemoryCaseStore } from '../support/memory-case-store.js';

/** A clock that moves only when told: runs the timers that fall due, in order, settling each before the next. */
export class ManualClock implements SchedulerClock {
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  constructor(private t: number) {}

  now(): number {
    return this.t;
  }
  date = (): Date => new Date(this.t);

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  async advanceTo(target: string | number, settle: () => Promise<void> = async () => undefined): Promise<void> {
    const to = typeof target === 'string' ? Date.parse(target) : target;
    for (;;) {
      const next = [...this.timers.entries()].filter(([, x]) => x.at <= to).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
      await settle();
    }
    this.t = Math.max(this.t, to);
  }
}

/** A received 12345 complaint (received 2026-09-30 09:15 Shanghai), with its caller's contact as ingest keeps it. */
export const received12345 = (over: Record<string, unknown> = {}): CaseRecord => receiveTicket(sourced12345(over), '2026-09-30T01:16:00.000Z', 'corr-timers');
export const received12309 = (over: Record<string, unknown> = {}): CaseRecord => receiveTicket(sourced12309(over), '2026-09-30T02:01:00.000Z', 'corr-timers');

/** The local scheduler over a fresh timer table (DynamoDB Local), on a manual clock, not polling: tests call `fireDue`. */
export async function testScheduler(clock: SchedulerClock, target?: TimerTarget, opts: { maxAttempts?: number; pageSize?: number; concurrency?: number } = {}) {
  const { client, tables } = await freshTables();
  const scheduler = new StoredScheduler({ client, tableName: tables.timerTable, clock, ...(target ? { target } : {}), ...opts });
  return { scheduler, client, tableName: tables.timerTable };
}

/**
 * Moves the clock to `to`, stopping at each pending timer on the way and firing what is due there, as the poller
 * would if it ran at every instant.
 */
export async function advanceWith(scheduler: StoredScheduler, clock: ManualClock, to: string | number): Promise<void> {
  const target = typeof to === 'string' ? Date.parse(to) : to;
  for (;;) {
    const [next] = await scheduler.list(1);
    if (!next || Date.parse(next.at) > target) break;
    await clock.advanceTo(Math.max(clock.now(), Date.parse(next.at)));
    await scheduler.fireDue();
  }
  await clock.advanceTo(target);
}
