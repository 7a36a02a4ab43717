/**
 * Local mode wiring of the deadline timers: a store-backed scheduler (one item per case in a DynamoDB Local table,
 * fired by a poller) whose timers invoke the same deadlines handler as the Scheduler does in AWS, and which that
 * handler uses to set each case's next moment. local/runtime.ts passes it to process, cases and feedback.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { StoredScheduler, type SchedulerClock } from '../adapters/local/stored-scheduler.js';
import type { CaseStore } from '../ports/case-store.js';
import type { EventBus } from '../ports/event-bus.js';
import type { TimerRules } from '../domain/deadlines/schedule-plan.js';
import { observability } from '../shared/observability.js';
import { makeDeadlinesHandler } from './deadlines.js';
import { SERVICE } from '../shared/metric-names.js';

export interface LocalDeadlinesOptions {
  store: Pick<CaseStore, 'get' | 'commit'>;
  bus: EventBus;
  rules: TimerRules;
  /** DynamoDB Local and the timer table (local/tables.ts creates it). */
  client: DynamoDBClient;
  tableName: string;
  clock?: SchedulerClock;
  /** Start polling at once (default true). */
  poll?: boolean;
  pollIntervalMs?: number;
}

export function localDeadlineScheduler(opts: LocalDeadlinesOptions): StoredScheduler {
  const clock = opts.clock;
  const scheduler = new StoredScheduler({
    client: opts.client,
    tableName: opts.tableName,
    ...(clock ? { clock } : {}),
    ...(opts.pollIntervalMs ? { pollIntervalMs: opts.pollIntervalMs } : {}),
  });
  const handler = makeDeadlinesHandler({
    ...observability(SERVICE.deadlines),
    store: opts.store,
    bus: opts.bus,
    rules: opts.rules,
    scheduler,
    ...(clock ? { now: () => new Date(clock.now()) } : {}),
  });
  scheduler.setTarget((payload, context) => handler(payload, context));
  if (opts.poll ?? true) scheduler.start();
  return scheduler;
}
