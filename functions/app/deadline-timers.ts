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
import { SCHEMA_VERSION } from '../../events/envelope-constants.js';
import type { DomainEvent } from '../../events/schemas.js';
import { calendar } from '../config/calendar.js';
import { deadlinePolicy } from '../config/deadline-policy.js';
import type { CaseRecord } from '../domain/case/case.js';
import { eventIdFor } from '../domain/case/event-id.js';
import { planTimers, stillPlanned, TIMER_EVENT, upcomingTimers, type TimerPayload, type TimerRules } from '../domain/deadlines/schedule-plan.js';
import { actorLabel } from '../domain/lifecycle/apply.js';
import type { CaseStore } from '../ports/case-store.js';
import type { DeadlineScheduler } from '../ports/deadline-scheduler.js';
import type { EventBus } from '../ports/event-bus.js';
import { VersionConflictError } from '../ports/errors.js';
import { recommendationDetail } from '../domain/linkage/referral.js';
import { saveChange } from './save-change.js';

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
  store: Pick<CaseStore, 'get' | 'commit'>;
  bus: EventBus;
  rules?: TimerRules;
}

export type FireOutcome =
  | { fired: true; type: DomainEvent['type']; eventId: string }
  /** The case is gone, or has moved on: its deadline no longer applies, or is a different one now. */
  | { fired: false; reason: 'case_not_found' | 'no_longer_applies' };

/** The agency's supervisor, named as the lifecycle names actors (a role of an agency, never a person). */
export const supervisorOf = (agencyId: NonNullable<CaseRecord['agencyId']>): string => actorLabel({ role: 'supervisor', agencyId });

/** Deadlines of the owning agency whose passing the monthly report counts (12309's own replies are the procuratorate's). */
const AGENCY_DEADLINES: readonly TimerPayload['deadline'][] = ['acceptBy', 'replyBy', 'evaluateBy'];
const MAX_RACES = 3;

/**
 * What a fired timer does: re-check against the case as it is now, then publish its event (or nothing). An overdue
 * timer first records the missed deadline on the case (once; the report counts it), racing transitions like any
 * change: on a version conflict the case is read again and the plan re-checked.
 */
export async function fireTimer(deps: FireDeps, payload: TimerPayload): Promise<FireOutcome> {
  const rules = deps.rules ?? deployedTimerRules;
  for (let race = 0; ; race++) {
    const c = await deps.store.get(payload.caseId);
    if (!c) return { fired: false, reason: 'case_not_found' };
    const planned = stillPlanned(c, payload, rules);
    if (!planned || !c.agencyId) return { fired: false, reason: 'no_longer_applies' };
    if (payload.timer === 'overdue' && AGENCY_DEADLINES.includes(payload.deadline)) {
      const marked = (c.overdue ?? []).some((m) => m.deadline === payload.deadline && m.dueAt === payload.dueAt);
      if (!marked) {
        const next: CaseRecord = { ...c, version: c.version + 1, overdue: [...(c.overdue ?? []), { deadline: payload.deadline, dueAt: payload.dueAt, agencyId: c.agencyId, at: planned.at }] };
        try {
          await saveChange(deps.store, c, next);
        } catch (e) {
          if (e instanceof VersionConflictError && race < MAX_RACES) continue;
          throw e;
        }
      }
    }
    const event = timerEvent(c, payload, planned.at);
    await deps.bus.publish([event]);
    return { fired: true, type: event.type, eventId: event.detail.eventId };
  }
}

/** The event of a timer: Case.DueSoon / Case.Overdue / Case.Escalated, or Recommendation.Overdue for a 检察建议. */
function timerEvent(c: CaseRecord, payload: TimerPayload, at: string): DomainEvent {
  const agencyId = c.agencyId!;
  const type = c.kind === 'recommendation' && payload.timer === 'overdue' ? 'Recommendation.Overdue' : TIMER_EVENT[payload.timer];
  const envelope = {
    eventId: eventIdFor(c.caseId, `${type}#${payload.deadline}`, payload.version),
    schemaVersion: SCHEMA_VERSION as typeof SCHEMA_VERSION,
    occurredAt: at,
    caseId: c.caseId,
    correlationId: c.correlationId,
  };
  if (type === 'Recommendation.Overdue') return { type, detail: recommendationDetail(c, envelope) };
  const detail: DomainEvent<'Case.DueSoon'>['detail'] = { ...envelope, agencyId, deadline: payload.deadline, dueAt: payload.dueAt };
  if (payload.timer === 'escalation') detail.escalateTo = supervisorOf(agencyId);
  return { type, detail };
}
