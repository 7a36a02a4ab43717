/**
 * Local stand-in for EventBridge Scheduler one-time schedules: timers in memory, keyed by schedule name, each
 * invoking the same deadlines handler the Scheduler invokes in AWS with the schedule's payload. Like the AWS side:
 * scheduling a name again moves the timer, a fired timer is deleted (ActionAfterCompletion DELETE), a failing
 * invocation is retried and then dead-lettered.
 *
 * Timers live as long as the process (local mode only). Node's setTimeout holds at most ~24.8 days, so a longer
 * delay is re-armed in steps; the number of timers is capped so a runaway test cannot exhaust memory. The clock is
 * injectable: tests drive time with a manual clock instead of waiting.
 */
import type { Context } from 'aws-lambda';
import { parseInstant } from '../../domain/deadlines/time.js';
import { allTimerNames, type TimerPayload } from '../../domain/deadlines/schedule-plan.js';
import type { DeadlineScheduler, ScheduleEntry } from '../../ports/deadline-scheduler.js';
import { localContext } from './in-process-queue.js';

export interface SchedulerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref(); // pending deadline timers never keep a local process alive
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** What a timer invokes: the deadlines Lambda handler (the Scheduler passes the schedule's Input as the event). */
export type TimerTarget = (payload: TimerPayload, context: Context) => Promise<unknown>;

/** setTimeout's largest delay (2^31 − 1 ms); longer delays are re-armed. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface InProcessSchedulerOptions {
  target?: TimerTarget;
  clock?: SchedulerClock;
  /** At most this many pending timers (default 100 000); scheduling beyond throws RangeError. */
  maxTimers?: number;
  /** Invocations per firing before the payload is dead-lettered (default 3, like a short Scheduler retry policy). */
  maxAttempts?: number;
  /** Delay before the 2nd attempt, doubled each time (default 1 s). */
  retryDelayMs?: number;
}

interface Pending {
  entry: ScheduleEntry;
  handle: unknown;
}

export class InProcessScheduler implements DeadlineScheduler {
  /** Payloads whose invocation failed every attempt (the schedule's DLQ in AWS). */
  readonly deadLetters: { name: string; payload: TimerPayload; error: string }[] = [];
  /** The latest 1 000 firings with what the handler answered, oldest first (a development view). */
  readonly fired: { name: string; at: string; result: unknown }[] = [];
  private readonly timers = new Map<string, Pending>();
  private readonly inFlight = new Set<Promise<void>>();
  private target: TimerTarget | undefined;
  private readonly clock: SchedulerClock;
  private stopped = false;

  constructor(private readonly opts: InProcessSchedulerOptions = {}) {
    this.target = opts.target;
    this.clock = opts.clock ?? systemClock;
  }

  /** Sets the handler timers invoke (when it is built after the scheduler). */
  setTarget(target: TimerTarget): void {
    this.target = target;
  }

  async schedule(_caseId: string, entries: ScheduleEntry[]): Promise<void> {
    const fresh = entries.filter((e) => !this.timers.has(e.name)).length;
    const max = this.opts.maxTimers ?? 100_000;
    if (this.timers.size + fresh > max) throw new RangeError(`in-process scheduler holds at most ${max} timers`);
    for (const e of entries) {
      parseInstant(e.at); // a bad time fails here, like a Scheduler ValidationException
      this.clear(e.name);
      this.arm({ ...e, payload: { ...e.payload } });
    }
  }

  async cancel(caseId: string, names?: string[]): Promise<void> {
    for (const n of names ?? allTimerNames(caseId)) this.clear(n);
  }

  /** Pending timers, earliest first. */
  list(): ScheduleEntry[] {
    return [...this.timers.values()].map((p) => p.entry).sort((a, b) => parseInstant(a.at) - parseInstant(b.at));
  }

  get size(): number {
    return this.timers.size;
  }

  /** Resolves when no firing is in progress. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  stop(): void {
    this.stopped = true;
    for (const name of [...this.timers.keys()]) this.clear(name);
  }

  private clear(name: string): void {
    const p = this.timers.get(name);
    if (p) this.clock.clearTimeout(p.handle);
    this.timers.delete(name);
  }

  private arm(entry: ScheduleEntry): void {
    if (this.stopped) return;
    const delay = Math.max(0, parseInstant(entry.at) - this.clock.now());
    const pending: Pending = { entry, handle: undefined };
    pending.handle =
      delay > MAX_TIMEOUT_MS
        ? this.clock.setTimeout(() => {
            if (this.timers.get(entry.name) === pending) this.arm(entry);
          }, MAX_TIMEOUT_MS)
        : this.clock.setTimeout(() => {
            if (this.timers.get(entry.name) !== pending) return;
            this.timers.delete(entry.name); // one-time: deleted once it fires
            const run = this.invoke(entry).finally(() => this.inFlight.delete(run));
            this.inFlight.add(run);
          }, delay);
    this.timers.set(entry.name, pending);
  }

  private async invoke(entry: ScheduleEntry): Promise<void> {
    const attempts = Math.max(1, this.opts.maxAttempts ?? 3);
    let lastError: unknown = new Error('no target: the deadlines handler is not wired');
    for (let attempt = 1; attempt <= attempts && this.target && !this.stopped; attempt++) {
      if (attempt > 1) await new Promise<void>((r) => this.clock.setTimeout(r, (this.opts.retryDelayMs ?? 1_000) * 2 ** (attempt - 2)));
      try {
        const result = await this.target(entry.payload, localContext('hotline-deadlines'));
        this.fired.push({ name: entry.name, at: entry.at, result });
        if (this.fired.length > 1_000) this.fired.shift();
        return;
      } catch (e) {
        lastError = e;
      }
    }
    this.deadLetters.push({ name: entry.name, payload: entry.payload, error: (lastError as Error)?.message ?? String(lastError) });
  }
}
