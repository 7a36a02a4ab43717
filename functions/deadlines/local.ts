/**
 * Local mode wiring of the deadline timers: an in-process scheduler whose timers invoke the same deadlines handler
 * as the Scheduler does in AWS. local/runtime.ts passes the returned scheduler to process, cases and feedback.
 */
import { InProcessScheduler, type SchedulerClock } from '../adapters/local/in-process-scheduler.js';
import type { CaseStore } from '../ports/case-store.js';
import type { EventBus } from '../ports/event-bus.js';
import type { TimerRules } from '../domain/deadlines/schedule-plan.js';
import { observability } from '../shared/observability.js';
import { makeDeadlinesHandler } from './deadlines.js';

export interface LocalDeadlinesOptions {
  store: Pick<CaseStore, 'get' | 'commit'>;
  bus: EventBus;
  rules: TimerRules;
  clock?: SchedulerClock;
}

export function localDeadlineScheduler(opts: LocalDeadlinesOptions): InProcessScheduler {
  const handler = makeDeadlinesHandler({ ...observability('hotline-deadlines'), store: opts.store, bus: opts.bus, rules: opts.rules });
  return new InProcessScheduler({ target: (payload, context) => handler(payload, context), ...(opts.clock ? { clock: opts.clock } : {}) });
}
