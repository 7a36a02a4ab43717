/**
 * Deadline timers (product.md §7): due-soon, overdue and escalation events fire from ONE one-time schedule per case
 * (EventBridge Scheduler in AWS, a DynamoDB Local table and a poller locally), set at the case's next timer moment
 * across all its deadlines — never from a scan over all cases.
 *
 * - `syncTimers` runs after every state change (dispatch in `processCase`, every lifecycle transition, feedback):
 *   it recomputes the case's plan (domain/deadlines/schedule-plan.ts) and sets the case's schedule to its next
 *   moment after now, or deletes it when the case has none. It takes a whole batch and plans its cases concurrently.
 * - `fireMoment` is what the schedule runs (the deadlines function): it reloads the case, publishes the timers the
 *   plan of the case *as it is now* holds at that moment (nothing when it holds none: a stale schedule, e.g. after
 *   an extension, publishes nothing), then sets the schedule to the next moment, or deletes it.
 *
 * Event ids are `eventIdFor(caseId, "<type>#<deadline>", version)`, where version is the case version at which the
 * deadline period began: a moment delivered twice (Scheduler delivers at least once) republishes the identical
 * events, and `occurredAt` is the planned time, not the clock.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { eventEnvelope } from '../../events/envelope.js';
import type { DomainEvent } from '../../events/schemas.js';
import type { CaseRecord } from '../domain/case/case.js';
import {
  dueAtMoment,
  nextMoment,
  planTimers,
  scheduleName,
  stillPlanned,
  TIMER_EVENT,
  type TimedDeadline,
  type TimerKind,
  type TimerMoment,
  type TimerPayload,
  type TimerRules,
} from '../domain/deadlines/schedule-plan.js';
import { parseInstant } from '../domain/deadlines/time.js';
import { actorLabel } from '../domain/lifecycle/apply.js';
import type { CaseStore } from '../ports/case-store.js';
import type { CaseTimer, DeadlineScheduler } from '../ports/deadline-scheduler.js';
import type { EventBus } from '../ports/event-bus.js';
import { VersionConflictError } from '../ports/errors.js';
import { recommendationDetail } from '../domain/linkage/referral.js';
import { saveChange } from './save-change.js';
import { TimersNotSyncedError } from './errors.js';

export type { DeadlineScheduler } from '../ports/deadline-scheduler.js';

const logger = new Logger({ serviceName: 'hotline-deadline-timers' });

/** Where one case's schedule stands after a sync. */
export interface TimerSync {
  caseId: string;
  version: number;
  /** The moment the case's schedule is set for; null when it has none (deleted, or never needed one). */
  next: string | null;
  /** Set (in `report` mode) when the scheduler failed: the state change stands, the schedule is not in place. */
  error?: string;
}

export type { TimerSyncFailure } from './errors.js';

const describe = (e: unknown) => `${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? String(e)}`;

export interface SyncOptions {
  /**
   * `throw` (default): when the scheduler failed for any case, TimersNotSyncedError (after every case was tried), for
   * callers retried as a whole. `report`: never throws; a failed case has `error` set (logged with caseId and version
   * only) — for the agency API, whose change is already saved and answered (the next transition re-syncs, and a
   * schedule it should no longer have publishes nothing when it fires), and for an SQS batch that fails only the
   * records whose case has `error` (partial batch response).
   */
  onError?: 'throw' | 'report';
  /** The due-soon fraction, escalation and working calendar (the handlers pass functions/config/deployed.ts). */
  rules: TimerRules;
  /** Scheduler calls in flight at once (default 10). */
  concurrency?: number;
}

/** The status the case had before its latest change (none for a case just made). */
const previousStatus = (c: CaseRecord) => c.history.at(-2)?.to;

/**
 * Brings the schedules of `cases` in line with their current state, concurrently: each case's one schedule is set to
 * its next timer moment after `now` (CreateSchedule/UpdateSchedule upsert under `scheduleName(caseId)`), or deleted
 * when the case has no moment ahead and may have had one. A case listed twice is synced once, at its highest version.
 * Without a scheduler (a deployment or a test that wires none) it does nothing.
 */
export async function syncTimers(
  scheduler: DeadlineScheduler | undefined,
  cases: CaseRecord | readonly CaseRecord[],
  now: Date,
  opts: SyncOptions,
): Promise<TimerSync[]> {
  const latest = new Map<string, CaseRecord>();
  for (const c of (Array.isArray(cases) ? cases : [cases]) as readonly CaseRecord[]) {
    const seen = latest.get(c.caseId);
    if (!seen || seen.version < c.version) latest.set(c.caseId, c);
  }
  const list = [...latest.values()];
  if (!scheduler) return list.map((c) => ({ caseId: c.caseId, version: c.version, next: null }));
  const rules = opts.rules;
  const synced = await mapConcurrently(list, opts.concurrency ?? 10, (c) => syncOne(scheduler, c, now, rules));
  const failures = synced.flatMap((s, i) => (s.cause === undefined ? [] : [{ caseId: list[i]!.caseId, version: list[i]!.version, cause: s.cause }]));
  if (failures.length && opts.onError !== 'report') throw new TimersNotSyncedError(failures);
  for (const f of failures)
    logger.error('deadline timers not synced; the next change of the case re-syncs them', { caseId: f.caseId, version: f.version, error: describe(f.cause) });
  return synced.map((s) => (s.cause === undefined ? s.sync : { ...s.sync, error: describe(s.cause) }));
}

