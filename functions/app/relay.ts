/**
 * The outbox relay (transactional outbox by change data capture): every saved version of a case record reaches this
 * code through the case store's change feed (DynamoDB Streams in AWS, DynamoDB Local's own stream locally), and what
 * the version causes is done here, from the record's images — never by the function that saved it:
 *
 * | change | what the relay does |
 * |---|---|
 * | a new `received` ticket (ingest) | enqueues it to the process queue |
 * | `received` → merged (process: a repeat request joined an open case) | publishes `Ticket.Received`, `Ticket.Classified`, `Case.Merged` (and `Cluster.Detected` for a cluster it completed); no timer |
 * | `received` → dispatched / needs review (process) | publishes `Ticket.Received`, `Ticket.Classified`, `Case.Dispatched` (+ `Case.Transferred`), and `Cluster.Detected` for a cluster the case completed; sets the case's deadline timer |
 * | a new linked case (a clue, a recommendation) | publishes `Case.Dispatched` and `Clue.Referred` / `Recommendation.Issued`; sets its timer |
 * | a lifecycle transition (agency API, feedback) | publishes the transition's event for each new history entry; moves the case's timer |
 * | any other change (an overdue mark, a retention erasure) | moves the timer only if the case's timer plan changed |
 *
 * The save is the only thing a writer must get right: once it is stored, its events go out at least once with their
 * deterministic ids (`eventIdFor(case, type, version)`, timestamps from the record), because the feed hands the same
 * change to the relay again until the relay answers it done. Consumers deduplicate on `eventId`, as they must anyway.
 *
 * One thing is not in the images: the cluster a case completed lives in its own item. `Cluster.Detected` is rebuilt
 * from that item, read when the change shows the case completed a cluster (its `referrals` hold the cluster's clue):
 * one read per cluster detected, none per ticket. The fields the event carries never change after detection.
 */
import type { DomainEvent } from '../../events/schemas.js';
import type { CaseRecord } from '../domain/case/case.js';
import { dispatchEvents, mergeEvents } from '../domain/case/dispatch-events.js';
import { planTimers, type TimerRules } from '../domain/deadlines/schedule-plan.js';
import { transitionEvent } from '../domain/lifecycle/index.js';
import { linkedCaseEvents } from '../domain/linkage/referral.js';
import type { LinkageStore } from '../ports/case-store.js';
import type { CaseChange } from '../ports/change-feed.js';
import type { DeadlineScheduler } from '../ports/deadline-scheduler.js';
import { EnqueueError, PublishError } from '../ports/errors.js';
import type { EventBus } from '../ports/event-bus.js';
import type { WorkQueue } from '../ports/work-queue.js';
import type { ProcessMessage } from './accept-tickets.js';
import { clusterEvents } from './clusters.js';
import { syncTimers } from './deadline-timers.js';

export interface RelayDeps {
  bus: EventBus;
  /** The process queue, where new tickets go. */
  queue: WorkQueue;
  /** Reads a cluster a case completed (`Cluster.Detected`). */
  store: Pick<LinkageStore, 'getCluster'>;
  /** Deadline timers (EventBridge Scheduler / in process); none wired = no timers. */
  scheduler?: DeadlineScheduler;
  rules: TimerRules;
  now: () => Date;
}

/** What one saved version causes. */
export interface ChangeEffects {
  events: DomainEvent[];
  /** A new ticket to process. */
  enqueue?: ProcessMessage;
  /** The case whose timer to set, move or delete (the new image), when its timer plan may have changed. */
  timers?: CaseRecord;
}

/**
 * Timer calls in flight per relay batch. A stream batch of dispatches holds up to ~40 cases; at the default 10 the
 * calls went out in four sequential waves, and the relay (one batch at a time per shard) waited for each. 25 fits
 * EventBridge Scheduler's request quotas and is what local mode's timer table writes in one BatchWriteItem.
 */
export const TIMER_CALLS_IN_FLIGHT = 25;

const samePlan = (a: CaseRecord, b: CaseRecord, rules: TimerRules) => JSON.stringify(planTimers(a, rules)) === JSON.stringify(planTimers(b, rules));

