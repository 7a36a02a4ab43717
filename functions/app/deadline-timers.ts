/**
 * Deadline timers (product.md §7): due-soon, overdue and escalation events fire from one-time schedules per case
 * (EventBridge Scheduler in AWS, an in-process scheduler locally) — never from a scan over all cases.
 *
 * - `syncTimers` runs after every state change (first dispatch in `processCase`, every lifecycle transition,
 *   feedback): it recomputes the case's plan (domain/deadlines/schedule-plan.ts), upserts the timers still ahead
 *   and deletes the ones the previous status had and this one has not.
 * - `fireTimer` is what a timer runs (the deadlines function): it reloads the case and publishes the event only if
 *   the plan of the case *as it is now* still holds that timer for that same deadline. A timer left behind by a
 *   sync that failed, or firing just as the case moved, therefore does nothing: stale timers are harmless.
 *
 * Event ids are `eventIdFor(caseId, "<type>#<deadline>", version)`, where version is the case version at which the
 * deadline period began (carried in the payload): a timer delivered twice (Scheduler delivers at least once)
 * republishes the identical event, and `occurredAt` is the planned time, not the clock.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { SCHEMA_VERSION, type DomainEvent } from '../../events/schemas.js';
import { calendar } from '../config/calendar.js';
import { deadlinePolicy } from '../config/deadline-policy.js';
import type { CaseRecord } from '../domain/case/case.js';
import { eventIdFor } from '../domain/case/event-id.js';
import { planTimers, stillPlanned, TIMER_EVENT, upcomingTimers, type TimerPayload, type TimerRules } from '../domain/deadlines/schedule-plan.js';
import { actorLabel } from '../domain/lifecycle/apply.js';
import type { CaseStore } from '../ports/case-store.js';
import type { DeadlineScheduler } from '../ports/deadline-scheduler.js';
import type { EventBus } from '../ports/event-bus.js';

export type { DeadlineScheduler } from '../ports/deadline-scheduler.js';

/** The deployed policy (due-soon fraction, escalation) and working calendar. */
export const deployedTimerRules: TimerRules = { policy: deadlinePolicy, calendar };

const logger = new Logger({ serviceName: 'hotline-deadline-timers' });

export interface SyncOutcome {
  scheduled: string[];
  cancelled: string[];
  /** Set in `report` mode when the scheduler failed: the state change stands, its timers are not in place. */
  error?: string;
}

export class TimersNotSyncedError extends Error {
  override readonly name = 'TimersNotSyncedError';
  constructor(
    readonly caseId: string,
    readonly version: number,
    readonly causeError: unknown,
  ) {
    super(`deadline timers of case ${caseId} v${version} not synced: ${(causeError as Error)?.message ?? String(causeError)}`);
  }
}

export interface SyncOptions {
  /**
   * `throw` (default): a scheduler failure throws TimersNotSyncedError, for callers that are retried as a whole
   * (the process function's SQS message). `report`: logged (caseId and version only) and returned, for callers
   * whose state change is already saved and answered (the agency API): the next transition of the case re-syncs,
   * and timers it should no longer have do nothing when they fire.
   */
  onError?: 'throw' | 'report';
  rules?: TimerRules;
}

/**
 * Brings the scheduler in line with the case's current status. Without a scheduler (a deployment or a test that
 * wires none) it does nothing.
 */
export async function syncTimers(scheduler: DeadlineScheduler | undefined, c: CaseRecord, now: Date, opts: SyncOptions = {}): Promise<SyncOutcome> {
  const out: SyncOutcome = { scheduled: [], cancelled: [] };
  if (!scheduler) return out;
  const rules = opts.rules ?? deployedTimerRules;
  const wanted = upcomingTimers(planTimers(c, rules), now);
  const keep = new Set(wanted.map((w) => w.name));
  // What the status before this change planned (names depend on status and deadline kinds only).
  const previous = c.history.at(-2)?.to;
  const stale = previous && previous !== c.status ? planTimers({ ...c, status: previous }, rules).filter((p) => !keep.has(p.name)) : [];
  try {
    if (wanted.length) await scheduler.schedule(c.caseId, wanted);
    if (stale.length) await scheduler.cancel(c.caseId, [...new Set(stale.map((s) => s.name))]);
  } catch (e) {
    if (opts.onError !== 'report') throw new TimersNotSyncedError(c.caseId, c.version, e);
    const error = `${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? String(e)}`;
    logger.error('deadline timers not synced; the next transition of the case re-syncs them', { caseId: c.caseId, version: c.version, error });
    return { ...out, error };
  }
  return { scheduled: wanted.map((w) => w.name), cancelled: [...new Set(stale.map((s) => s.name))] };
}

export interface FireDeps {
  store: Pick<CaseStore, 'get'>;
  bus: EventBus;
  rules?: TimerRules;
}

export type FireOutcome =
  | { fired: true; type: DomainEvent['type']; eventId: string }
  /** The case is gone, or has moved on: its deadline no longer applies, or is a different one now. */
  | { fired: false; reason: 'case_not_found' | 'no_longer_applies' };

/** The agency's supervisor, named as the lifecycle names actors (a role of an agency, never a person). */
export const supervisorOf = (agencyId: NonNullable<CaseRecord['agencyId']>): string => actorLabel({ role: 'supervisor', agencyId });

/** What a fired timer does: re-check against the case as it is now, then publish its event (or nothing). */
export async function fireTimer(deps: FireDeps, payload: TimerPayload): Promise<FireOutcome> {
  const c = await deps.store.get(payload.caseId);
  if (!c) return { fired: false, reason: 'case_not_found' };
  const planned = stillPlanned(c, payload, deps.rules ?? deployedTimerRules);
  if (!planned || !c.agencyId) return { fired: false, reason: 'no_longer_applies' };
  const type = TIMER_EVENT[payload.timer];
  const detail: DomainEvent<typeof type>['detail'] = {
    eventId: eventIdFor(c.caseId, `${type}#${payload.deadline}`, payload.version),
    schemaVersion: SCHEMA_VERSION,
    occurredAt: planned.at,
    caseId: c.caseId,
    correlationId: c.correlationId,
    agencyId: c.agencyId,
    deadline: payload.deadline,
    dueAt: payload.dueAt,
  };
  if (payload.timer === 'escalation') detail.escalateTo = supervisorOf(c.agencyId);
  await deps.bus.publish([{ type, detail }]);
  return { fired: true, type, eventId: detail.eventId };
}