async function syncOne(scheduler: DeadlineScheduler, c: CaseRecord, now: Date, rules: TimerRules): Promise<{ sync: TimerSync; cause?: unknown }> {
  const plan = planTimers(c, rules);
  const next = nextMoment(plan, now.getTime());
  const prev = previousStatus(c);
  // A schedule can exist only if the previous status (or this one, for a change that keeps it) planned timers.
  const hadTimers = plan.length > 0 || (!!prev && prev !== c.status && planTimers({ ...c, status: prev }, rules).length > 0);
  try {
    if (next) await scheduler.set(caseTimer(c.caseId, next.at), { exists: hadTimers && !!prev && prev !== 'received' });
    else if (hadTimers) await scheduler.clear(c.caseId);
    return { sync: { caseId: c.caseId, version: c.version, next: next?.at ?? null } };
  } catch (cause) {
    return { sync: { caseId: c.caseId, version: c.version, next: null }, cause: cause ?? new Error('scheduler failed') };
  }
}

/** The schedule of a case for one moment. */
export const caseTimer = (caseId: string, at: string): CaseTimer => ({ caseId, name: scheduleName(caseId), at, payload: { caseId, at } });

async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(Math.max(1, limit), items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

export interface FireDeps {
  store: Pick<CaseStore, 'get' | 'commit'>;
  bus: EventBus;
  rules: TimerRules;
}

export interface MomentDeps extends FireDeps {
  /** Where the case's next moment is set after a firing (none wired: nothing is re-planned). */
  scheduler?: DeadlineScheduler;
  now?: () => Date;
}

/** What a firing of a case's schedule did. */
export interface MomentOutcome {
  caseId: string;
  at: string;
  published: { type: DomainEvent['type']; eventId: string; timer: TimerKind; deadline: TimedDeadline }[];
  /** Why nothing was published: the case is gone, or its plan holds no timer at this moment any more. */
  skipped?: 'case_not_found' | 'no_longer_applies';
  /** The moment the case's schedule is set for now; null when it has none left. */
  next: string | null;
}

/**
 * What the case's schedule runs when it fires (the deadlines function). It reloads the case and publishes the timers
 * its current plan holds from `moment.at` up to now (`dueAtMoment`: none if the plan holds nothing at that moment,
 * so a stale schedule publishes nothing), each through `fireTimer` (re-checked, an overdue recorded once). Then it
 * sets the schedule to the case's next moment, or deletes it.
 *
 * Errors (the store, the bus, the scheduler) are thrown: the invocation is retried, and since the schedule is
 * re-planned only after the events are out and event ids are deterministic, a retry republishes the same events.
 */
export async function fireMoment(deps: MomentDeps, moment: TimerMoment): Promise<MomentOutcome> {
  const rules = deps.rules;
  const now = Math.max((deps.now ?? (() => new Date()))().getTime(), parseInstant(moment.at));
  let c = await deps.store.get(moment.caseId);
  if (!c) {
    await deps.scheduler?.clear(moment.caseId);
    return { caseId: moment.caseId, at: moment.at, published: [], skipped: 'case_not_found', next: null };
  }
  const due = dueAtMoment(planTimers(c, rules), moment.at, now);
  const published: MomentOutcome['published'] = [];
  let moved = false;
  for (const t of due) {
    const o = await fireTimer(deps, t.payload);
    if (o.fired) published.push({ type: o.type, eventId: o.eventId, timer: t.payload.timer, deadline: t.payload.deadline });
    else moved = true;
  }
  // Marking a deadline missed does not move timers; a case that moved meanwhile is read again before planning.
  if (moved) c = await deps.store.get(moment.caseId);
  const next = c ? nextMoment(planTimers(c, rules), now) : undefined;
  if (deps.scheduler) {
    if (next) await deps.scheduler.set(caseTimer(moment.caseId, next.at), { exists: true });
    else await deps.scheduler.clear(moment.caseId);
  }
  return { caseId: moment.caseId, at: moment.at, published, ...(due.length === 0 ? { skipped: 'no_longer_applies' as const } : {}), next: next?.at ?? null };
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
 * What one timer of a firing moment does: re-check against the case as it is now, then publish its event (or nothing). An overdue
 * timer first records the missed deadline on the case (once; the report counts it), racing transitions like any
 * change: on a version conflict the case is read again and the plan re-checked.
 */
export async function fireTimer(deps: FireDeps, payload: TimerPayload): Promise<FireOutcome> {
  const rules = deps.rules;
  for (let race = 0; ; race++) {
    const c = await deps.store.get(payload.caseId);
    if (!c) return { fired: false, reason: 'case_not_found' };
    const planned = stillPlanned(c, payload, rules);
    if (!planned || !c.agencyId) return { fired: false, reason: 'no_longer_applies' };
    if (payload.timer === 'overdue' && AGENCY_DEADLINES.includes(payload.deadline)) {
      const marked = (c.overdue ?? []).some((m) => m.deadline === payload.deadline && m.dueAt === payload.dueAt);
      if (!marked) {
        const next: CaseRecord = {
          ...c,
          version: c.version + 1,
          overdue: [...(c.overdue ?? []), { deadline: payload.deadline, dueAt: payload.dueAt, agencyId: c.agencyId, at: planned.at }],
        };
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
  const envelope = eventEnvelope({ case: c, idType: `${type}#${payload.deadline}`, version: payload.version, occurredAt: at });
  if (type === 'Recommendation.Overdue') return { type, detail: recommendationDetail(c, envelope) };
  const detail: DomainEvent<'Case.DueSoon'>['detail'] = { ...envelope, agencyId, deadline: payload.deadline, dueAt: payload.dueAt };
  if (payload.timer === 'escalation') detail.escalateTo = supervisorOf(agencyId);
  return { type, detail };
}