/** The effects of one change, rebuilt from its images (and, for a completed cluster, the cluster's item). */
export async function effectsOf(deps: Pick<RelayDeps, 'store' | 'rules'>, change: CaseChange): Promise<ChangeEffects> {
  const next = change.new;
  if (!next) return { events: [] }; // a removed record causes nothing (records are never deleted today)
  const prev = change.old;
  if (!prev) {
    if (next.status === 'received') return { events: [], enqueue: { caseId: next.caseId, correlationId: next.correlationId } };
    // A linked case (clue, recommendation) is born dispatched. No flow inserts any other case past `received`.
    if (next.kind === 'clue' || next.kind === 'recommendation') return { events: linkedCaseEvents(next), timers: next };
    return { events: [] };
  }
  if (prev.status === 'received' && next.status === 'merged') {
    // 重复诉求合并: the ticket joined an open case; it may still have completed a similar-case cluster.
    return { events: [...mergeEvents(next), ...(await clusterEvents(deps.store, next))] };
  }
  if (prev.status === 'received' && next.status !== 'received') {
    return { events: [...dispatchEvents(next), ...(await clusterEvents(deps.store, next))], timers: next };
  }
  // A retention entry (the retention job erased the contact or the text) is no transition: it publishes nothing.
  const entries = next.history.filter((h) => h.version > prev.version && !h.retention);
  const events = entries.map((h) => transitionEvent(next, h));
  return entries.length > 0 || !samePlan(prev, next, deps.rules) ? { events, timers: next } : { events };
}

/**
 * Relays a batch of changes in feed order: one publish for all their events, one send for their new tickets, their
 * timers synced together. Returns the changes that failed with why (their effects are redone when the feed hands
 * them over again: same event ids, an idempotent enqueue, an upsert of the timer).
 */
export async function relayChanges(deps: RelayDeps, changes: readonly CaseChange[]): Promise<Map<string, Error>> {
  const failed = new Map<string, Error>();
  const planned: { change: CaseChange; effects: ChangeEffects }[] = [];
  for (const change of changes) {
    try {
      planned.push({ change, effects: await effectsOf(deps, change) });
    } catch (e) {
      failed.set(change.id, e as Error);
    }
  }
  const fail = (ids: Iterable<string>, e: Error) => {
    for (const id of ids) if (!failed.has(id)) failed.set(id, e);
  };

  const publish = async () => {
    const events = planned.flatMap((p) => p.effects.events);
    if (!events.length) return;
    try {
      await deps.bus.publish(events);
    } catch (e) {
      const only = e instanceof PublishError ? new Set(e.failed.map((f) => f.eventId)) : undefined;
      const hit = planned.filter((p) => p.effects.events.some((ev) => !only || only.has(ev.detail.eventId)));
      fail(
        hit.map((p) => p.change.id),
        e as Error,
      );
    }
  };

  const enqueue = async () => {
    const tickets = planned.filter((p) => p.effects.enqueue);
    const messages = new Map(tickets.map((p) => [p.effects.enqueue!.caseId, JSON.stringify(p.effects.enqueue)]));
    if (!messages.size) return;
    try {
      await deps.queue.send([...messages].map(([id, body]) => ({ id, body })));
    } catch (e) {
      const only = e instanceof EnqueueError ? new Set(e.failedIds) : undefined;
      fail(
        tickets.filter((p) => !only || only.has(p.effects.enqueue!.caseId)).map((p) => p.change.id),
        e as Error,
      );
    }
  };

  const timers = async () => {
    const timed = planned.filter((p) => p.effects.timers);
    if (!timed.length) return;
    const synced = await syncTimers(
      deps.scheduler,
      timed.map((p) => p.effects.timers!),
      deps.now(),
      { onError: 'report', rules: deps.rules, concurrency: TIMER_CALLS_IN_FLIGHT },
    );
    const errors = new Map(synced.filter((s) => s.error !== undefined).map((s) => [s.caseId, new Error(`deadline timer not set: ${s.error}`)]));
    for (const p of timed) {
      const e = errors.get(p.effects.timers!.caseId);
      if (e) fail([p.change.id], e);
    }
  };

  await Promise.all([publish(), enqueue(), timers()]);
  return failed;
}
